import type { Benchmark, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { cargoDetect, parseCargoLines } from './cargo.js'
import { failAt, LineNames, textNumber } from '../read/checks.js'
import type { Importer, ImportContext, ImportInput } from '../read/types.js'
import { nsPer, rateScale } from '../read/units.js'

/**
 * criterion's terminal report, as `cargo bench` prints it:
 *
 *     fib/15                  time:   [1.4290 µs 1.4710 µs 1.5650 µs]
 *                             thrpt:  [18.602 GiB/s 19.222 GiB/s 20.508 GiB/s]
 *                             change: [+0.8113% +10.767% +21.759%] (p = 0.06 > 0.05)
 *
 * A name too long for its column goes on a line of its own, with `time:` below it. The middle
 * value is criterion's estimate and is the one sample (its samples are in sample.json, see
 * format criterion-json); times are converted to ns and throughputs to B/s or elem/s, because
 * criterion picks the unit per value. The `change:` block compares with criterion's own last
 * run and is not read. Output of `--output-format bencher` is read as well.
 */
const TRIPLE = '\\[(\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\]'
const TIME = new RegExp(`^(.*?)\\s*time:\\s+${TRIPLE}`)
const THRPT = new RegExp(`^\\s+thrpt:\\s+${TRIPLE}`)

export const criterion: Importer = {
  name: 'criterion',
  description: 'criterion terminal output (estimate in ns) or --output-format bencher lines',
  detect: (input) => new RegExp(`^.*time:\\s+${TRIPLE}`, 'm').test(input.head),
  parse(input, ctx) {
    const found = parseTerminal(input, ctx)
    if (found.length > 0) return found
    if (cargoDetect(input)) return parseCargoLines(input, ctx, 'criterion')
    return failAt(input.file, 1, "no criterion results ('NAME  time: [low estimate high]') found")
  }
}

function parseTerminal(input: ImportInput, ctx: ImportContext): Benchmark[] {
  const names = new LineNames(input.file)
  const out: Benchmark[] = []
  let previous = ''
  let last: Metric[] | undefined
  for (const { text, line } of input.lines()) {
    const t = TIME.exec(text)
    const r = t ? null : THRPT.exec(text)
    const prev = previous
    if (text.trim() !== '') previous = text
    if (r && last) {
      const metric = rate(r, input.file, line, ctx)
      if (metric) last.push(metric)
      continue
    }
    if (!t) continue
    // `time: [+1.2% ...]` inside a change block is a relative change, not a result.
    const unit = t[5] ?? ''
    if (nsPer(unit) === undefined) {
      last = undefined
      continue
    }
    const name = (t[1] ?? '').trim() || (/^\S/.test(prev) ? prev.trim() : '')
    if (name === '') failAt(input.file, line, "a 'time:' line without a benchmark name before it")
    names.add(name, line)
    const estimate = textNumber(t[4] ?? '', input.file, line, name) * (nsPer(unit) ?? 1)
    last = [{ name: 'time', unit: 'ns', direction: 'lower', class: ctx.class, samples: [estimate] }]
    out.push(importedBenchmark('criterion', input.file, name, last))
  }
  return out
}

function rate(
  m: RegExpExecArray,
  file: string,
  line: number,
  ctx: ImportContext
): Metric | undefined {
  const scale = rateScale(m[4] ?? '')
  if (!scale) return undefined
  const [factor, unit] = scale
  const value = textNumber(m[3] ?? '', file, line, 'thrpt') * factor
  return { name: 'throughput', unit, direction: 'higher', class: ctx.class, samples: [value] }
}
