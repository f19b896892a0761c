import type { Direction, MetricClass } from '../results/model.js'
import type { Thresholds } from '../stats/types.js'
import type { ThresholdsFor } from '../stats/compare-sets.js'
import type { BenchmarkCommon, BenchmarkSpec, MetricOverride, PerfGateConfig } from './types.js'

/** Where a budget came from, most specific first. */
export type ThresholdSource = 'benchmark-metric' | 'benchmark' | 'metric' | 'class'

export interface ResolvedThresholds extends Thresholds {
  warnFrom: ThresholdSource
  failFrom: ThresholdSource
}

type ConfigThresholds = Pick<PerfGateConfig, 'thresholds'>
type BenchmarkOverrides = Pick<BenchmarkCommon, 'class' | 'thresholds' | 'metrics'>

// Own properties only: a metric called "constructor" must not find Object.prototype's.
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

function metricOverride(
  benchmark: Pick<BenchmarkCommon, 'metrics'>,
  metric: string
): MetricOverride | undefined {
  return own(benchmark.metrics, metric)
}

/** The levels a metric's budgets are looked up in, most specific first. */
export function thresholdLevels(
  config: ConfigThresholds,
  benchmark: BenchmarkOverrides,
  metric: string | undefined,
  metricClass: MetricClass
): { source: ThresholdSource; values: Partial<Thresholds> | undefined }[] {
  const cls =
    metric === undefined ? metricClass : resolveMetricClass(benchmark, metric, metricClass)
  return [
    {
      source: 'benchmark-metric',
      values: metric === undefined ? undefined : metricOverride(benchmark, metric)
    },
    { source: 'benchmark', values: benchmark.thresholds },
    {
      source: 'metric',
      values: metric === undefined ? undefined : own(config.thresholds.metrics, metric)
    },
    {
      source: 'class',
      values: cls === 'core' ? config.thresholds.core : config.thresholds.nonCritical
    }
  ]
}

/**
 * Budgets for one metric, warn and fail each taken from the most specific level that sets it, so
 * `{ warn: 2% }` on a benchmark keeps the fail budget from further up. `metric` undefined means a
 * metric with no per-metric entries.
 */
export function resolveThresholdsWithSource(
  config: ConfigThresholds,
  benchmark: BenchmarkOverrides,
  metric: string | undefined,
  metricClass: MetricClass
): ResolvedThresholds {
  let warn: { value: number; from: ThresholdSource } | undefined
  let fail: { value: number | null; from: ThresholdSource } | undefined
  for (const { source, values } of thresholdLevels(config, benchmark, metric, metricClass)) {
    if (!values) continue
    if (!warn && values.warn !== undefined) warn = { value: values.warn, from: source }
    if (!fail && values.fail !== undefined) fail = { value: values.fail, from: source }
  }
  // The class level always sets both, so these fallbacks only guard hand-built configs.
  const w = warn ?? { value: 0.05, from: 'class' as const }
  const f = fail ?? { value: null, from: 'class' as const }
  return { warn: w.value, fail: f.value, warnFrom: w.from, failFrom: f.from }
}

/**
 * The budgets a metric is gated with. The metric's class is the override's, if any, else
 * `metricClass`. The loader rejects warn > fail for every combination it can foresee; one it
 * cannot (a runner reporting a metric in another class) gets warn capped at fail, since a
 * regression past the fail budget must never count as less than a warning.
 */
export function resolveThresholds(
  config: ConfigThresholds,
  benchmark: BenchmarkOverrides,
  metric: string,
  metricClass: MetricClass
): Thresholds {
  const { warn, fail } = resolveThresholdsWithSource(config, benchmark, metric, metricClass)
  return { warn: fail !== null && warn > fail ? fail : warn, fail }
}

/** The class a metric is gated as: the config's override, else the runner's or benchmark's. */
export function resolveMetricClass(
  benchmark: Pick<BenchmarkCommon, 'class' | 'metrics'>,
  metric: string,
  defaultClass: MetricClass = benchmark.class
): MetricClass {
  return metricOverride(benchmark, metric)?.class ?? defaultClass
}

/** Which way is better for a metric: the config's override, else what the runner reported. */
export function resolveMetricDirection(
  benchmark: Pick<BenchmarkCommon, 'metrics'>,
  metric: string,
  defaultDirection: Direction
): Direction {
  return metricOverride(benchmark, metric)?.direction ?? defaultDirection
}

/** Whether a metric is gated at all: the config's override, else the runner's say, else yes. */
export function resolveMetricGate(
  benchmark: Pick<BenchmarkCommon, 'metrics'>,
  metric: string,
  defaultGate = true
): boolean {
  return metricOverride(benchmark, metric)?.gate ?? defaultGate
}

/** Thresholds for a result benchmark, found through the config entry that produced it. */
export function thresholdsFromConfig(config: PerfGateConfig): ThresholdsFor {
  const specFor = (bench: string): BenchmarkSpec | undefined =>
    config.benchmarks.find((s) => s.name === bench) ??
    config.benchmarks.find((s) => bench.startsWith(`${s.name}/`))
  return (bench, metric) => {
    const spec = specFor(bench)
    if (spec) return resolveThresholds(config, spec, metric.name, metric.class)
    const t = metric.class === 'core' ? config.thresholds.core : config.thresholds.nonCritical
    const m = Object.hasOwn(config.thresholds.metrics, metric.name)
      ? config.thresholds.metrics[metric.name]
      : undefined
    return { warn: m?.warn ?? t.warn, fail: m?.fail !== undefined ? m.fail : t.fail }
  }
}
