import type { Benchmark, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { assertUniqueNames, hasRecords, JsonReader } from '../read/checks.js'
import type { JsonPath } from '../read/json.js'
import type { Importer } from '../read/types.js'

/**
 * BenchmarkDotNet's full JSON exporter (`*-report-full.json`, or `-brief` with statistics).
 * `Statistics.OriginalValues` are the measured iterations in ns per operation, outliers
 * included, and become the samples; files without them fall back to the `Workload`/`Result`
 * measurements, then to the mean. With MemoryDiagnoser, allocated bytes per operation are a
 * second metric. Benchmarks run in several jobs are told apart by the job name.
 */
export const benchmarkdotnet: Importer = {
  name: 'benchmarkdotnet',
  description: 'BenchmarkDotNet full JSON (ns per operation; every iteration when exported)',
  detect(input) {
    if (!/"Benchmarks"/.test(input.head) || !/"HostEnvironmentInfo"|"Statistics"/.test(input.head))
      return false
    return hasRecords(input.json().value, 'Benchmarks', (b) => 'FullName' in b)
  },
  parse(input, ctx): Benchmark[] {
    const r: JsonReader = new JsonReader(input.file, input.json())
    const root = r.object(r.json.value, [])
    const list = r.array(root.Benchmarks, ['Benchmarks'])
    if (list.length === 0) r.fail(['Benchmarks'], 'is empty: no benchmark ran')
    const out = list.map((raw, i) => {
      const p: JsonPath = ['Benchmarks', i]
      const b = r.object(raw, p)
      const full = r.nonEmptyString(b.FullName, [...p, 'FullName'])
      const job = typeof b.DisplayInfo === 'string' ? /: (.+)$/.exec(b.DisplayInfo)?.[1] : undefined
      const name = job && job !== 'DefaultJob' ? `${full} [${job}]` : full
      const metrics: Metric[] = [
        { name: 'time', unit: 'ns', direction: 'lower', class: ctx.class, samples: times(r, b, p) }
      ]
      if (b.Memory !== undefined && b.Memory !== null) {
        const mem = r.object(b.Memory, [...p, 'Memory'])
        const bytes = r.nonNegative(mem.BytesAllocatedPerOperation, [
          ...p,
          'Memory',
          'BytesAllocatedPerOperation'
        ])
        metrics.push({
          name: 'allocated',
          unit: 'B',
          direction: 'lower',
          class: ctx.class,
          samples: [bytes]
        })
      }
      return importedBenchmark('benchmarkdotnet', input.file, name, metrics)
    })
    assertUniqueNames(
      r,
      out.map((b, i) => ({ name: b.name, path: ['Benchmarks', i, 'FullName'] }))
    )
    return out
  }
}

function times(r: JsonReader, b: Record<string, unknown>, p: JsonPath): number[] {
  const sp = [...p, 'Statistics']
  const stats =
    b.Statistics === undefined || b.Statistics === null ? undefined : r.object(b.Statistics, sp)
  if (stats && Array.isArray(stats.OriginalValues) && stats.OriginalValues.length > 0)
    return r.samples(stats.OriginalValues, [...sp, 'OriginalValues'], (x, q) => r.nonNegative(x, q))
  if (Array.isArray(b.Measurements)) {
    const out: number[] = []
    b.Measurements.forEach((raw, k) => {
      const mp = [...p, 'Measurements', k]
      const m = r.object(raw, mp)
      if (m.IterationMode !== 'Workload' || m.IterationStage !== 'Result') return
      const ops = r.nonNegative(m.Operations, [...mp, 'Operations'])
      if (ops === 0) r.fail([...mp, 'Operations'], 'is 0: no operation was measured')
      out.push(r.nonNegative(m.Nanoseconds, [...mp, 'Nanoseconds']) / ops)
    })
    if (out.length > 0) return out
  }
  if (!stats)
    r.fail(p, 'has neither Statistics nor Workload/Result measurements: the benchmark did not run')
  return [r.nonNegative(stats.Mean, [...sp, 'Mean'])]
}
