import type { Benchmark } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { failAt, LineNames, textNumber } from '../read/checks.js'
import type { Importer, Line } from '../read/types.js'
import { nsPer } from '../read/units.js'

/**
 * Catch2's console benchmark table (v2 and v3). Each benchmark is three lines:
 *
 *     Fibonacci 20        100     2     8.3712 ms     <- name, samples, iterations, estimate
 *                   41.731 us  41.25 us  42.622 us    <- mean, low mean, high mean
 *                    3.256 us  2.163 us   5.353 us    <- std dev, low, high
 *
 * The console shows the mean only, so each benchmark is one sample. Catch2 picks a readable unit
 * per value; times are converted to ns so a benchmark stays comparable when its unit changes.
 */
const HEADER = /^benchmark name\s+samples\s+iterations\s+(?:estimated|est run time)\s*$/
const FIRST = /^(\S.*?)\s+(\d+)\s+(\d+)\s+(\S+) (\S+)\s*$/
const TRIPLE = /^\s+(\S+) (\S+)\s+(\S+) (\S+)\s+(\S+) (\S+)\s*$/

export const catch2: Importer = {
  name: 'catch2',
  description: 'Catch2 v2/v3 console benchmark output (mean, converted to ns)',
  detect: (input) =>
    /^benchmark name\s+samples\s+iterations\s+(?:estimated|est run time)\s*$/m.test(input.head),
  parse(input, ctx): Benchmark[] {
    const names = new LineNames(input.file)
    const out: Benchmark[] = []
    const it = input.lines()[Symbol.iterator]()
    let seenHeader = false
    for (let r = it.next(); !r.done; r = it.next()) {
      const { text, line } = r.value
      if (HEADER.test(text)) seenHeader = true
      // Rows start at column 0; section titles and source locations do not end in a time.
      const m = seenHeader ? FIRST.exec(text) : null
      if (!m || nsPer(m[5] ?? '') === undefined) continue
      const name = m[1] ?? ''
      const meanLine = next(it, input.file, line, name)
      const t = TRIPLE.exec(meanLine.text)
      if (!t)
        failAt(input.file, meanLine.line, `${name}: expected 'mean  low mean  high mean' values`)
      names.add(name, line)
      const mean = toNs(t[1] ?? '', t[2] ?? '', input.file, meanLine.line, name)
      out.push(
        importedBenchmark('catch2', input.file, name, [
          { name: 'time', unit: 'ns', direction: 'lower', class: ctx.class, samples: [mean] }
        ])
      )
    }
    if (out.length === 0) failAt(input.file, 1, 'no Catch2 benchmark results found')
    return out
  }
}

function next(it: Iterator<Line>, file: string, line: number, name: string): Line {
  const r = it.next()
  if (r.done) failAt(file, line, `${name}: the output ends before its mean (truncated?)`)
  return r.value
}

function toNs(raw: string, unit: string, file: string, line: number, name: string): number {
  const scale = nsPer(unit)
  if (scale === undefined) failAt(file, line, `${name}: unknown time unit '${unit}'`)
  return textNumber(raw, file, line, name) * scale
}
