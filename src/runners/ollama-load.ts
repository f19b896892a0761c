import type { Slo } from '../config/types.js'
import type { Direction, Metric, MetricClass } from '../results/model.js'
import type { RunRecord } from './ollama-stream.js'

/*
 * The load metrics of a benchmark with `concurrency`: one sample per measured round, a round being
 * `concurrency` requests sent at once and waited for together. Definitions follow vLLM's
 * `bench serve` (TTFT, TPOT, output throughput, goodput) and GenAI-Perf (throughput per user).
 */

export const LOAD_METRICS = {
  /** Output tokens of the round ÷ its wall time (first request sent → last answer done). */
  aggregate_tps: { unit: 'tokens/s', direction: 'higher' },
  /** Mean over the round's requests of 1000 / tpot_ms: what one user sees. */
  per_user_tps: { unit: 'tokens/s', direction: 'higher', gate: false },
  ttft_p50_ms: { unit: 'ms', direction: 'lower', gate: false },
  ttft_p95_ms: { unit: 'ms', direction: 'lower' },
  /** vLLM: (e2e − ttft) / (output tokens − 1), the round's mean. */
  tpot_ms: { unit: 'ms', direction: 'lower' },
  e2e_p95_ms: { unit: 'ms', direction: 'lower' },
  /** The most requests decoding at once (first token → done): catches a server serialising them. */
  achieved_concurrency: { unit: 'requests', direction: 'higher', gate: false },
  /** Requests refused (HTTP 503 queue full, 429) ÷ requests sent. */
  error_rate: { unit: 'fraction', direction: 'lower', gate: false },
  /** Requests meeting every SLO ÷ the round's wall time (only with `slo:`). */
  goodput: { unit: 'requests/s', direction: 'higher' },
  /** Requests meeting every SLO ÷ requests sent (only with `slo:`). */
  slo_attainment: { unit: 'fraction', direction: 'higher', gate: false }
} as const satisfies Record<string, { unit: string; direction: Direction; gate?: boolean }>

export type LoadMetricName = keyof typeof LOAD_METRICS

/** One request of a round: its record when answered, or why it was refused. */
export interface RoundRequest {
  promptIndex: number
  record?: RunRecord
  refused?: { status?: number; message: string }
  sentAt: number
  endedAt: number
}

export type Round = RoundRequest[]

/** The q-quantile with linear interpolation between order statistics (numpy's default, as vLLM). */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b)
  if (s.length === 0) return Number.NaN
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  const a = s[lo] ?? Number.NaN
  const b = s[hi] ?? a
  return a + (b - a) * (pos - lo)
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length
}

/** vLLM's time per output token, or undefined for a one-token answer or no first token. */
export function tpotOf(r: RunRecord): number | undefined {
  const n = r.final.evalCount
  if (r.clientTtftMs === undefined || n === undefined || n < 2) return undefined
  return (r.e2eMs - r.clientTtftMs) / (n - 1)
}

/** Most intervals open at once; an interval ending where another starts does not overlap it. */
export function peakOverlap(intervals: readonly [number, number][]): number {
  const events: [number, number][] = []
  for (const [from, to] of intervals) {
    events.push([from, 1], [to, -1])
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let open = 0
  let peak = 0
  for (const [, delta] of events) {
    open += delta
    peak = Math.max(peak, open)
  }
  return peak
}

function meetsSlo(r: RunRecord, slo: Slo): boolean {
  if (slo.ttftMs !== undefined && !(r.clientTtftMs !== undefined && r.clientTtftMs <= slo.ttftMs))
    return false
  const tpot = tpotOf(r)
  if (slo.tpotMs !== undefined && tpot !== undefined && tpot > slo.tpotMs) return false
  if (slo.e2eMs !== undefined && r.e2eMs > slo.e2eMs) return false
  return true
}

/** The load samples of one round; a metric the round cannot give (nothing answered) is absent. */
export function roundLoadSamples(round: Round, slo?: Slo): Partial<Record<LoadMetricName, number>> {
  const out: Partial<Record<LoadMetricName, number>> = {}
  if (round.length === 0) return out
  const answered = round.flatMap((q) => (q.record ? [q.record] : []))
  out.error_rate = (round.length - answered.length) / round.length
  if (slo) {
    const meeting = answered.filter((r) => meetsSlo(r, slo)).length
    out.slo_attainment = meeting / round.length
  }
  if (answered.length === 0) return out
  const start = Math.min(...round.map((q) => q.sentAt))
  const end = Math.max(...answered.map((r) => r.startedAt + r.e2eMs))
  const wallMs = end - start
  const tokens = answered.reduce((s, r) => s + (r.final.evalCount ?? 0), 0)
  if (wallMs > 0 && tokens > 0) out.aggregate_tps = (tokens / wallMs) * 1000
  if (slo && wallMs > 0) {
    out.goodput = (answered.filter((r) => meetsSlo(r, slo)).length / wallMs) * 1000
  }
  const ttfts = answered.flatMap((r) => (r.clientTtftMs === undefined ? [] : [r.clientTtftMs]))
  if (ttfts.length) {
    out.ttft_p50_ms = quantile(ttfts, 0.5)
    out.ttft_p95_ms = quantile(ttfts, 0.95)
  }
  out.e2e_p95_ms = quantile(
    answered.map((r) => r.e2eMs),
    0.95
  )
  const tpots = answered.flatMap((r) => {
    const t = tpotOf(r)
    return t === undefined || t <= 0 ? [] : [t]
  })
  if (tpots.length) {
    out.tpot_ms = mean(tpots)
    out.per_user_tps = mean(tpots.map((t) => 1000 / t))
  }
  out.achieved_concurrency = peakOverlap(
    answered.flatMap((r): [number, number][] =>
      r.clientTtftMs === undefined ? [] : [[r.startedAt + r.clientTtftMs, r.startedAt + r.e2eMs]]
    )
  )
  return out
}

/** The load metrics over the measured rounds (warm-up rounds as `warmup`), in LOAD_METRICS order. */
export function buildLoadMetrics(input: {
  cls: MetricClass
  warmups: Round[]
  measured: Round[]
  slo?: Slo
}): Metric[] {
  const measured = input.measured.map((r) => roundLoadSamples(r, input.slo))
  const warm = input.warmups.map((r) => roundLoadSamples(r, input.slo))
  const metrics: Metric[] = []
  for (const [name, def] of Object.entries(LOAD_METRICS) as [
    LoadMetricName,
    (typeof LOAD_METRICS)[LoadMetricName]
  ][]) {
    const samples = measured.flatMap((s) => (s[name] === undefined ? [] : [s[name]]))
    if (samples.length === 0) continue
    const warmup = warm.flatMap((s) => (s[name] === undefined ? [] : [s[name]]))
    metrics.push({
      name,
      unit: def.unit,
      direction: def.direction,
      class: input.cls,
      samples,
      ...(warmup.length ? { warmup } : {}),
      ...('gate' in def ? { gate: def.gate } : {})
    })
  }
  return metrics
}
