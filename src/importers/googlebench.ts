import type { Benchmark, Metric } from '../results/model.js'
import { importedBenchmark } from './bench.js'
import { hasRecords, JsonReader } from './checks.js'
import type { JsonPath } from './json.js'
import type { Importer, ImportContext } from './types.js'
import { nsPer } from './units.js'

/**
 * Google Benchmark `--benchmark_format=json` (or `--benchmark_out`). With repetitions, every
 * iteration run of a benchmark is one sample, grouped by `run_name`; the aggregates it adds
 * (`_mean`, `_median`, `_stddev`, `_cv`, complexity `BigO`/`RMS`) are summaries of those same
 * runs and are skipped, so nothing is counted twice. Only when the file holds aggregates alone
 * (`--benchmark_report_aggregates_only`) does the mean stand in, as one sample. Times are
 * converted to ns: `time_unit` follows the benchmark's code, not a fixed scale.
 */
interface Group {
  name: string
  path: JsonPath
  real: number[]
  cpu: number[]
  rates: Map<string, number[]>
  /** Aggregate mean, used only if the group has no iteration runs. */
  mean?: { real: number; cpu: number }
}

const RATES: Readonly<Record<string, string>> = {
  bytes_per_second: 'B/s',
  items_per_second: 'items/s'
}

export const googlebench: Importer = {
  name: 'googlebench',
  description: 'Google Benchmark JSON (repetitions are samples; aggregates are not double-counted)',
  detect(input) {
    if (!/"benchmarks"/.test(input.head) || !/"time_unit"/.test(input.head)) return false
    return hasRecords(input.json().value, 'benchmarks', (b) => 'real_time' in b && 'time_unit' in b)
  },
  parse(input, ctx): Benchmark[] {
    const r: JsonReader = new JsonReader(input.file, input.json())
    const root = r.object(r.json.value, [])
    const list = r.array(root.benchmarks, ['benchmarks'])
    if (list.length === 0) r.fail(['benchmarks'], 'is empty: no benchmark ran')
    const groups = new Map<string, Group>()
    list.forEach((raw, i) => {
      const p: JsonPath = ['benchmarks', i]
      const b = r.object(raw, p)
      const name = r.nonEmptyString(b.name, [...p, 'name'])
      if (b.error_occurred === true)
        r.fail(
          p,
          `${name} reported an error: ${typeof b.error_message === 'string' ? b.error_message : 'no message'}`
        )
      const runName =
        b.run_name === undefined ? name : r.nonEmptyString(b.run_name, [...p, 'run_name'])
      const aggregate = b.run_type === 'aggregate' || b.aggregate_name !== undefined
      if (aggregate && b.aggregate_name !== 'mean') return
      const unit = r.string(b.time_unit, [...p, 'time_unit'])
      const scale = nsPer(unit)
      if (scale === undefined) r.fail([...p, 'time_unit'], `is '${unit}', not a time unit`)
      const real = r.nonNegative(b.real_time, [...p, 'real_time']) * scale
      const cpu = r.nonNegative(b.cpu_time, [...p, 'cpu_time']) * scale
      let g = groups.get(runName)
      if (!g) {
        g = { name: runName, path: p, real: [], cpu: [], rates: new Map() }
        groups.set(runName, g)
      }
      if (aggregate) {
        g.mean = { real, cpu }
        return
      }
      g.real.push(real)
      g.cpu.push(cpu)
      for (const key of Object.keys(RATES)) {
        if (b[key] === undefined) continue
        const list = g.rates.get(key) ?? []
        list.push(r.nonNegative(b[key], [...p, key]))
        g.rates.set(key, list)
      }
    })
    return [...groups.values()].map((g) => toBenchmark(g, input.file, ctx))
  }
}

function toBenchmark(g: Group, file: string, ctx: ImportContext): Benchmark {
  const notes: string[] = []
  let real = g.real
  let cpu = g.cpu
  if (real.length === 0 && g.mean) {
    real = [g.mean.real]
    cpu = [g.mean.cpu]
    notes.push(
      'the file holds aggregates only (--benchmark_report_aggregates_only); the mean is the only sample'
    )
  }
  const metrics: Metric[] = [
    { name: 'real_time', unit: 'ns', direction: 'lower', class: ctx.class, samples: real },
    // Recorded for context: it moves with real_time, and gating both would count one change twice.
    {
      name: 'cpu_time',
      unit: 'ns',
      direction: 'lower',
      class: ctx.class,
      samples: cpu,
      gate: false
    }
  ]
  for (const [key, samples] of g.rates) {
    metrics.push({
      name: key,
      unit: RATES[key] ?? '',
      direction: 'higher',
      class: ctx.class,
      samples
    })
  }
  return importedBenchmark('googlebench', file, g.name, metrics, notes)
}
