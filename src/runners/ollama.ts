import { readFile } from 'node:fs/promises'
import { CONFIG_DEFAULTS } from '../config/schema.js'
import { resolveThresholds } from '../config/thresholds.js'
import type { OllamaBenchmark, PerfGateConfig } from '../config/types.js'
import { UserError, errorMessage } from '../errors.js'
import type { Benchmark, Metric } from '../results/model.js'
import type { Fingerprint } from '../results/environment.js'
import { gpuFingerprint, ollamaFingerprint } from './fingerprint.js'
import { mergeFingerprint } from '../results/environment.js'
import type { GpuTick } from './gpu-parse.js'
import {
  queryInventory,
  startGpuSampler,
  type GpuInventory,
  type GpuSampler
} from './gpu-sampler.js'
import { gpuFigures, gpuMetrics } from './gpu-summary.js'
import {
  coldRunAnomaly,
  contextAnomaly,
  loadTimeAnomaly,
  offloadAnomaly,
  outputAnomalies,
  spreadAnomalies,
  thinkingAnomaly
} from './ollama-anomalies.js'
import { accuracyMetric } from './ollama-accuracy.js'
import {
  OllamaServer,
  resolveHost,
  sameModel,
  type LoadedModel,
  type ModelFacts
} from './ollama-client.js'
import { OllamaFailure, isRefusal } from './ollama-errors.js'
import { buildLoadMetrics, roundLoadSamples, type Round } from './ollama-load.js'
import { hasMetrics, metricsFromSamples, roundSamples, runSamples } from './ollama-metrics.js'
import {
  streamOnce,
  type RunRecord,
  type StreamLimits,
  type StreamRequest
} from './ollama-stream.js'
import { progressLine, type Reporter } from './progress.js'
import { applyMetricOverrides } from './shape.js'

/** Ollama's own context default depends on total VRAM (4k to 256k); pinning it keeps runs comparable. */
export const DEFAULT_NUM_CTX = 4096
/** Long enough that the model cannot expire between runs, short enough to free a shared runner. */
export const DEFAULT_KEEP_ALIVE = '10m'
/** A decoding server never pauses this long between tokens; a stuck one would hang the job. */
export const DEFAULT_STALL_SECONDS = 60

export interface OllamaRunOptions {
  env?: NodeJS.ProcessEnv
  /** The config's budgets, for the run-to-run spread check; default: the class defaults. */
  thresholds?: PerfGateConfig['thresholds']
  /** Used when the benchmark sets no `timeout`. */
  defaultTimeoutSeconds?: number
  /** Receives the fingerprint keys (Ollama version, model digest, GPUs, …). */
  fingerprint?: Fingerprint
  /** nvidia-smi to run; null turns GPU sampling off. Default: $PERF_GATE_NVIDIA_SMI, else PATH. */
  nvidiaSmi?: string | null
  gpuIntervalMs?: number
  /** Deadline of each non-streamed call (version, show, tags, ps, unload). */
  metadataTimeoutMs?: number
  /** How long unloaded models may take to leave /api/ps. */
  unloadWaitMs?: number
}

// One notice per job about a missing nvidia-smi, not one per benchmark.
const gpuNoticeGiven = new WeakSet<Reporter>()

function integerOption(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined
}

