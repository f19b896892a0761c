import { markdownTable } from 'markdown-table'
import { median } from 'simple-statistics'
import type { ResultSet } from '../results/model.js'
import { compareMetric } from '../stats/compare.js'
import { escapeMarkdown } from './escape.js'
import { formatValue } from './format.js'
import type { ComparisonSpec } from '../types/report.js'
import { speedPhrase } from './speed.js'

/** One metric of a declared side-by-side comparison: B against A in the same run. */
export interface ComparativeRow {
  metric: string
  unit: string
  a: number
  b: number
  /** median(B) / median(A). */
  ratio: number
  /** 90 % CI of the ratio (Hodges–Lehmann on log scale), null with too few samples. */
  ci: [number, number] | null
  phrase: string | null
}

export interface Comparative {
  spec: ComparisonSpec
  rows: ComparativeRow[]
  /** Set when a benchmark named by the spec is not in this run. */
  missing?: string[]
}

export function comparatives(set: ResultSet, specs: readonly ComparisonSpec[]): Comparative[] {
  return specs.map((spec) => {
    const a = set.benchmarks.find((b) => b.name === spec.a)
    const b = set.benchmarks.find((x) => x.name === spec.b)
    if (!a || !b) {
      return {
        spec,
        rows: [],
        missing: [!a ? spec.a : null, !b ? spec.b : null].filter((n): n is string => n !== null)
      }
    }
    const rows: ComparativeRow[] = []
    for (const ma of a.metrics) {
      const mb = b.metrics.find((m) => m.name === ma.name && m.unit === ma.unit)
      if (!mb) continue
      const am = median(ma.samples)
      const bm = median(mb.samples)
      if (!(am > 0 && bm > 0)) continue
      const c = compareMetric({
        benchmark: spec.name,
        metric: ma.name,
        unit: ma.unit,
        direction: ma.direction,
        class: ma.class,
        thresholds: { warn: 0.05, fail: null },
        baseline: ma.samples,
        current: mb.samples,
        minSamples: 2
      })
      let ci: [number, number] | null = null
      if (c.ci !== null && Number.isFinite(c.ci[0]) && Number.isFinite(c.ci[1])) {
        // `ci` is worse-positive; turn it into a CI of the value ratio.
        const lo = ma.direction === 'higher' ? -c.ci[1] : c.ci[0]
        const hi = ma.direction === 'higher' ? -c.ci[0] : c.ci[1]
        ci = [1 + lo, 1 + hi]
      }
      rows.push({
        metric: ma.name,
        unit: ma.unit,
        a: am,
        b: bm,
        ratio: bm / am,
        ci,
        phrase: speedPhrase(am, bm, ma.direction, ma.unit)
      })
    }
    return { spec, rows }
  })
}

function ratioText(v: number): string {
  return `${v.toFixed(3)}×`
}

export function renderComparativeSection(list: Comparative[]): string {
  if (list.length === 0)
    return '_No comparisons declared: add `comparisons: [{name, a, b}]` to perf-gate.yml for side-by-side tables (e.g. Q4 vs Q5)._'
  return list
    .map((c) => {
      const name = escapeMarkdown(c.spec.name, { maxLength: 80 })
      const a = escapeMarkdown(c.spec.a, { maxLength: 80 })
      const b = escapeMarkdown(c.spec.b, { maxLength: 80 })
      const head = `### ${name}: ${b} vs ${a}`
      if (c.missing)
        return `${head}\n\n_Not in this run: ${c.missing.map((m) => escapeMarkdown(m, { maxLength: 80 })).join(', ')}._`
      if (c.rows.length === 0) return `${head}\n\n_The two benchmarks share no metric._`
      const table = markdownTable(
        [
          ['Metric', a, b, 'B / A', '90 % CI of B / A', 'Reading'],
          ...c.rows.map((r) => {
            const unit = escapeMarkdown(r.unit, { maxLength: 20 })
            return [
              escapeMarkdown(r.metric, { maxLength: 80 }),
              formatValue(r.a, unit),
              formatValue(r.b, unit),
              ratioText(r.ratio),
              r.ci ? `${ratioText(r.ci[0])} … ${ratioText(r.ci[1])}` : 'n/a',
              r.phrase ? `B ${r.phrase}` : ''
            ]
          })
        ],
        { alignDelimiters: false }
      )
      return `${head}\n\n${table}`
    })
    .join('\n\n')
}
