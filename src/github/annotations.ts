import type { BenchmarkSpec } from '../config/types.js'
import { formatCi } from '../report/format.js'
import { sanitizeText } from '../report/escape.js'
import { deltaText, valueCi } from '../report/tables.js'
import type { MetricComparison } from '../stats/types.js'

/** One entry of a check run's `output.annotations`, as the Checks API takes it. */
export interface Annotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: 'notice' | 'warning' | 'failure'
  title: string
  message: string
}

/** The Checks API takes at most this many annotations per request; more go in later updates. */
export const ANNOTATIONS_PER_REQUEST = 50

function specFor(specs: readonly BenchmarkSpec[], bench: string): BenchmarkSpec | undefined {
  return specs.find((s) => s.name === bench) ?? specs.find((s) => bench.startsWith(`${s.name}/`))
}

/**
 * One annotation per config entry with a regression, on the line that defines it in
 * `perf-gate.yml`: that is where a budget is changed or a benchmark fixed, and it is the only line a
 * perf gate can honestly point at. `accepted` regressions (Route B) are notices, not failures.
 */
export function regressionAnnotations(
  comparisons: readonly MetricComparison[],
  specs: readonly BenchmarkSpec[],
  configPath: string,
  opts: { accepted?: boolean } = {}
): Annotation[] {
  const bySpec = new Map<BenchmarkSpec, MetricComparison[]>()
  for (const c of comparisons) {
    if (c.verdict !== 'fail' && c.verdict !== 'warn') continue
    const spec = specFor(specs, c.benchmark)
    if (!spec) continue
    bySpec.set(spec, [...(bySpec.get(spec) ?? []), c])
  }
  return [...bySpec].map(([spec, cs]) => {
    const failed = cs.some((c) => c.verdict === 'fail')
    const level = opts.accepted ? 'notice' : failed ? 'failure' : 'warning'
    // Annotation messages are plain text: cleaned of control and bidi characters, line by line.
    const lines = cs
      .slice(0, 40)
      .map((c) =>
        sanitizeText(
          `${c.benchmark} ${c.metric}: ${deltaText(c)}${c.ci ? ` (90 % CI ${formatCi(valueCi(c))})` : ''}, ${c.verdict}: ${c.reason}`,
          { maxLength: 400 }
        )
      )
    return {
      path: configPath,
      start_line: spec.line,
      end_line: spec.line,
      annotation_level: level,
      title: sanitizeText(`perf: ${spec.name} ${failed ? 'fails' : 'warns'}`, { maxLength: 200 }),
      message: lines.join('\n') + (cs.length > 40 ? `\n… ${cs.length - 40} more` : '')
    }
  })
}
