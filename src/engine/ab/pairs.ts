import { median } from 'simple-statistics'
import type { SamplingPlan } from '../../config/types.js'
import type { Benchmark, Metric } from '../../results/model.js'
import { lookSchedule } from '../../stats/adaptive.js'
import type { ThresholdsFor } from '../../stats/compare-sets.js'
import { neutralComparison } from '../../stats/compare.js'
import type { PairedCompareInput } from '../../stats/paired.js'
import type { MetricComparison } from '../../stats/types.js'
import type { PairOrder } from './schedule.js'

/*
 * What the visits of an A/B run become: each visit is reduced to its centre per metric (the median
 * of its samples: a tool may report several per run), pair i is the base's and the head's visit i,
 * and every metric both trees report becomes one input of the paired rule. Budgets, classes and
 * gating switches are the base's.
 */

/** The visits of one benchmark in both trees, pair by pair. */
export interface PairedVisits {
  /** The config entry's name. */
  name: string
  /** Per pair: each arm's visit, as benchmarks with that visit's samples. */
  base: Benchmark[][]
  head: Benchmark[][]
  /** Warm-up visits, kept for the record. */
  baseWarm: Benchmark[][]
  headWarm: Benchmark[][]
  orders: PairOrder[]
  plan: SamplingPlan
}

const key = (bench: string, metric: string): string => `${bench}\u0000${metric}`

/** The visit's centre per metric: the median of its samples. */
function centres(visit: Benchmark[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const b of visit) {
    for (const m of b.metrics) if (m.samples.length) out.set(key(b.name, m.name), median(m.samples))
  }
  return out
}

/**
 * The visits of one arm as one result: samples in visit order, warm-up samples apart. A metric
 * keeps the unit, direction, class and gate flag of its first visit.
 */
export function poolVisits(visits: Benchmark[][], warm: Benchmark[][]): Benchmark[] {
  const benches = new Map<string, Benchmark>()
  const metrics = new Map<string, Metric>()
  const add = (visit: Benchmark[], isWarm: boolean): void => {
    for (const b of visit) {
      let bench = benches.get(b.name)
      if (!bench) {
        bench = { ...b, metrics: [] }
        benches.set(b.name, bench)
      }
      for (const m of b.metrics) {
        let metric = metrics.get(key(b.name, m.name))
        if (!metric) {
          metric = { ...m, samples: [] }
          delete metric.warmup
          metrics.set(key(b.name, m.name), metric)
          bench.metrics.push(metric)
        }
        if (isWarm) metric.warmup = [...(metric.warmup ?? []), ...m.samples]
        else metric.samples.push(...m.samples)
      }
    }
  }
  for (const v of warm) add(v, true)
  for (const v of visits) add(v, false)
  // A metric seen only in warm-ups has no sample to report.
  return [...benches.values()]
    .map((b) => ({ ...b, metrics: b.metrics.filter((m) => m.samples.length > 0) }))
    .filter((b) => b.metrics.length > 0)
}

/** One-sided FAIL level of a benchmark's pairs: alpha spent over the plan's looks. */
export function pairedFailAlpha(plan: SamplingPlan, alpha = 0.05): number {
  return alpha / lookSchedule(plan).length
}

function metricIndex(benches: Benchmark[]): Map<string, { bench: string; metric: Metric }> {
  const out = new Map<string, { bench: string; metric: Metric }>()
  for (const b of benches)
    for (const m of b.metrics) out.set(key(b.name, m.name), { bench: b.name, metric: m })
  return out
}

/**
 * The paired rule's inputs for one benchmark, and the metrics that cannot be compared (only one
 * tree reports them, or in other units) as neutral rows. A metric the base does not gate is left
 * out, whatever the head says.
 */
export function pairedInputs(
  v: PairedVisits,
  thresholdsFor: ThresholdsFor
): { inputs: PairedCompareInput[]; neutral: MetricComparison[] } {
  const baseMetrics = metricIndex(poolVisits(v.base, []))
  const headMetrics = metricIndex(poolVisits(v.head, []))
  const baseCentres = v.base.map(centres)
  const headCentres = v.head.map(centres)
  const inputs: PairedCompareInput[] = []
  const neutral: MetricComparison[] = []
  const failAlpha = pairedFailAlpha(v.plan)
  const row = (bench: string, m: Metric, reason: string): MetricComparison =>
    neutralComparison(
      {
        benchmark: bench,
        metric: m.name,
        unit: m.unit,
        direction: m.direction,
        class: m.class,
        thresholds: thresholdsFor(bench, m)
      },
      reason
    )
  for (const [k, head] of headMetrics) {
    const base = baseMetrics.get(k)
    if (!base) {
      if (head.metric.gate !== false)
        neutral.push(row(head.bench, head.metric, "new metric: the base's tree does not report it"))
      continue
    }
    // The gating switch and class are the base's: a pull request cannot turn its own gate off.
    if (base.metric.gate === false) continue
    const m = base.metric
    if (m.unit !== head.metric.unit || m.direction !== head.metric.direction) {
      neutral.push(
        row(
          base.bench,
          m,
          `not comparable: the base measured it in ${m.unit} (${m.direction} is better), this tree in ${head.metric.unit} (${head.metric.direction} is better)`
        )
      )
      continue
    }
    const baseline: number[] = []
    const current: number[] = []
    for (let i = 0; i < Math.min(baseCentres.length, headCentres.length); i++) {
      const b = baseCentres[i]?.get(k)
      const h = headCentres[i]?.get(k)
      if (b !== undefined && h !== undefined) {
        baseline.push(b)
        current.push(h)
      }
    }
    inputs.push({
      benchmark: base.bench,
      metric: m.name,
      unit: m.unit,
      direction: m.direction,
      class: m.class,
      thresholds: thresholdsFor(base.bench, m),
      baseline,
      current,
      failAlpha
    })
  }
  for (const [k, base] of baseMetrics) {
    if (headMetrics.has(k) || base.metric.gate === false) continue
    neutral.push(row(base.bench, base.metric, "not reported by this tree (the base's reports it)"))
  }
  return { inputs, neutral }
}
