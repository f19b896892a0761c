import type { Benchmark, Direction } from '../results/model.js'
import { importedBenchmark, MetricSamples } from './bench.js'
import { failAt, textNumber } from './checks.js'
import type { Importer } from './types.js'
import { inferDirection } from './units.js'

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
    for (const { text, line } of input.lines()) {
      if (text.startsWith('pkg: ')) {
        pkg = text.slice(5).trim()
        continue
      }
      if (!text.startsWith('Benchmark')) continue
      const fields = tokens(text)
      // `BenchmarkFib10` alone (-v) or followed by log text is not a result line.
      if (!isCount(fields[1])) continue
      const name = fields[0] ?? ''
      if (fields.length === 2)
        failAt(input.file, line, `${name}: no measurement after the iteration count`)
      if (fields.length % 2 !== 0)
        failAt(
          input.file,
          line,
          `${name}: the value ${fields[fields.length - 1]} has no unit (go prints value/unit pairs such as '325 ns/op')`
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
      for (let i = 2, col = 0; i < fields.length; i += 2, col++) {
        const unit = fields[i + 1] ?? ''
        const raw = fields[i] ?? ''
        const value = isPlainNumber(raw)
          ? parseFloat(raw)
          : textNumber(raw, input.file, line, name, unit)
        let c = e.columns[col]
        if (c?.unit !== unit) {
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

/** Fields split on spaces and tabs; a hand-written loop, as a regex split costs more per line. */
function tokens(text: string): string[] {
  const out: string[] = []
  let start = -1
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32
    if (c === 32 || c === 9) {
      if (start >= 0) out.push(text.slice(start, i))
      start = -1
    } else if (start < 0) start = i
  }
  return out
}

/** Digits with at most one dot: the common case, read without the general checks. */
function isPlainNumber(s: string): boolean {
  let dots = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 46) {
      if (++dots > 1 || i === 0 || i === s.length - 1) return false
    } else if (c < 48 || c > 57) return false
  }
  return s.length > 0 && s.length < 300
}

function isCount(s: string | undefined): boolean {
  if (!s) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}
