import type { Benchmark, Metric, ResultSet } from '../results/model.js'
import { sequentialLook, storedSequentialLook, type Look, type SamplingPlan } from './adaptive.js'
import { neutralComparison, plainSummary, type CompareInput, type FromZero } from './compare.js'
import { gate } from './gate.js'
import { DEFAULT_MAX_JOBS, recentHistory, summarizeJob, type JobSummary } from './history-rule.js'
import { compareStored, type StoredHistoryInput, type StoredInput } from './stored-rule.js'
import { compareProportion, isProportion } from './proportion.js'
import type { GateOutcome, MetricComparison, Thresholds } from './types.js'

export type ThresholdsFor = (benchmark: string, metric: Metric) => Thresholds

export const DEFAULT_THRESHOLDS: Record<Metric['class'], Thresholds> = {
  core: { warn: 0.05, fail: 0.05 },
  'non-critical': { warn: 0.05, fail: 0.1 }
}

export const defaultThresholdsFor: ThresholdsFor = (_b, m) => DEFAULT_THRESHOLDS[m.class]

export interface CompareOptions {
  thresholdsFor?: ThresholdsFor
  minSamples?: number
  /** What a regression from 0 in every sample is (default fail). */
  fromZero?: FromZero
  /** The FAIL level per benchmark; adaptive sampling spends alpha over its looks (alpha/K). */
  failAlphaFor?: (benchmark: string) => number | undefined
  /**
   * The stored jobs behind the baseline: with them (and a runner drift above 0) every metric is
   * compared by the history-aware rule, the job as the unit of replication, instead of by the
   * two-sample rule against the one baseline's runs.
   */
  history?: StoredHistory
}

/** Stored baselines as jobs: what the history-aware rule compares this run with. */
export interface StoredHistory {
  /** Stored result sets, oldest first; the last is the chosen baseline. */
  sets: readonly ResultSet[]
  /**
   * Whether stored set `index` may stand for `benchmark` (its environment matches this run's);
   * default every set.
   */
  usable?: (index: number, benchmark: string) => boolean
  /** τ₀, `runner-drift` as a fraction; 0 keeps the two-sample rule against the chosen baseline. */
  runnerDrift: number
  /** ν₀, the pseudo-jobs the prior is worth (default 4). */
  priorJobs?: number
  /** Stored jobs used at most (default 30). */
  maxJobs?: number
}

/** The history-aware rule applies: stored jobs exist and the runner is said to drift. */
export function usesHistory(opts: CompareOptions): boolean {
  const h = opts.history
  return h !== undefined && h.runnerDrift > 0 && h.sets.length > 0
}

function inputFor(
  benchmark: string,
  m: Metric,
  old: Metric,
  thresholds: Thresholds,
  opts: CompareOptions
): CompareInput {
  const failAlpha = opts.failAlphaFor?.(benchmark)
  return {
    benchmark,
    metric: m.name,
    unit: m.unit,
    direction: m.direction,
    class: m.class,
    thresholds,
    baseline: old.samples,
    current: m.samples,
    ...(opts.minSamples !== undefined ? { minSamples: opts.minSamples } : {}),
    ...(failAlpha !== undefined ? { failAlpha } : {}),
    ...(opts.fromZero ? { fromZero: opts.fromZero } : {})
  }
}

/**
 * What adaptive sampling looks at: the gated metrics of `current` that the baseline has too, in
 * the comparable form the gate itself will use.
 */
export function comparableInputs(
  baseline: ResultSet,
  current: Benchmark[],
  opts: CompareOptions = {}
): CompareInput[] {
  const thresholdsFor = opts.thresholdsFor ?? defaultThresholdsFor
  const base = indexMetrics(baseline.benchmarks)
  const inputs: CompareInput[] = []
  for (const b of current) {
    for (const m of b.metrics) {
      const old = base.get(`${b.name}\u0000${m.name}`)
      if (m.gate === false || !old || old.unit !== m.unit || old.direction !== m.direction) continue
      inputs.push(inputFor(b.name, m, old, thresholdsFor(b.name, m), opts))
    }
  }
  return inputs
}

