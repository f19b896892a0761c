import { median } from 'simple-statistics'
import type { ResultSet } from '../results/model.js'
import type { MetricComparison } from '../stats/types.js'
import { escapeMarkdown } from './escape.js'
import { formatPercent } from './format.js'
import { valueDelta } from './tables.js'

/*
 * Which stage of an LLM request carries a change in TTFT or latency. Ollama splits a request into
 * load, prompt evaluation and decode; their per-token times come from the rates the runner
 * records, so a TTFT change can be laid at the door of the stage that moved.
 */

/** A stage that moved less than this is "unchanged". */
export const UNCHANGED = 0.02

export type Stage = 'load' | 'prompt eval' | 'decode' | 'output tokens'

export interface Hotspot {
  benchmark: string
  /** What changed: TTFT or end-to-end latency. */
  total: 'TTFT' | 'latency'
  change: number
  stages: Array<{ stage: Stage; change: number }>
  /** The stage that moved most in the direction of the total, or null when none did. */
  carriedBy: Stage | null
}

function med(set: ResultSet | null, bench: string, metric: string): number | undefined {
  const m = set?.benchmarks.find((b) => b.name === bench)?.metrics.find((x) => x.name === metric)
  return m && m.samples.length ? median(m.samples) : undefined
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && a > 0 && b > 0 ? a / b - 1 : undefined
}

function totalChange(
  comparisons: readonly MetricComparison[],
  current: ResultSet,
  baseline: ResultSet,
  bench: string,
  metric: string
): number | undefined {
  const c = comparisons.find((x) => x.benchmark === bench && x.metric === metric)
  const fromGate = c ? valueDelta(c) : null
  if (fromGate !== null && fromGate !== undefined) return fromGate
  return ratio(med(current, bench, metric), med(baseline, bench, metric))
}

export function hotspots(
  comparisons: readonly MetricComparison[],
  current: ResultSet,
  baseline: ResultSet | null
): Hotspot[] {
  if (!baseline) return []
  const out: Hotspot[] = []
  for (const b of current.benchmarks) {
    const names = new Set(b.metrics.map((m) => m.name))
    if (!names.has('decode_tps') && !names.has('prompt_tps')) continue
    const load = ratio(med(current, b.name, 'load_ms'), med(baseline, b.name, 'load_ms'))
    // Time per token is the inverse of the rate.
    const prompt = ratio(med(baseline, b.name, 'prompt_tps'), med(current, b.name, 'prompt_tps'))
    const decode = ratio(med(baseline, b.name, 'decode_tps'), med(current, b.name, 'decode_tps'))
    const tokens = ratio(
      med(current, b.name, 'output_tokens'),
      med(baseline, b.name, 'output_tokens')
    )
    const stage = (s: Stage, v: number | undefined): Array<{ stage: Stage; change: number }> =>
      v === undefined ? [] : [{ stage: s, change: v }]
    const ttftMetric = names.has('ttft_ms') ? 'ttft_ms' : 'server_ttft_ms'
    const ttft = totalChange(comparisons, current, baseline, b.name, ttftMetric)
    if (ttft !== undefined) {
      out.push(
        attribute(b.name, 'TTFT', ttft, [...stage('load', load), ...stage('prompt eval', prompt)])
      )
    }
    const e2e = totalChange(comparisons, current, baseline, b.name, 'e2e_ms')
    if (e2e !== undefined) {
      out.push(
        attribute(b.name, 'latency', e2e, [
          ...stage('prompt eval', prompt),
          ...stage('decode', decode),
          ...stage('output tokens', tokens)
        ])
      )
    }
  }
  return out
}

function attribute(
  benchmark: string,
  total: Hotspot['total'],
  change: number,
  stages: Hotspot['stages']
): Hotspot {
  let carriedBy: Stage | null = null
  if (Math.abs(change) >= UNCHANGED) {
    const same = stages
      .filter((s) => Math.sign(s.change) === Math.sign(change) && Math.abs(s.change) >= UNCHANGED)
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
    carriedBy = same[0]?.stage ?? null
  }
  return { benchmark, total, change, stages, carriedBy }
}

function changeText(v: number): string {
  return Math.abs(v) < UNCHANGED ? 'unchanged' : formatPercent(v)
}

/** "TTFT +18.0 %: prompt eval +31.0 %, load unchanged; carried by prompt eval" */
export function hotspotLine(h: Hotspot): string {
  const stages = h.stages.map((s) =>
    Math.abs(s.change) < UNCHANGED
      ? `${s.stage} unchanged`
      : `${s.stage} ${formatPercent(s.change)}`
  )
  const carried = h.carriedBy ? `; carried by ${h.carriedBy}` : ''
  return `${h.total} ${changeText(h.change)}: ${stages.join(', ') || 'no stage timings'}${carried}`
}

export function renderHotspotSection(hs: Hotspot[]): string {
  if (hs.length === 0)
    return '_No LLM stage timings to attribute a change to (no Ollama benchmark with a baseline)._'
  return [
    'Per-token stage times come from the rates (prompt eval: 1/prompt tokens/s, decode: 1/decode tokens/s); load is the cold run.',
    '',
    ...hs.map((h) => `- ${escapeMarkdown(h.benchmark, { maxLength: 80 })}: ${hotspotLine(h)}`)
  ].join('\n')
}
