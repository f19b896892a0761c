import type { Benchmark } from '../results/model.js'
import { importedBenchmark } from './bench.js'
import { failAt, LineNames, textNumber } from './checks.js'
import type { Importer } from './types.js'

/**
 * Luau's bench runner: `SUCCESS: base64   :   15.041ms +/-  0.636% on luau`. The RESULTS table
 * it prints afterwards repeats the same numbers and is not read.
 */
const LINE = /^SUCCESS:\s*(.+?)\s*:\s*(\S+?)ms \+\/-\s*(\S+)% on (\S+)\s*$/

export const luau: Importer = {
  name: 'benchmarkluau',
  description: 'Luau bench output (ms, lower is better)',
  detect: (input) => /^SUCCESS: .+ : +\S+ms \+\/- +\S+% on \S+/m.test(input.head),
  parse(input, ctx): Benchmark[] {
    const names = new LineNames(input.file)
    const out: Benchmark[] = []
    for (const { text, line } of input.lines()) {
      const m = LINE.exec(text)
      if (!m) continue
      const [, name = '', raw = ''] = m
      names.add(name, line)
      const value = textNumber(raw, input.file, line, name)
      out.push(
        importedBenchmark('benchmarkluau', input.file, name, [
          { name: 'time', unit: 'ms', direction: 'lower', class: ctx.class, samples: [value] }
        ])
      )
    }
    if (out.length === 0)
      failAt(input.file, 1, "no benchmark lines ('SUCCESS: NAME : 15.0ms +/- 0.6% on luau') found")
    return out
  }
}