export async function loadPrompts(spec: OllamaBenchmark): Promise<string[]> {
  if (spec.prompts.length) return spec.prompts
  if (!spec.promptFile) throw new OllamaFailure('bad-prompt', 'no prompt is configured')
  let text: string
  try {
    text = await readFile(spec.promptFile, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code
    throw new OllamaFailure(
      'bad-prompt',
      `cannot read the prompt file ${spec.promptFile}: ${code ?? errorMessage(e)}`
    )
  }
  if (!text.trim()) {
    throw new OllamaFailure('bad-prompt', `the prompt file ${spec.promptFile} is empty`)
  }
  return [text.replace(/\s+$/, '')]
}

function defaultThresholds(): PerfGateConfig['thresholds'] {
  return {
    core: { ...CONFIG_DEFAULTS.thresholds.core },
    nonCritical: { ...CONFIG_DEFAULTS.thresholds.nonCritical },
    metrics: {}
  }
}

export interface Plan {
  request: Omit<StreamRequest, 'prompt'>
  numCtx: number
  notes: string[]
}

export function plan(spec: OllamaBenchmark, facts: ModelFacts): Plan {
  const { think, ...modelOptions } = spec.options
  const notes: string[] = []
  let numCtx = integerOption(modelOptions.num_ctx)
  if (numCtx === undefined) {
    numCtx = facts.modelfileNumCtx ?? DEFAULT_NUM_CTX
    notes.push(
      `num-ctx: options.num_ctx is not set; sent ${numCtx} (${facts.modelfileNumCtx !== undefined ? "the model's Modelfile value" : 'perf-gate default'}) so the server cannot pick one from the VRAM size. Set it to pin what is measured`
    )
  }
  const request: Plan['request'] = {
    api: spec.api ?? 'generate',
    model: spec.model,
    options: { ...modelOptions, num_ctx: numCtx },
    keepAlive: spec.keepAlive ?? DEFAULT_KEEP_ALIVE
  }
  if (typeof think === 'boolean' || think === 'low' || think === 'medium' || think === 'high') {
    request.think = think
  }
  return { request, numCtx, notes }
}

/** Runs one `ollama` benchmark: a cold run, warm-ups, measured runs; see docs/ollama.md. */
export async function runOllamaBenchmark(
  spec: OllamaBenchmark,
  reporter: Reporter,
  opts: OllamaRunOptions = {}
): Promise<Benchmark[]> {
  try {
    return await measure(spec, reporter, opts)
  } catch (e) {
    if (e instanceof OllamaFailure) throw new UserError(`benchmark '${spec.name}': ${e.message}`)
    throw e
  }
}

async function measure(
  spec: OllamaBenchmark,
  reporter: Reporter,
  opts: OllamaRunOptions
): Promise<Benchmark[]> {
  const env = opts.env ?? process.env
  const host = resolveHost(spec.host, env)
  const prompts = await loadPrompts(spec)
  const server = new OllamaServer(host, spec.model, opts.metadataTimeoutMs ?? 30_000)
  const version = await server.version()
  const facts = await server.modelFacts()
  const { request, numCtx, notes } = plan(spec, facts)
  const limits = {
    timeoutMs:
      (spec.timeoutSeconds ?? opts.defaultTimeoutSeconds ?? CONFIG_DEFAULTS.timeoutSeconds) * 1000,
    stallMs: (spec.stallTimeoutSeconds ?? DEFAULT_STALL_SECONDS) * 1000
  }
  reporter.info(
    `  ${spec.name}: ${spec.model} (${[facts.parameterSize, facts.quantization].filter(Boolean).join(' ') || 'details unknown'}${facts.digest ? `, ${facts.digest.slice(0, 12)}` : ''}) on ${host}, Ollama ${version}, num_ctx ${numCtx}, ${request.api}`
  )

  // Unload first: the cold run must be cold and the VRAM baseline must hold no model. The other
  // servers of a host axis share the GPUs, so what they still hold is unloaded too.
  const unload = await server.unloadAll(opts.unloadWaitMs ?? 10_000)
  const others = unload.unloaded.filter((m) => !sameModel(m, spec.model))
  if (others.length) reporter.info(`  ${spec.name}: unloaded ${others.join(', ')} first`)
  if (unload.left.length) {
    notes.push(
      `vram-baseline: ${unload.left.join(', ')} stayed loaded after keep_alive 0, so the VRAM baseline and the cold load may be off`
    )
  }
  notes.push(...(await unloadOtherHosts(spec, host, opts, reporter)))

  const gpu = await startGpu(opts, env, reporter, notes)
  let runs: Runs
  let gpuResult: { ticks: GpuTick[]; problem?: string } | undefined
  try {
    runs = await runSequence(spec, host, { request, prompts, limits }, reporter)
  } finally {
    gpuResult = await gpu?.sampler.stop()
  }
  const { cold, warmups, measured } = runs
  const answered = (rounds: Round[]): RunRecord[] =>
    rounds.flatMap((r) => r.flatMap((q) => (q.record ? [q.record] : [])))
  const warmRecords = answered(warmups)
  const measuredRecords = answered(measured)

  const resident = (await server.loaded()).find((m) => sameModel(m.name, spec.model))
  const roundMeans = (rounds: Round[]) =>
    rounds.flatMap((r) => {
      const records = r.flatMap((q) => (q.record ? [q.record] : []))
      return records.length ? [roundSamples(records)] : []
    })
  const { metrics: llm, missing } = metricsFromSamples(
    spec.class,
    runSamples(cold),
    roundMeans(warmups),
    roundMeans(measured)
  )
  if (missing.length) {
    notes.push(
      `missing-metrics: the server reported no ${missing.join(', ')} (it omits zero values), so those metrics are left out`
    )
  }
  const load =
    spec.concurrency !== undefined
      ? buildLoadMetrics({
          cls: spec.class,
          warmups,
          measured,
          ...(spec.slo ? { slo: spec.slo } : {})
        })
      : []
  const accuracy = accuracyMetric(spec, prompts, { warmups, measured })
  const offload = offloadAnomaly(spec.model, resident, request.keepAlive)
  notes.push(
    ...loadTimeAnomaly(cold, [...warmRecords, ...measuredRecords]),
    ...outputAnomalies(measuredRecords, integerOption(request.options.num_predict)),
    ...thinkingAnomaly([cold, ...warmRecords, ...measuredRecords], request.think),
    ...coldRunAnomaly(measuredRecords),
    ...offload,
    ...contextAnomaly(spec.model, resident, numCtx),
    ...refusalNotes(measured),
    ...depthNotes(spec, measuredRecords),
    ...accuracy.notes
  )

  const gpuPart =
    gpu && gpuResult ? summariseGpu(gpu.inventory, gpuResult, runs.measuredFrom) : undefined
  if (gpuPart) notes.push(...gpuPart.notes)
  const placement = placementMetric(spec, resident)
  const bench = applyMetricOverrides(
    {
      name: spec.name,
      source: { kind: 'ollama', format: request.api },
      metrics: [
        ...llm,
        ...load,
        ...(accuracy.metric ? [accuracy.metric] : []),
        ...(placement ? [placement] : []),
        ...(gpuPart?.metrics ?? [])
      ]
    },
    spec
  )
  // A model partly on the CPU measures the offload, not the code: shown, never gated. Asking for
  // it (options.num_gpu pins the layers on the GPU) makes it expected.
  const unexpectedOffload = offload.find((n) => n.startsWith('partial-offload:'))
  if (unexpectedOffload && integerOption(spec.options.num_gpu) === undefined) {
    bench.invalid = unexpectedOffload
  }
  if (spec.matrix) {
    bench.matrix = {
      entry: spec.matrix.entry,
      axes: { ...spec.matrix.axes },
      ...(spec.slo ? { sloAttainment: spec.slo.attainment } : {})
    }
  }
  const thresholds = opts.thresholds ?? defaultThresholds()
  notes.push(
    ...spreadAnomalies(
      bench.metrics,
      (m: Metric) => resolveThresholds({ thresholds }, spec, m.name, m.class).fail
    )
  )
  for (const note of notes) reporter.warning(`${spec.name}: ${note}`)
  if (notes.length) bench.notes = notes

  if (opts.fingerprint) {
    const offload =
      resident?.size && resident.sizeVram !== undefined
        ? resident.sizeVram / resident.size
        : undefined
    mergeFingerprint(
      opts.fingerprint,
      ollamaFingerprint(spec.name, version, facts, {
        api: request.api,
        numCtx,
        ...(integerOption(request.options.num_gpu) !== undefined
          ? { numGpu: integerOption(request.options.num_gpu) }
          : {}),
        ...(request.think !== undefined ? { think: request.think } : {}),
        ...(offload !== undefined ? { gpuOffload: offload } : {})
      })
    )
    if (gpu) mergeFingerprint(opts.fingerprint, gpuFingerprint(gpu.inventory))
  }
  return [bench]
}

interface Runs {
  cold: RunRecord
  /** Rounds of `concurrency` requests (one request each without it). */
  warmups: Round[]
  measured: Round[]
  /** performance.now() when the first measured round began: the window GPU load is judged in. */
  measuredFrom?: number
}

/** Common short words, one token each in the usual tokenizers: filler context for `depth`. */
const FILLER_WORDS = (
  'the of and to in is was for on that with as by at from his her an be this had not are but ' +
  'or have they which one you were all we she when there can been has more if no out so said ' +
  'what up its about into than them only other new some could time these two may then do first ' +
  'any my now such like our over man me even most made after also did many before must through'
).split(' ')

/** `depth` words of filler, the same for every request of a benchmark, then a blank line. */
export function fillerText(depth: number): string {
  if (depth <= 0) return ''
  const words: string[] = []
  for (let i = 0; i < depth; i++)
    words.push(FILLER_WORDS[(i * 37 + 11) % FILLER_WORDS.length] ?? '')
  return `${words.join(' ')}\n\n`
}

/**
 * The cold run (one request), the warm-up rounds, then the measured rounds, with progress and
 * ETA. A round sends `concurrency` requests at once and waits for all of them; a request refused
 * under load (HTTP 503 or 429) is a result of the round, anything else ends the benchmark.
 */
async function runSequence(
  spec: OllamaBenchmark,
  host: string,
  plan: { request: Plan['request']; prompts: string[]; limits: StreamLimits },
  reporter: Reporter
): Promise<Runs> {
  const c = spec.concurrency ?? 1
  const filler = fillerText(spec.depth ?? 0)
  let measuredFrom: number | undefined
  const total = 1 + spec.warmup + spec.repetitions
  const started = Date.now()
  let sent = 0
  // A distinct start per request keeps the server's prefix cache from skipping prompt work.
  const next = (): { prompt: string; promptIndex: number } => {
    sent++
    const promptIndex = (sent - 1) % plan.prompts.length
    return { prompt: `[${sent}] ${filler}${plan.prompts[promptIndex] ?? ''}`, promptIndex }
  }
  const request = async (label: string): Promise<RunRecord> => {
    const { prompt } = next()
    const record = await streamOnce(host, { ...plan.request, prompt }, plan.limits, label)
    checkMetrics(record, host, label)
    return record
  }

  const cold = await request('cold run')
  reporter.info(
    `  ${spec.name}: ${progressLine('cold', 1, 1, { done: 1, total, elapsedMs: Date.now() - started })}${speedText(runSamples(cold).decode_tps, cold.clientTtftMs)}`
  )

  const warmups: Round[] = []
  const measured: Round[] = []
  for (let k = 2; k <= total; k++) {
    const phase = k <= 1 + spec.warmup ? 'warm-up' : 'run'
    if (phase === 'run') measuredFrom ??= performance.now()
    const label =
      phase === 'warm-up'
        ? `warm-up ${k - 1}/${spec.warmup}`
        : `run ${k - 1 - spec.warmup}/${spec.repetitions}`
    const round = await runRound(c, label, (requestLabel) => {
      const { prompt, promptIndex } = next()
      return {
        promptIndex,
        send: async () => {
          const record = await streamOnce(
            host,
            { ...plan.request, prompt },
            plan.limits,
            requestLabel
          )
          checkMetrics(record, host, requestLabel)
          return record
        }
      }
    })
    ;(phase === 'run' ? measured : warmups).push(round)
    reporter.info(
      `  ${spec.name}: ${progressLine(...phaseCount(k, spec.warmup, spec.repetitions), { done: k, total, elapsedMs: Date.now() - started })}${roundText(round, c)}`
    )
  }
  return {
    cold,
    warmups,
    measured,
    ...(measuredFrom !== undefined ? { measuredFrom } : {})
  }
}

function checkMetrics(record: RunRecord, host: string, label: string): void {
  if (!hasMetrics(record.final)) {
    throw new OllamaFailure(
      'no-metrics',
      `${label}: the final chunk from ${host} carried no metrics (no eval_count, eval_duration, prompt_eval_duration or total_duration); is this Ollama's native API rather than a proxy or an OpenAI-compatible endpoint?`
    )
  }
}

/**
 * `c` requests at once. Every request runs to its end before a failure is thrown, so no stream is
 * left open behind the error.
 */
async function runRound(
  c: number,
  label: string,
  prepare: (requestLabel: string) => { promptIndex: number; send: () => Promise<RunRecord> }
): Promise<Round> {
  const prepared = Array.from({ length: c }, (_, j) =>
    prepare(c === 1 ? label : `${label}, request ${j + 1}/${c}`)
  )
  const settled = await Promise.all(
    prepared.map(async ({ promptIndex, send }) => {
      const sentAt = performance.now()
      try {
        const record = await send()
        return { promptIndex, record, sentAt, endedAt: sentAt + record.e2eMs }
      } catch (e) {
        if (isRefusal(e)) {
          return {
            promptIndex,
            refused: {
              ...(e.status !== undefined ? { status: e.status } : {}),
              message: e.message
            },
            sentAt,
            endedAt: performance.now()
          }
        }
        return { promptIndex, failure: e, sentAt, endedAt: performance.now() }
      }
    })
  )
  const failed = settled.find((q) => 'failure' in q)
  if (failed && 'failure' in failed) throw failed.failure
  return settled
}

function speedText(decode: number | undefined, ttft: number | undefined): string {
  const speed = decode !== undefined ? ` · ${decode.toFixed(1)} tokens/s` : ''
  const first = ttft !== undefined ? ` · TTFT ${ttft.toFixed(0)} ms` : ''
  return speed + first
}

function roundText(round: Round, c: number): string {
  const records = round.flatMap((q) => (q.record ? [q.record] : []))
  if (c === 1) {
    const r = records[0]
    return r ? speedText(runSamples(r).decode_tps, r.clientTtftMs) : ' · refused'
  }
  const s = roundLoadSamples(round)
  const parts = [
    s.aggregate_tps !== undefined ? `${s.aggregate_tps.toFixed(1)} tokens/s in all` : null,
    s.ttft_p95_ms !== undefined ? `TTFT p95 ${s.ttft_p95_ms.toFixed(0)} ms` : null,
    records.length < round.length ? `${round.length - records.length} of ${c} refused` : null
  ].filter((p): p is string => p !== null)
  return parts.length ? ` · ${parts.join(' · ')}` : ''
}

/** Refused requests, counted with what the server said, e.g. its queue being full. */
function refusalNotes(measured: Round[]): string[] {
  const refused = measured.flatMap((r) => r.flatMap((q) => (q.refused ? [q.refused] : [])))
  if (refused.length === 0) return []
  const sent = measured.reduce((n, r) => n + r.length, 0)
  const statuses = [...new Set(refused.map((r) => r.status ?? '?'))].join(', ')
  return [
    `refused: ${refused.length} of ${sent} measured requests were refused (HTTP ${statuses}; the server's queue is full past OLLAMA_NUM_PARALLEL + OLLAMA_MAX_QUEUE), counted in error_rate: ${refused[0]?.message ?? ''}`
  ]
}

/** A depth the context cannot hold is truncated by the server: the cell then measures less. */
function depthNotes(spec: OllamaBenchmark, measured: RunRecord[]): string[] {
  const depth = spec.depth ?? 0
  if (depth <= 0 || measured.length === 0) return []
  const counts = measured.flatMap((r) =>
    r.final.promptEvalCount === undefined ? [] : [r.final.promptEvalCount]
  )
  if (counts.length === 0) return []
  const least = Math.min(...counts)
  if (least >= depth) return []
  return [
    `depth: the prompts carried ${depth} words of filler but the server evaluated as few as ${least} prompt tokens; the context was cut, so this cell measures a shallower depth (raise num_ctx)`
  ]
}

/** size_vram ÷ size from /api/ps: 1 when the whole model sits in VRAM. */
function placementMetric(spec: OllamaBenchmark, resident: LoadedModel | undefined): Metric | null {
  if (!resident?.size || resident.sizeVram === undefined) return null
  return {
    name: 'vram_ratio',
    unit: 'ratio',
    direction: 'higher',
    class: spec.class,
    samples: [Math.round((resident.sizeVram / resident.size) * 1e4) / 1e4],
    gate: false
  }
}

/** Models still loaded on the other servers of a host axis share the GPUs: unload them too. */
async function unloadOtherHosts(
  spec: OllamaBenchmark,
  host: string,
  opts: OllamaRunOptions,
  reporter: Reporter
): Promise<string[]> {
  const notes: string[] = []
  for (const other of spec.matrix?.hosts ?? []) {
    let url: string
    try {
      url = resolveHost(other, {})
    } catch {
      continue
    }
    if (url === host) continue
    try {
      const server = new OllamaServer(url, spec.model, opts.metadataTimeoutMs ?? 30_000)
      const { unloaded, left } = await server.unloadAll(opts.unloadWaitMs ?? 10_000)
      if (unloaded.length)
        reporter.info(`  ${spec.name}: unloaded ${unloaded.join(', ')} from ${url}`)
      if (left.length) {
        notes.push(
          `vram-baseline: ${left.join(', ')} stayed loaded on ${url}, so this cell shares the GPUs with it`
        )
      }
    } catch (e) {
      notes.push(
        `vram-baseline: could not unload the models of ${url} (${e instanceof Error ? e.message : String(e)}); this cell may share the GPUs with them`
      )
    }
  }
  return notes
}

async function startGpu(
  opts: OllamaRunOptions,
  env: NodeJS.ProcessEnv,
  reporter: Reporter,
  notes: string[]
): Promise<{ inventory: GpuInventory; sampler: GpuSampler } | undefined> {
  const bin =
    opts.nvidiaSmi === undefined ? env.PERF_GATE_NVIDIA_SMI || 'nvidia-smi' : opts.nvidiaSmi
  if (bin === null) return undefined
  const found = await queryInventory(bin, { env })
  if (!found.ok) {
    if (!gpuNoticeGiven.has(reporter)) {
      gpuNoticeGiven.add(reporter)
      reporter.warning(
        `no GPU metrics: ${found.reason}${found.missing ? ' (install the NVIDIA driver utilities, or set PERF_GATE_NVIDIA_SMI to its path)' : ''}`
      )
    }
    return undefined
  }
  const sampler = startGpuSampler(bin, {
    env,
    ...(opts.gpuIntervalMs !== undefined ? { intervalMs: opts.gpuIntervalMs } : {})
  })
  await sampler.ready(2000)
  if (found.inventory.gpus.some((g) => g.memUsedMiB === null)) {
    notes.push(
      'vram-baseline: nvidia-smi gives no memory.used for some GPU, so no VRAM delta there'
    )
  }
  return { inventory: found.inventory, sampler }
}

function summariseGpu(
  inventory: GpuInventory,
  result: { ticks: GpuTick[]; problem?: string },
  windowStart: number | undefined
): { metrics: Metric[]; notes: string[] } {
  const { figures, notes } = gpuFigures(result.ticks, inventory, windowStart)
  if (result.problem) notes.unshift(`gpu-sampler: ${result.problem}`)
  return { metrics: gpuMetrics(figures), notes }
}

/** Request `k` (1-based) as its phase counts it: the cold run, then warm-ups, then runs. */
function phaseCount(k: number, warmup: number, runs: number): [string, number, number] {
  if (k === 1) return ['cold', 1, 1]
  if (k <= 1 + warmup) return ['warm-up', k - 1, warmup]
  return ['run', k - 1 - warmup, runs]
}
