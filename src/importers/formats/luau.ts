import { oneValuePerLine } from '../read/benchmarks.js'
import type { Importer } from '../read/types.js'

/**
 * Luau's bench runner: `SUCCESS: base64   :   15.041ms +/-  0.636% on luau`. The RESULTS table
 * it prints afterwards repeats the same numbers and is not read.
 */
const LINE = /^SUCCESS:\s*(.+?)\s*:\s*(\S+?)ms \+\/-\s*(\S+)% on (\S+)\s*$/

export const luau: Importer = {
  name: 'benchmarkluau',
  description: 'Luau bench output (ms, lower is better)',
  detect: (input) => /^SUCCESS: .+ : +\S+ms \+\/- +\S+% on \S+/m.test(input.head),
  parse: (input, ctx) =>
    oneValuePerLine(input, ctx, {
      format: 'benchmarkluau',
      line: LINE,
      metric: { name: 'time', unit: 'ms', direction: 'lower' },
      expected: 'SUCCESS: NAME : 15.0ms +/- 0.6% on luau'
    })
}