/** Each stored set's metrics by `benchmark\0metric`, built once per set for all the looks. */
const metricIndex = new WeakMap<ResultSet, Map<string, Metric>>()
function metricsOf(set: ResultSet): Map<string, Metric> {
  let index = metricIndex.get(set)
  if (!index) {
    index = indexMetrics(set.benchmarks)
    metricIndex.set(set, index)
  }
  return index
}

/**
 * The stored jobs of one metric, oldest first: every usable set that measured it in the same unit
 * and direction, summarised (a set whose samples cannot be read as ratios is left out).
 */
function storedJobs(history: StoredHistory, benchmark: string, m: Metric): JobSummary[] {
  const jobs: JobSummary[] = []
  history.sets.forEach((set, i) => {
    if (history.usable && !history.usable(i, benchmark)) return
    const old = metricsOf(set).get(`${benchmark}\u0000${m.name}`)
    if (!old || old.unit !== m.unit || old.direction !== m.direction) return
    try {
      const job = summarizeJob(old.samples)
      if (job) jobs.push(job)
    } catch {
      // Not a ratio-scale sample (0, negative): that job cannot say where the centre is.
    }
  })
  return jobs
}

function historyInputFor(
  benchmark: string,
  m: Metric,
  thresholds: Thresholds,
  history: StoredHistory,
  opts: CompareOptions
): StoredHistoryInput | null {
  const jobs = storedJobs(history, benchmark, m)
  if (jobs.length === 0) return null
  const recent = recentHistory(jobs, { maxJobs: history.maxJobs ?? DEFAULT_MAX_JOBS })
  const failAlpha = opts.failAlphaFor?.(benchmark)
  return {
    benchmark,
    metric: m.name,
    unit: m.unit,
    direction: m.direction,
    class: m.class,
    thresholds,
    history: recent.jobs,
    current: m.samples,
    runnerDrift: history.runnerDrift,
    ...(history.priorJobs !== undefined ? { priorJobs: history.priorJobs } : {}),
    minSamples: opts.minSamples ?? 5,
    ...(failAlpha !== undefined ? { failAlpha } : {}),
    found: jobs.length,
    // recentHistory cuts at the change point and then keeps the newest maxJobs.
    beforeChangePoint: recent.cutAt ?? 0
  }
}

/**
 * One metric against its baseline: by the history-aware rule when stored jobs are given and the
 * runner drifts, else (or when no stored job has readable samples, so the reason is the two-sample
 * rule's) by the two-sample rule against the chosen baseline.
 */
function compareOne(
  benchmark: string,
  m: Metric,
  old: Metric,
  thresholds: Thresholds,
  opts: CompareOptions
): MetricComparison {
  const history = opts.history
  const h =
    history && usesHistory(opts) ? historyInputFor(benchmark, m, thresholds, history, opts) : null
  return compareStored(h ?? inputFor(benchmark, m, old, thresholds, opts))
}

/**
 * One look of adaptive sampling at the benchmarks measured so far: by the history-aware rule when
 * it applies (the stored jobs stay as they are while this job's runs grow), else the two-sample
 * rule against the chosen baseline with the baseline fixed.
 */
export function lookAt(
  baseline: ResultSet,
  current: Benchmark[],
  runs: number,
  plan: SamplingPlan,
  opts: CompareOptions = {}
): Look {
  const history = opts.history
  if (!history || !usesHistory(opts)) {
    return sequentialLook(comparableInputs(baseline, current, opts), runs, plan, {
      fixedBaseline: true
    })
  }
  const thresholdsFor = opts.thresholdsFor ?? defaultThresholdsFor
  const base = indexMetrics(baseline.benchmarks)
  const inputs: StoredInput[] = []
  for (const b of current) {
    for (const m of b.metrics) {
      const old = base.get(`${b.name}\u0000${m.name}`)
      if (m.gate === false || !old || old.unit !== m.unit || old.direction !== m.direction) continue
      const thresholds = thresholdsFor(b.name, m)
      // As the final comparison will: two-sample where no stored job can speak for the metric.
      const h = historyInputFor(b.name, m, thresholds, history, opts)
      inputs.push(h ?? inputFor(b.name, m, old, thresholds, opts))
    }
  }
  return storedSequentialLook(inputs, runs, plan)
}

