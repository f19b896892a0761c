import { oneValuePerLine } from '../read/benchmarks.js'
import type { Importer } from '../read/types.js'

/**
 * benchmark.js's `String(bench)`: `fib(10) x 1,431,759 ops/sec ±0.74% (93 runs sampled)`.
 * It prints the mean rate only, so each benchmark is one sample; higher is better.
 */
const LINE = /^(.+?) x (\S+) ops\/sec (?:±|\+\/-|\+-)\s*(\S+)% \((\d+) runs? sampled\)\s*$/

export const benchmarkjs: Importer = {
  name: 'benchmarkjs',
  description: 'benchmark.js output (ops/sec, higher is better)',
  detect: (input) => / x \S+ ops\/sec (?:±|\+\/-)\S*% \(\d+ runs? sampled\)/.test(input.head),
  parse: (input, ctx) =>
    oneValuePerLine(input, ctx, {
      format: 'benchmarkjs',
      line: LINE,
      metric: { name: 'throughput', unit: 'ops/s', direction: 'higher' },
      expected: 'NAME x N ops/sec ±R% (K runs sampled)'
    })
}
