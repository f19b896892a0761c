import type { BenchmarkSpec } from '../config/types.js'
import type { Benchmark } from '../results/model.js'

/**
 * Names what a tool reported under the config entry that produced it: one benchmark takes the
 * entry's name; several become `entry/tool-name`, so two entries can both import "bench_sort".
 */
export function nestBenchmarks(specName: string, benches: Benchmark[]): Benchmark[] {
  if (benches.length === 1 && benches[0]) return [{ ...benches[0], name: specName }]
  return benches.map((b) => ({ ...b, name: `${specName}/${b.name}` }))
}

/**
 * Per-metric `class`, `direction` and `gate` from the config win over what the tool said: a
 * benchmark entry's `metrics`, or for imported result files the top-level `metrics`.
 */
export function applyMetricOverrides(
  bench: Benchmark,
  spec: Pick<BenchmarkSpec, 'metrics'>
): Benchmark {
  return {
    ...bench,
    metrics: bench.metrics.map((m) => {
      const o = Object.hasOwn(spec.metrics, m.name) ? spec.metrics[m.name] : undefined
      if (!o) return m
      return {
        ...m,
        ...(o.class ? { class: o.class } : {}),
        ...(o.direction ? { direction: o.direction } : {}),
        ...(o.gate !== undefined ? { gate: o.gate } : {})
      }
    })
  }
}
