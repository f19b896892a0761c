import { mean, sampleStandardDeviation } from 'simple-statistics'
import type { Metric } from '../results/model.js'
import type { LoadedModel } from './ollama-client.js'
import type { RunRecord, StreamRequest } from './ollama-stream.js'

/**
 * Checks that turn a run's numbers into warnings a reviewer can act on. Each note starts with a
 * stable code ("short-output: …") so reports can group or count them.
 */

/** A warm request still spends a few ms in the scheduler; a reload takes far longer. */
export const COLD_LOAD_MS = 250
/** Without num_predict, fewer tokens than this make decode tok/s a measure of noise. */
export const MIN_TOKENS = 16
const EXPECTED_DONE = new Set(['stop', 'length'])

function range(values: number[], unit = ''): string {
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const f = (v: number): string => `${Math.round(v)}${unit}`
  return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))} %`
}

export function outputAnomalies(measured: RunRecord[], numPredict: number | undefined): string[] {
  const notes: string[] = []
  const asked = numPredict !== undefined && numPredict > 0 ? numPredict : undefined
  const floor = asked !== undefined ? Math.ceil(asked / 2) : MIN_TOKENS
  const short = measured.filter((r) => (r.final.evalCount ?? 0) < floor)
  if (short.length) {
    const counts = short.map((r) => r.final.evalCount ?? 0)
    const reasons = [...new Set(short.map((r) => r.final.doneReason ?? 'none'))].join(', ')
    const against = asked !== undefined ? ` of the ${asked} asked (num_predict)` : ''
    notes.push(
      `short-output: ${short.length} of ${measured.length} measured runs produced ${range(counts)} tokens${against}, under ${floor} (done_reason ${reasons}); decode_tps over so few tokens is noise and e2e_ms is not comparable`
    )
  }
  const odd = measured.filter((r) => r.final.doneReason && !EXPECTED_DONE.has(r.final.doneReason))
  if (odd.length) {
    const reasons = [...new Set(odd.map((r) => r.final.doneReason))].join(', ')
    notes.push(
      `done-reason: ${odd.length} of ${measured.length} measured runs ended with done_reason ${reasons}, not stop or length`
    )
  }
  return notes
}

/** Thinking tokens count in eval_count; unless asked for, they inflate decode_tps and TTFT. */
export function thinkingAnomaly(runs: RunRecord[], think: StreamRequest['think']): string[] {
  const thinking = runs.filter((r) => r.thinkingChunks > 0)
  if (thinking.length === 0) return []
  const chunks = thinking.reduce((s, r) => s + r.thinkingChunks, 0)
  const what = `${thinking.length} of ${runs.length} runs streamed thinking (${chunks} chunks)`
  if (think === false) {
    return [
      `thinking: ${what} although think: false was sent; eval_count and decode_tps include it`
    ]
  }
  if (think !== undefined) return []
  return [
    `thinking: ${what}; thinking tokens count in eval_count and decode_tps, and ttft_ms ends at the first thinking chunk. Pin options.think (false to measure the answer alone)`
  ]
}

export function offloadAnomaly(
  model: string,
  entry: LoadedModel | undefined,
  keepAlive: string | number
): string[] {
  if (!entry) {
    // With keep_alive 0 the server unloads after each request, so absence is expected.
    if (keepAlive === 0 || keepAlive === '0') return []
    return [
      `not-resident: ${model} was not in /api/ps after the runs, so its GPU offload could not be checked`
    ]
  }
  if (entry.size === undefined || entry.sizeVram === undefined || entry.size <= 0) return []
  if (entry.sizeVram >= entry.size) return []
  const gib = (b: number): string => (b / 2 ** 30).toFixed(1)
  return [
    `partial-offload: only ${pct(entry.sizeVram / entry.size)} of ${model} is in VRAM (${gib(entry.sizeVram)} of ${gib(entry.size)} GiB, /api/ps size_vram < size); the rest runs on the CPU and decode speed collapses. Lower num_ctx, pick a smaller quantization or free VRAM`
  ]
}

export function contextAnomaly(
  model: string,
  entry: LoadedModel | undefined,
  numCtx: number
): string[] {
  if (entry?.contextLength === undefined || entry.contextLength === numCtx) return []
  return [
    `num-ctx: the server runs ${model} with a context of ${entry.contextLength} tokens, not the num_ctx ${numCtx} sent`
  ]
}

/** The cold run should pay the load; one as quick as the warm requests found the model loaded. */
export function loadTimeAnomaly(cold: RunRecord, warm: RunRecord[]): string[] {
  const load = cold.final.loadDuration
  if (load === undefined) return []
  const ms = load / 1e6
  const warmest = Math.max(0, ...warm.map((r) => (r.final.loadDuration ?? 0) / 1e6))
  if (ms >= COLD_LOAD_MS || ms > 2 * warmest + 1) return []
  return [
    `load-time: the cold run found the model already loaded (load ${ms.toFixed(0)} ms), so load_ms is not a cold start`
  ]
}

export function coldRunAnomaly(measured: RunRecord[]): string[] {
  const cold = measured
    .map((r, i) => ({ run: i + 1, ms: (r.final.loadDuration ?? 0) / 1e6 }))
    .filter((x) => x.ms > COLD_LOAD_MS)
  if (cold.length === 0) return []
  return [
    `cold-run: measured run ${cold.map((c) => c.run).join(', ')} reloaded the model (load ${range(
      cold.map((c) => c.ms),
      ' ms'
    )}); keep_alive may have expired or another model evicted it, and those runs' TTFT and e2e include the load`
  ]
}

// Two-sided 5 % test with 80 % power: n per side ≈ 2·(z₀.₉₇₅ + z₀.₈)²·(CV/budget)².
const POWER_FACTOR = 2 * (1.959964 + 0.841621) ** 2

/** Runs per side needed to tell a change of `budget` from noise of this CV. */
export function runsNeeded(cv: number, budget: number): number {
  return Math.ceil(POWER_FACTOR * (cv / budget) ** 2)
}

/**
 * A gated metric whose run-to-run spread is large against its budget cannot give a verdict at this
 * number of runs; better to say so now than to blame the next pull request for noise.
 */
export function spreadAnomalies(
  metrics: Metric[],
  failBudget: (m: Metric) => number | null
): string[] {
  const notes: string[] = []
  for (const m of metrics) {
    if (m.gate === false || m.samples.length < 2) continue
    const budget = failBudget(m)
    const avg = mean(m.samples)
    if (!budget || avg === 0) continue
    const cv = sampleStandardDeviation(m.samples) / Math.abs(avg)
    const needed = runsNeeded(cv, budget)
    if (needed <= m.samples.length) continue
    notes.push(
      `high-cv: ${m.name} varies ${pct(cv)} run to run (CV); telling a ${pct(budget)} change from noise takes about ${needed} runs per side, this benchmark has ${m.samples.length}. Raise repetitions or quiet the runner`
    )
  }
  return notes
}
