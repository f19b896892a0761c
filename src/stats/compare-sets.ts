import type { Benchmark, Metric, ResultSet } from '../results/model.js'
import { compareMetric, neutralComparison, type CompareInput } from './compare.js'
import { gate } from './gate.js'
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
  /** The FAIL level per benchmark; adaptive sampling spends alpha over its looks (alpha/K). */
  failAlphaFor?: (benchmark: string) => number | undefined
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
    ...(failAlpha !== undefined ? { failAlpha } : {})
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
  const comparisons: MetricComparison[] = []
  const seen = new Set<string>()
  for (const b of current.benchmarks) {
    for (const m of b.metrics) {
      if (m.gate === false) continue
      const key = `${b.name}\u0000${m.name}`
      seen.add(key)
      const old = base.get(key)
      const thresholds = thresholdsFor(b.name, m)
      if (!old) {
        comparisons.push(
          neutral(b.name, m, thresholds, 'new metric: the baseline has no samples for it yet')
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
      comparisons.push(compareMetric(inputFor(b.name, m, old, thresholds, opts)))
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
      .map((m) => neutral(b.name, m, thresholdsFor(b.name, m), reason))
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

function neutral(
  benchmark: string,
  m: Metric,
  thresholds: Thresholds,
  reason: string
): MetricComparison {
  return neutralComparison(
    { benchmark, metric: m.name, unit: m.unit, direction: m.direction, class: m.class, thresholds },
    reason
  )
}
