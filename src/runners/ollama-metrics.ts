import type { Direction, Metric, MetricClass } from '../results/model.js'
import type { FinalChunk, RunRecord } from './ollama-stream.js'

/**
 * The metrics of an `ollama` benchmark. Ollama reports durations in nanoseconds; they are
 * converted here and nowhere else.
 */
export const OLLAMA_METRICS = {
  /** eval_count / eval_duration: the decode rate, what users feel as speed. */
  decode_tps: { unit: 'tokens/s', direction: 'higher' },
  /** Client side: request start to the first chunk carrying text. */
  ttft_ms: { unit: 'ms', direction: 'lower' },
  /** Server side: load_duration + prompt_eval_duration (no HTTP, templating or tokenising). */
  server_ttft_ms: { unit: 'ms', direction: 'lower' },
  /** prompt_eval_count / prompt_eval_duration; inflated by prefix-cache hits. */
  prompt_tps: { unit: 'tokens/s', direction: 'higher' },
  /** Client side: request start to the final chunk. */
  e2e_ms: { unit: 'ms', direction: 'lower' },
  /** eval_count: context for the rates, not a quality to gate. */
  output_tokens: { unit: 'tokens', direction: 'higher', gate: false },
  /** load_duration of the one cold run: reported apart, one sample, never gated. */
  load_ms: { unit: 'ms', direction: 'lower', gate: false }
} as const satisfies Record<string, { unit: string; direction: Direction; gate?: boolean }>

export type OllamaMetricName = keyof typeof OLLAMA_METRICS

/** Metrics every measured run contributes a sample to (load_ms comes from the cold run only). */
export const PER_RUN_METRICS = [
  'decode_tps',
  'ttft_ms',
  'server_ttft_ms',
  'prompt_tps',
  'e2e_ms',
  'output_tokens'
] as const satisfies readonly OllamaMetricName[]

const NS_PER_S = 1e9
const NS_PER_MS = 1e6

function rate(count: number | undefined, durationNs: number | undefined): number | undefined {
  if (count === undefined || durationNs === undefined || count <= 0 || durationNs <= 0) {
    return undefined
  }
  return (count / durationNs) * NS_PER_S
}

/** A final chunk with none of these is not a measurement (a proxy, or a load/unload reply). */
export function hasMetrics(f: FinalChunk): boolean {
  return (
    f.evalDuration !== undefined ||
    f.evalCount !== undefined ||
    f.promptEvalDuration !== undefined ||
    f.totalDuration !== undefined
  )
}

/** One run's samples; a value the server left out (omitempty) gives no sample rather than 0. */
export function runSamples(r: RunRecord): Partial<Record<OllamaMetricName, number>> {
  const f = r.final
  const out: Partial<Record<OllamaMetricName, number>> = { e2e_ms: r.e2eMs }
  const decode = rate(f.evalCount, f.evalDuration)
  if (decode !== undefined) out.decode_tps = decode
  const prompt = rate(f.promptEvalCount, f.promptEvalDuration)
  if (prompt !== undefined) out.prompt_tps = prompt
  if (r.clientTtftMs !== undefined) out.ttft_ms = r.clientTtftMs
  // A missing duration is a zero the server did not write; both missing says nothing.
  if (f.loadDuration !== undefined || f.promptEvalDuration !== undefined) {
    out.server_ttft_ms = ((f.loadDuration ?? 0) + (f.promptEvalDuration ?? 0)) / NS_PER_MS
  }
  out.output_tokens = f.evalCount ?? 0
  if (f.loadDuration !== undefined) out.load_ms = f.loadDuration / NS_PER_MS
  return out
}

export type RunSamples = Partial<Record<OllamaMetricName, number>>

/**
 * One sample per round of concurrent requests: each metric's mean over the round's requests, so
 * the samples stay independent (requests sharing a round share its GPU). A round of one request
 * is that request's samples.
 */
export function roundSamples(records: readonly RunRecord[]): RunSamples {
  if (records.length === 1 && records[0]) return runSamples(records[0])
  const per = records.map(runSamples)
  const out: RunSamples = {}
  for (const name of [...PER_RUN_METRICS, 'load_ms'] as const) {
    const values = per.flatMap((s) => (s[name] === undefined ? [] : [s[name]]))
    if (values.length) out[name] = values.reduce((a, b) => a + b, 0) / values.length
  }
  return out
}

/**
 * The benchmark's metrics: measured runs as samples, the cold and warm-up runs as `warmup` (never
 * gated), and the cold run's load time as its own ungated metric. A metric no measured run
 * reported is left out and named in `missing`.
 */
export function buildOllamaMetrics(input: {
  cls: MetricClass
  cold: RunRecord
  warmups: RunRecord[]
  measured: RunRecord[]
}): { metrics: Metric[]; missing: OllamaMetricName[] } {
  return metricsFromSamples(
    input.cls,
    runSamples(input.cold),
    input.warmups.map(runSamples),
    input.measured.map(runSamples)
  )
}

/** As buildOllamaMetrics, from samples already taken per run or per round. */
export function metricsFromSamples(
  cls: MetricClass,
  coldSamples: RunSamples,
  warmupSamples: RunSamples[],
  measured: RunSamples[]
): { metrics: Metric[]; missing: OllamaMetricName[] } {
  const warm = [coldSamples, ...warmupSamples]
  const metrics: Metric[] = []
  const missing: OllamaMetricName[] = []
  for (const name of PER_RUN_METRICS) {
    const def = OLLAMA_METRICS[name]
    const samples = measured.flatMap((s) => (s[name] === undefined ? [] : [s[name]]))
    if (samples.length === 0) {
      missing.push(name)
      continue
    }
    const warmup = warm.flatMap((s) => (s[name] === undefined ? [] : [s[name]]))
    metrics.push({
      name,
      unit: def.unit,
      direction: def.direction,
      class: cls,
      samples,
      ...(warmup.length ? { warmup } : {}),
      ...('gate' in def ? { gate: def.gate } : {})
    })
  }
  const load = coldSamples.load_ms
  if (load !== undefined) {
    const def = OLLAMA_METRICS.load_ms
    metrics.push({
      name: 'load_ms',
      unit: def.unit,
      direction: def.direction,
      class: cls,
      samples: [load],
      gate: def.gate
    })
  } else missing.push('load_ms')
  return { metrics, missing }
}
