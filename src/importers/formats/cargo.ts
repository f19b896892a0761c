import type { Benchmark, Direction, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { failAt, LineNames, textNumber } from '../read/checks.js'
import type { Importer, ImportContext, ImportInput } from '../read/types.js'
import { inferDirection, nsPer } from '../read/units.js'

/**
 * libtest's `cargo bench` lines, which criterion also prints with `--output-format bencher`:
 * `test bench_fib_10 ... bench:         135 ns/iter (+/- 24)`, optionally followed by `= 53894 MB/s`
 * when the bench sets `b.bytes`. libtest prints one median per benchmark, so each is one sample.
 */
const LINE = /^test (.+?)\s+\.\.\. bench:\s*(.*)$/
const VALUE = /^(\S+) (\S+?) \(\+\/- (\S+)\)(?:\s*=\s*(\S+) (\S+))?\s*$/

export const cargoDetect = (input: ImportInput): boolean =>
  /^test .+? \.\.\. bench: /m.test(input.head)

export function parseCargoLines(
  input: ImportInput,
  ctx: ImportContext,
  format: string
): Benchmark[] {
  const names = new LineNames(input.file)
  const out: Benchmark[] = []
  for (const { text, line } of input.lines()) {
    if (!text.startsWith('test ')) continue
    const m = LINE.exec(text)
    if (!m) continue
    const [, name = '', rest = ''] = m
    const v = VALUE.exec(rest)
    if (!v)
      failAt(
        input.file,
        line,
        `${name}: cannot read '${rest.trim()}' (expected e.g. '135 ns/iter (+/- 24)')`
      )
    const [, raw = '', rawUnit = '', , rate, rateUnit] = v
    names.add(name, line)
    const value = textNumber(raw, input.file, line, name)
    const metrics: Metric[] = [primary(rawUnit, value, ctx)]
    if (rate !== undefined && rateUnit !== undefined) {
      metrics.push({
        name: 'throughput',
        unit: rateUnit,
        direction: 'higher',
        class: ctx.class,
        samples: [textNumber(rate, input.file, line, `${name} throughput`)]
      })
    }
    out.push(importedBenchmark(format, input.file, name, metrics, notes(rawUnit)))
  }
  if (out.length === 0)
    failAt(input.file, 1, "no benchmark lines ('test NAME ... bench: N ns/iter (+/- R)') found")
  return out
}

function primary(rawUnit: string, value: number, ctx: ImportContext): Metric {
  // `ns/iter`, `cycles/iter`: a cost per iteration; `MS/s`: a rate.
  const perIter = rawUnit.endsWith('/iter')
  const unit = perIter ? rawUnit.slice(0, -'/iter'.length) : rawUnit
  const direction: Direction = perIter ? 'lower' : (inferDirection(unit) ?? 'lower')
  return {
    name: nsPer(unit) !== undefined ? 'time' : unit,
    unit,
    direction,
    class: ctx.class,
    samples: [value]
  }
}

function notes(rawUnit: string): string[] | undefined {
  if (rawUnit.endsWith('/iter') || inferDirection(rawUnit)) return undefined
  return [
    `unit '${rawUnit}' does not say whether higher or lower is better; lower was assumed (set the metric's direction in the config if not)`
  ]
}

export const cargo: Importer = {
  name: 'cargo',
  description: 'cargo bench (libtest) output, also criterion --output-format bencher',
  detect: cargoDetect,
  parse: (input, ctx) => parseCargoLines(input, ctx, 'cargo')
}
