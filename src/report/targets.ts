import { markdownTable } from 'markdown-table'
import type { MetricComparison, TargetResult, Verdict } from '../stats/types.js'
import type { GateReport } from '../types/report.js'
import { codeSpanText, escapeMarkdown } from './escape.js'
import { formatPercent, formatValue, verdictLabel } from './format.js'
import { plural } from '../shared/text.js'
import { valueDelta } from './tables.js'

/*
 * Targets in the reports: their own evidence lines in the grammar of the gates table
 * (`perf: <area>: 41.2 tokens/s; target ≥ 45; Δ vs baseline: -3.1%`), and a table of every one.
 */

type Targeted = MetricComparison & { target: TargetResult }

const ORDER: Record<Verdict, number> = { fail: 0, warn: 1, neutral: 2, pass: 3 }

export function targeted(comparisons: readonly MetricComparison[]): Targeted[] {
  return comparisons
    .filter((c): c is Targeted => c.target !== undefined)
    .sort((a, b) => ORDER[a.target.verdict] - ORDER[b.target.verdict])
}

/** A ratio or a fraction reads best as the bare number. */
function shownUnit(unit: string): string {
  return unit === 'ratio' || unit === 'fraction' ? '' : unit
}

function opSign(t: TargetResult): string {
  return t.op === '>=' ? '≥' : '≤'
}

// Reviewers split evidence on ": " and "; ", so untrusted parts lose `;` with the rest.
function part(text: string, maxLength: number): string {
  return codeSpanText(text, { maxLength }).replace(/;/g, ',')
}

/** `perf: chat/decode_tps: 41.2 tokens/s; target ≥ 45; Δ vs baseline: -3.1%` (inside a code span). */
export function targetEvidence(c: Targeted): string {
  const value = [formatValue(c.target.centre), part(shownUnit(c.unit), 20)]
    .filter(Boolean)
    .join(' ')
  const delta = valueDelta(c)
  return `perf: ${part(`${c.benchmark}/${c.metric}`, 120)}: ${value}; target ${opSign(c.target)} ${formatValue(c.target.bound)}; Δ vs baseline: ${delta === null ? 'n/a' : formatPercent(delta, 1, { compact: true })}`
}

/**
 * Evidence lines for the targets a reviewer must see: every one missed, then the undecided, at
 * most `max` in all with the rest counted; each a code span led by its verdict's icon.
 */
export function targetEvidenceLines(report: GateReport, max = 5): string[] {
  const open = targeted(report.outcome.comparisons).filter(
    (c) => c.target.verdict === 'fail' || c.target.verdict === 'warn'
  )
  const lines = open
    .slice(0, max)
    .map((c) => `${verdictLabel(c.target.verdict).split(' ')[0]} \`${targetEvidence(c)}\``)
  const t = report.outcome.targets
  const rest = open.length - lines.length
  const tail: string[] = []
  if (rest > 0) tail.push(`${plural(rest, 'more target')} missed or undecided`)
  if (t && t.met > 0 && lines.length > 0) tail.push(`${t.met} met`)
  if (tail.length) lines.push(`… ${tail.join(', ')}`)
  return lines
}

/** Every target of the run: value, CI, bound, verdict; missed first. `maxRows` cuts the met ones. */
export function renderTargetsTable(
  comparisons: readonly MetricComparison[],
  opts: { maxRows?: number } = {}
): string | null {
  const all = targeted(comparisons)
  if (all.length === 0) return null
  const shown = all.slice(0, opts.maxRows ?? all.length)
  const rows = shown.map((c) => {
    const t = c.target
    const unit = escapeMarkdown(shownUnit(c.unit), { maxLength: 20 })
    const ci =
      t.ci && Number.isFinite(t.ci[0]) && Number.isFinite(t.ci[1])
        ? `${formatValue(t.ci[0])} … ${formatValue(t.ci[1])}`
        : t.ci
          ? `unbounded (${plural(t.n, 'sample')})`
          : 'n/a'
    return [
      escapeMarkdown(c.benchmark, { maxLength: 160 }),
      escapeMarkdown(c.metric, { maxLength: 80 }),
      formatValue(t.centre, unit),
      ci,
      `${opSign(t)} ${formatValue(t.bound)}`,
      verdictLabel(t.verdict)
    ]
  })
  const hidden = all.length - shown.length
  return [
    markdownTable([['Benchmark', 'Metric', 'Value', '90 % CI', 'Target', 'Verdict'], ...rows], {
      alignDelimiters: false
    }),
    ...(hidden > 0
      ? [
          `… ${plural(hidden, 'more target')}${all.slice(shown.length).every((c) => c.target.verdict === 'pass') ? ', all met' : ''}`
        ]
      : [])
  ].join('\n\n')
}
