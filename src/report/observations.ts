import { mean, median, sampleStandardDeviation } from 'simple-statistics'
import type { Benchmark, Metric, ResultSet } from '../results/model.js'
import { MAX_ADVISED_RUNS, PAIRED_UNDECIDABLE_HELP, UNDECIDABLE_HELP } from '../stats/planning.js'
import type { MetricComparison } from '../stats/types.js'
import { plural } from '../shared/text.js'
import { formatRoughPercent } from './format.js'

/*
 * The anomalies a reader should see before trusting a number: outlying runs in any metric
 * (imported ones too), high run-to-run spread, runner notes and undecided metrics. Pure
 * computations; the section renderers phrase them.
 */

/** A run this far from the median (either way, as a ratio) is named. */
export const OUTLIER_RATIO = 2
/** Run-to-run spread above this is worth a line. */
export const HIGH_CV = 0.1

export interface Outlier {
  benchmark: string
  metric: string
  unit: string
  /** 1-based; warm-up runs are numbered among themselves. */
  run: number
  warmup: boolean
  value: number
  median: number
  /** value / median. */
  ratio: number
}

function outliersOf(b: Benchmark, m: Metric): Outlier[] {
  if (m.samples.length < 3) return []
  const med = median(m.samples)
  if (!(med > 0)) return []
  const found: Outlier[] = []
  const check = (value: number, run: number, warmup: boolean): void => {
    // A zero or negative value is always named: it has no distance from the median to compare.
    const ratio = value / med
    if (value > 0 && ratio < OUTLIER_RATIO && ratio > 1 / OUTLIER_RATIO) return
    found.push({
      benchmark: b.name,
      metric: m.name,
      unit: m.unit,
      run,
      warmup,
      value,
      median: med,
      ratio
    })
  }
  m.samples.forEach((v, i) => check(v, i + 1, false))
  m.warmup?.forEach((v, i) => check(v, i + 1, true))
  return found
}

/** Outlying runs of every metric with at least three samples, largest distance first. */
export function findOutliers(set: ResultSet): Outlier[] {
  const all = set.benchmarks.flatMap((b) => b.metrics.flatMap((m) => outliersOf(b, m)))
  const distance = (o: Outlier): number =>
    o.ratio > 0 ? Math.abs(Math.log(o.ratio)) : Number.POSITIVE_INFINITY
  return all.sort((a, b) => distance(b) - distance(a))
}

export interface Spread {
  benchmark: string
  metric: string
  /** Sample sd / mean of the measured runs. */
  cv: number
  n: number
}

/** Gated metrics whose measured runs vary more than `HIGH_CV`, largest first. */
export function highSpread(set: ResultSet): Spread[] {
  const out: Spread[] = []
  for (const b of set.benchmarks) {
    for (const m of b.metrics) {
      if (m.gate === false || m.samples.length < 2) continue
      const avg = mean(m.samples)
      if (avg === 0) continue
      const cv = sampleStandardDeviation(m.samples) / Math.abs(avg)
      if (cv > HIGH_CV) out.push({ benchmark: b.name, metric: m.name, cv, n: m.samples.length })
    }
  }
  return out.sort((a, b) => b.cv - a.cv)
}

export interface RunnerNote {
  benchmark: string
  /** The note's stable code ("cold-run", "short-output", …), or "note". */
  code: string
  text: string
}

export function runnerNotes(set: ResultSet): RunnerNote[] {
  return set.benchmarks.flatMap((b) =>
    (b.notes ?? []).map((text) => {
      const code = /^([a-z][a-z0-9-]*):\s/.exec(text)?.[1] ?? 'note'
      return { benchmark: b.name, code, text }
    })
  )
}

/**
 * Runs per arm still to add before an inconclusive metric would be decided, when known and within
 * reason (MAX_ADVISED_RUNS): past it, running more is not the advice.
 */
export function moreRunsNeeded(c: MetricComparison): number | null {
  if (!c.inconclusive || c.runsToDecide === undefined) return null
  if (c.runsToDecide > MAX_ADVISED_RUNS) return null
  return Math.max(1, c.runsToDecide - (c.current?.n ?? 0))
}

/**
 * More runs in this job are not what decides it: no sane number would, or the stored baselines'
 * own spread is what keeps it open.
 */
export function beyondMoreRuns(c: MetricComparison): boolean {
  if (!c.inconclusive || moreRunsNeeded(c) !== null) return false
  return c.runsToDecide !== undefined || Number.isFinite(c.history?.resolution ?? NaN)
}

/**
 * What would decide an inconclusive metric, as a clause: more runs when a sane number would, else
 * why not and what helps. Plain text; the caller escapes nothing in it but numbers it formats.
 */
export function openAdvice(c: MetricComparison): string {
  const more = moreRunsNeeded(c)
  // An A/B comparison counts pairs, and is already the remedy the stored rules point to.
  if (c.pairs !== undefined) {
    if (more !== null) return `about ${plural(more, 'more pair')} would decide it`
    if (c.runsToDecide !== undefined && c.runsToDecide > MAX_ADVISED_RUNS) {
      return `it cannot be decided at this noise (over ${MAX_ADVISED_RUNS} pairs): ${PAIRED_UNDECIDABLE_HELP}`
    }
  }
  if (more !== null) return `about ${plural(more, 'more run')} per arm would decide it`
  if (c.runsToDecide !== undefined && c.runsToDecide > MAX_ADVISED_RUNS) {
    return `it cannot be decided at this noise (over ${MAX_ADVISED_RUNS} runs per arm): ${UNDECIDABLE_HELP}`
  }
  const resolution = c.history?.resolution
  if (resolution !== undefined && Number.isFinite(resolution)) {
    return `stored baselines on this runner can confirm regressions past ${formatRoughPercent(resolution)} only, and more runs here do not change that: same-job A/B (ab: true) would decide it`
  }
  return 'more runs would decide it'
}

/** Lines found in benchmark logs that look like warnings or errors, by file. */
export interface LogFinding {
  file: string
  line: number
  text: string
}

const LOG_PROBLEM = /\b(warn(?:ing)?|error|fatal|panic|exception|traceback|out of memory|oom)\b/i

/** Warning and error lines of one log, at most `max`; pure, so callers decide what to read. */
export function scanLog(file: string, text: string, max = 20): LogFinding[] {
  const out: LogFinding[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const line = lines[i] ?? ''
    if (LOG_PROBLEM.test(line)) out.push({ file, line: i + 1, text: line.trim() })
  }
  return out
}
