import type { Benchmark, Direction } from '../../results/model.js'
import { importedBenchmark, MetricSamples } from '../read/benchmarks.js'
import { failAt, textNumber } from '../read/checks.js'
import type { Importer } from '../read/types.js'
import { inferDirection } from '../read/units.js'

/**
 * `go test -bench` output: `BenchmarkX-8   5000000   325 ns/op   48 B/op   2 allocs/op`. Each
 * value/unit pair is a metric named by its unit, as benchstat names them. The same name printed
 * again in the same package (`-count N`, or runs appended to one file) is another sample of the
 * same benchmark, which is what the gate needs. When the output covers several packages, names
 * carry the package, because `BenchmarkFoo` in two packages is two benchmarks.
 */
/** Go's own units; anything else was reported with b.ReportMetric. */
const DIRECTIONS: Readonly<Record<string, Direction>> = {
  'ns/op': 'lower',
  'B/op': 'lower',
  'allocs/op': 'lower',
  'MB/s': 'higher'
}

interface Entry {
  name: string
  pkg: string
  samples: MetricSamples
  /** The sample lists of the last line, by position: repeats print the same units in order. */
  columns: Array<{ unit: string; samples: number[] }>
  notes: Set<string>
}

export const go: Importer = {
  name: 'go',
  description: 'go test -bench output (-count repeats are samples; -benchmem and custom metrics)',
  detect: (input) => /^Benchmark\S*\s+\d+\s+[\d.]+ ns\/op/m.test(input.head),
  parse(input, ctx): Benchmark[] {
    const entries = new Map<string, Entry>()
    let pkg = ''
    // -count N prints the repeats one after the other: most lines belong to the previous entry.
    let entry: Entry | undefined
    const bounds: number[] = []
    for (const { text, line } of input.lines()) {
      if (text.startsWith('pkg: ')) {
        pkg = text.slice(5).trim()
        continue
      }
      if (!text.startsWith('Benchmark')) continue
      const count = fieldBounds(text, bounds)
      // `BenchmarkFib10` alone (-v) or followed by log text is not a result line.
      if (count < 2 || !isCount(text, bounds[2] ?? 0, bounds[3] ?? 0)) continue
      const name = text.slice(0, bounds[1])
      if (count === 2) failAt(input.file, line, `${name}: no measurement after the iteration count`)
      if (count % 2 !== 0)
        failAt(
          input.file,
          line,
          `${name}: the value ${text.slice(bounds[2 * count - 2], bounds[2 * count - 1])} has no unit (go prints value/unit pairs such as '325 ns/op')`
        )
      if (entry?.name !== name || entry.pkg !== pkg) {
        const key = `${pkg}\u0000${name}`
        entry = entries.get(key)
        if (!entry) {
          entry = { name, pkg, samples: new MetricSamples(), columns: [], notes: new Set() }
          entries.set(key, entry)
        }
      }
      const e = entry
      for (let f = 2, col = 0; f < count; f += 2, col++) {
        const vs = bounds[2 * f] ?? 0
        const ve = bounds[2 * f + 1] ?? 0
        const us = bounds[2 * f + 2] ?? 0
        const ue = bounds[2 * f + 3] ?? 0
        let value = plainNumber(text, vs, ve)
        if (Number.isNaN(value)) {
          const unit = text.slice(us, ue)
          value = textNumber(text.slice(vs, ve), input.file, line, name, unit)
        }
        let c = e.columns[col]
        // Repeats print the same units: compared in place, a unit is sliced out once per column.
        if (c === undefined || c.unit.length !== ue - us || !text.startsWith(c.unit, us)) {
          const unit = text.slice(us, ue)
          const samples = e.samples.samples(unit, () => ({
            name: unit,
            unit,
            direction: direction(unit, e),
            class: ctx.class
          }))
          e.columns[col] = c = { unit, samples }
        }
        c.samples.push(value)
      }
    }
    if (entries.size === 0)
      failAt(input.file, 1, "no benchmark result lines ('BenchmarkX-8  1000  325 ns/op') found")
    const packages = new Set([...entries.values()].map((e) => e.pkg))
    return [...entries.values()].map((e) =>
      importedBenchmark(
        'go',
        input.file,
        packages.size > 1 && e.pkg ? `${e.name} (${e.pkg})` : e.name,
        e.samples.metrics(),
        [...e.notes]
      )
    )
  }
}

function direction(unit: string, entry: Entry): Direction {
  const known = Object.hasOwn(DIRECTIONS, unit) ? DIRECTIONS[unit] : undefined
  if (known) return known
  // testing.B.ReportMetric asks for per-operation units ("/op"), which are costs.
  if (unit.endsWith('/op')) return 'lower'
  const inferred = inferDirection(unit)
  if (inferred) return inferred
  entry.notes.add(
    `unit '${unit}' does not say whether higher or lower is better; lower was assumed (set the metric's direction in the config if not)`
  )
  return 'lower'
}

/**
 * Where the fields split on spaces and tabs start and end, as [start0, end0, start1, …] in `out`;
 * returns how many. Offsets, not slices: most fields are numbers read in place.
 */
function fieldBounds(text: string, out: number[]): number {
  let n = 0
  let start = -1
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32
    if (c === 32 || c === 9) {
      if (start >= 0) {
        out[2 * n] = start
        out[2 * n + 1] = i
        n++
      }
      start = -1
    } else if (start < 0) start = i
  }
  return n
}

/**
 * Digits with at most one dot, inside (not at either end), read in place; NaN for anything else,
 * which the general check then reads or refuses. Up to 15 digits both the mantissa and the power
 * of ten are exact doubles, so their quotient is the correctly rounded value parseFloat gives.
 */
function plainNumber(text: string, start: number, end: number): number {
  let mantissa = 0
  let dot = -1
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) mantissa = mantissa * 10 + (c - 48)
    else if (c === 46 && dot < 0 && i > start && i < end - 1) dot = i
    else return NaN
  }
  if (end === start) return NaN
  const digits = end - start - (dot < 0 ? 0 : 1)
  if (digits > 15) return end - start < 300 ? parseFloat(text.slice(start, end)) : NaN
  return dot < 0 ? mantissa : mantissa / (POW10[end - dot - 1] ?? 1)
}

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k)

function isCount(text: string, start: number, end: number): boolean {
  if (end === start) return false
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}
