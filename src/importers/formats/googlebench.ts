import type { Benchmark, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { JsonReader } from '../read/checks.js'
import type { JsonPath } from '../read/json.js'
import { CountThenFill, KnownRecords, type Target } from '../read/known-records.js'
import { recordsFit, Unstreamable, viaStream } from '../read/stream.js'
import type { Importer, ImportContext } from '../read/types.js'
import { SampleList, type SampleSink } from '../read/samples.js'
import { nsPer } from '../read/units.js'

/**
 * Google Benchmark `--benchmark_format=json` (or `--benchmark_out`). With repetitions, every
 * iteration run of a benchmark is one sample, grouped by `run_name`; the aggregates it adds
 * (`_mean`, `_median`, `_stddev`, `_cv`, complexity `BigO`/`RMS`) are summaries of those same
 * runs and are skipped, so nothing is counted twice. Only when the file holds aggregates alone
 * (`--benchmark_report_aggregates_only`) does the mean stand in, as one sample. Times are
 * converted to ns: `time_unit` follows the benchmark's code, not a fixed scale. A large file is
 * read one entry at a time (read/stream.ts).
 */
interface Group {
  name: string
  path: JsonPath
  real: SampleSink
  cpu: SampleSink
  rates: Map<string, SampleSink>
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
    return recordsFit(input, 'benchmarks', fits)
  },
  parse(input, ctx): Benchmark[] {
    const groups = new Map<string, Group>()
    viaStream(
      input,
      'benchmarks',
      (doc) => {
        if (doc.count === 0) throw new Unstreamable()
        groups.clear()
        // Repetitions repeat their benchmark's fields: a repeat is read from its bytes. The
        // records are read twice, counting the samples and then storing them (CountThenFill).
        const known = new KnownRecords(PER_RUN, CAPTURED)
        const twice = new CountThenFill()
        twice.run(input, known, () => {
          for (const rec of doc.records(known)) {
            const r = new JsonReader(input.file, rec.json)
            known.learn(addRun(r, rec.value, rec.index, groups, twice.newList))
          }
        })
      },
      () => {
        groups.clear()
        const r: JsonReader = new JsonReader(input.file, input.json())
        const root = r.object(r.json.value, [])
        const list = r.array(root.benchmarks, ['benchmarks'])
        if (list.length === 0) r.fail(['benchmarks'], 'is empty: no benchmark ran')
        list.forEach((raw, i) => addRun(r, raw, i, groups, () => new SampleList()))
      }
    )
    return [...groups.values()].map((g) => toBenchmark(g, input.file, ctx))
  }
}

const fits = (b: Record<string, unknown>): boolean => 'real_time' in b && 'time_unit' in b

/** What differs between repetitions of one benchmark, besides what is captured. */
const PER_RUN = ['repetition_index', 'iterations']
const CAPTURED = ['real_time', 'cpu_time', ...Object.keys(RATES)]
const [REAL, CPU] = [0, 1]

/**
 * One entry of `benchmarks`: an iteration run joins its group, a mean is kept aside. Returns how
 * a repeat of the entry (the same fields but the captured and per-run ones) is read.
 */
function addRun(
  r: JsonReader,
  raw: unknown,
  i: number,
  groups: Map<string, Group>,
  newList: () => SampleSink
): Target {
  const p: JsonPath = ['benchmarks', i]
  const b = r.object(raw, p)
  const name = r.nonEmptyString(b.name, [...p, 'name'])
  if (b.error_occurred === true)
    r.fail(
      p,
      `${name} reported an error: ${typeof b.error_message === 'string' ? b.error_message : 'no message'}`
    )
  const runName = b.run_name === undefined ? name : r.nonEmptyString(b.run_name, [...p, 'run_name'])
  const aggregate = b.run_type === 'aggregate' || b.aggregate_name !== undefined
  if (aggregate && b.aggregate_name !== 'mean') return () => undefined
  const unit = r.string(b.time_unit, [...p, 'time_unit'])
  const scale = nsPer(unit)
  if (scale === undefined) r.fail([...p, 'time_unit'], `is '${unit}', not a time unit`)
  const real = r.nonNegative(b.real_time, [...p, 'real_time']) * scale
  const cpu = r.nonNegative(b.cpu_time, [...p, 'cpu_time']) * scale
  let g = groups.get(runName)
  if (!g) {
    g = { name: runName, path: p, real: newList(), cpu: newList(), rates: new Map() }
    groups.set(runName, g)
  }
  const group = g
  if (aggregate) {
    group.mean = { real, cpu }
    return (k) => {
      const n = k.numbers
      group.mean = { real: (n[k.start(REAL)] ?? 0) * scale, cpu: (n[k.start(CPU)] ?? 0) * scale }
    }
  }
  group.real.push(real)
  group.cpu.push(cpu)
  const rates: Array<[number, SampleSink]> = []
  CAPTURED.forEach((key, c) => {
    if (c === REAL || c === CPU || b[key] === undefined) return
    let list = group.rates.get(key)
    if (!list) group.rates.set(key, (list = newList()))
    list.push(r.nonNegative(b[key], [...p, key]))
    rates.push([c, list])
  })
  return (k) => {
    group.real.pushAll(k.numbers, k.start(REAL), 1, scale)
    group.cpu.pushAll(k.numbers, k.start(CPU), 1, scale)
    for (const [c, list] of rates) list.pushAll(k.numbers, k.start(c), 1)
  }
}

function toBenchmark(g: Group, file: string, ctx: ImportContext): Benchmark {
  const notes: string[] = []
  let real = g.real.toArray()
  let cpu = g.cpu.toArray()
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
      samples: samples.toArray()
    })
  }
  return importedBenchmark('googlebench', file, g.name, metrics, notes)
}
