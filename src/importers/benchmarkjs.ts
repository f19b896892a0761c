import type { Benchmark } from '../results/model.js'
import { importedBenchmark } from './bench.js'
import { failAt, LineNames, textNumber } from './checks.js'
import type { Importer } from './types.js'

/**
 * benchmark.js's `String(bench)`: `fib(10) x 1,431,759 ops/sec ±0.74% (93 runs sampled)`.
 * It prints the mean rate only, so each benchmark is one sample; higher is better.
 */
const LINE = /^(.+?) x (\S+) ops\/sec (?:±|\+\/-|\+-)\s*(\S+)% \((\d+) runs? sampled\)\s*$/

export const benchmarkjs: Importer = {
  name: 'benchmarkjs',
  description: 'benchmark.js output (ops/sec, higher is better)',
  detect: (input) => / x \S+ ops\/sec (?:±|\+\/-)\S*% \(\d+ runs? sampled\)/.test(input.head),
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
        importedBenchmark('benchmarkjs', input.file, name, [
          {
            name: 'throughput',
            unit: 'ops/s',
            direction: 'higher',
            class: ctx.class,
            samples: [value]
          }
        ])
      )
    }
    if (out.length === 0)
      failAt(input.file, 1, "no benchmark lines ('NAME x N ops/sec ±R% (K runs sampled)') found")
    return out
  }
}