/**
 * Compares every gated metric of `current` with the same metric of `baseline`. A metric that only
 * one side has is listed as neutral, so a renamed benchmark shows up instead of vanishing.
 */
export function compareResultSets(
  baseline: ResultSet,
  current: ResultSet,
  opts: CompareOptions = {}
): GateOutcome {
  const thresholdsFor = opts.thresholdsFor ?? defaultThresholdsFor
  const base = indexMetrics(baseline.benchmarks)
  const baseInvalid = new Map(
    baseline.benchmarks.flatMap((b) => (b.invalid ? [[b.name, b.invalid] as const] : []))
  )
  const comparisons: MetricComparison[] = []
  const seen = new Set<string>()
  for (const b of current.benchmarks) {
    for (const m of b.metrics) {
      if (m.gate === false) continue
      const key = `${b.name}\u0000${m.name}`
      seen.add(key)
      const old = base.get(key)
      const thresholds = thresholdsFor(b.name, m)
      // An invalid run (a model partly on the CPU) measured the setup, not the code.
      const invalid = b.invalid
        ? `invalid run, not gated: ${b.invalid}`
        : old && baseInvalid.has(b.name)
          ? `not compared: the baseline's run was invalid (${baseInvalid.get(b.name) ?? ''})`
          : null
      if (invalid) {
        comparisons.push(
          neutralComparison(
            {
              benchmark: b.name,
              metric: m.name,
              unit: m.unit,
              direction: m.direction,
              class: m.class,
              thresholds
            },
            invalid,
            old ? plainSummary(old.samples) : null,
            plainSummary(m.samples)
          )
        )
        continue
      }
      if (!old) {
        comparisons.push(
          neutral(b.name, m, thresholds, 'new metric: the baseline has no samples for it yet', true)
        )
        continue
      }
      if (old.unit !== m.unit || old.direction !== m.direction) {
        comparisons.push(
          neutral(
            b.name,
            m,
            thresholds,
            `not comparable: the baseline measured it in ${old.unit} (${old.direction} is better), this run in ${m.unit} (${m.direction} is better)`
          )
        )
        continue
      }
      // A fraction (accuracy, error_rate) is a proportion: its own rule, whatever the baseline.
      comparisons.push(
        isProportion(m)
          ? compareProportion(inputFor(b.name, m, old, thresholds, opts))
          : compareOne(b.name, m, old, thresholds, opts)
      )
    }
  }
  for (const [key, m] of base) {
    if (seen.has(key) || m.gate === false) continue
    const [bench = ''] = key.split('\u0000')
    comparisons.push(
      neutral(bench, m, thresholdsFor(bench, m), 'not measured in this run (the baseline has it)')
    )
  }
  return gate(comparisons)
}

/** The outcome when there is nothing to compare with. */
export function noBaselineOutcome(
  current: ResultSet,
  reason: string,
  thresholdsFor = defaultThresholdsFor
): GateOutcome {
  const comparisons = current.benchmarks.flatMap((b) =>
    b.metrics
      .filter((m) => m.gate !== false)
      .map((m) => neutral(b.name, m, thresholdsFor(b.name, m), reason, true))
  )
  return {
    verdict: 'neutral',
    route: 'none',
    reason,
    comparisons,
    regressions: 0,
    improvements: 0,
    unchanged: 0
  }
}

function indexMetrics(benches: Benchmark[]): Map<string, Metric> {
  const map = new Map<string, Metric>()
  for (const b of benches) for (const m of b.metrics) map.set(`${b.name}\u0000${m.name}`, m)
  return map
}

/** A metric not compared; `measured`: this run's samples are shown (median and spread). */
function neutral(
  benchmark: string,
  m: Metric,
  thresholds: Thresholds,
  reason: string,
  measured = false
): MetricComparison {
  return neutralComparison(
    { benchmark, metric: m.name, unit: m.unit, direction: m.direction, class: m.class, thresholds },
    reason,
    null,
    measured ? plainSummary(m.samples) : null
  )
}
