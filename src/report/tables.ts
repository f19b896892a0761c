import { markdownTable } from 'markdown-table'
import type { GateOutcome, MetricComparison, Verdict } from '../stats/types.js'
import type { GateReport } from '../types/report.js'
import { escapeCode, escapeMarkdown } from './escape.js'
import { formatCi, formatDate, formatPercent, formatValue, verdictLabel } from './format.js'
import { plural, shortSha } from '../shared/text.js'

/*
 * Pieces shared by the ledger, the check run and the standalone report, so the three always show
 * the same numbers the same way.
 */

/**
 * Signed relative change of the metric's own value, the number a reader expects next to
 * "baseline → current" (a throughput drop is negative, whatever the metric's direction).
 */
export function valueDelta(c: MetricComparison): number | null {
  if (c.valueChange !== null) return c.valueChange
  if (c.change === null) return null
  return c.direction === 'higher' ? -c.change : c.change
}

/**
 * The CI of `change` turned to the same orientation as `valueDelta`: `change` counts "worse" as
 * positive, which for a higher-is-better metric is a drop in value, so the bounds flip.
 */
export function valueCi(c: MetricComparison): [number, number] | null {
  if (c.ci === null) return null
  return c.direction === 'higher' ? [-c.ci[1], -c.ci[0]] : [c.ci[0], c.ci[1]]
}

const SEVERITY: Record<Verdict, number> = { fail: 0, warn: 1, pass: 2, neutral: 3 }

function magnitude(c: MetricComparison): number {
  const m = Math.abs(c.change ?? valueDelta(c) ?? Number.NaN)
  return Number.isNaN(m) ? -1 : m
}

/** Worst verdict first, then the largest change, so any cut keeps what a reviewer needs most. */
export function bySignificance(a: MetricComparison, b: MetricComparison): number {
  return SEVERITY[a.verdict] - SEVERITY[b.verdict] || magnitude(b) - magnitude(a)
}

export function sortBySignificance(comparisons: readonly MetricComparison[]): MetricComparison[] {
  return [...comparisons].sort(bySignificance)
}

/** Comparisons ordered by the size of their change alone, the one a trend chart is worth drawing. */
export function byMagnitude(comparisons: readonly MetricComparison[]): MetricComparison[] {
  return [...comparisons].sort((a, b) => magnitude(b) - magnitude(a))
}

/** "inconclusive: ~24 runs/arm would decide", or just "inconclusive" when no estimate exists. */
export function inconclusiveNote(c: MetricComparison): string {
  if (c.runsToDecide === undefined) return 'inconclusive'
  return `inconclusive: ~${c.runsToDecide.toLocaleString('en-US')} runs/arm would decide`
}

function verdictCell(c: MetricComparison): string {
  const notes = [
    c.inconclusive ? inconclusiveNote(c) : null,
    c.improved ? 'improved' : null
  ].filter((n): n is string => n !== null)
  return verdictLabel(c.verdict) + (notes.length ? ` (${notes.join(', ')})` : '')
}

export const DELTA_TABLE_HEADER = [
  'Benchmark',
  'Metric',
  'Baseline',
  'Current',
  'Δ',
  '90 % CI',
  'Verdict'
] as const

/** A row a reader must see: a regression, an improvement or an undecided metric. */
export function isFlagged(c: MetricComparison): boolean {
  return c.verdict === 'fail' || c.verdict === 'warn' || c.improved || c.inconclusive
}

/**
 * The line under a table cut to its most significant rows: how many rows were left out, how many
 * of those are flagged (none, usually: flagged rows sort first), and where to find them all.
 */
export function foldedLine(hidden: readonly MetricComparison[], where: string): string {
  const flagged = hidden.filter(isFlagged).length
  const what = flagged === 0 ? 'all unchanged' : `${flagged} of them flagged`
  return `… ${plural(hidden.length, 'more row')} (${what}) folded; ${where}`
}

/**
 * The per-metric delta table, most significant rows first. `maxRows` keeps the table within a size
 * budget; the rows left out are counted under it, with `folded` saying where they are.
 */
export function renderDeltaTable(
  comparisons: readonly MetricComparison[],
  opts: { maxRows?: number; folded?: string } = {}
): string {
  if (comparisons.length === 0) return '_No metrics were compared._'
  const sorted = sortBySignificance(comparisons)
  const shown = sorted.slice(0, Math.max(0, opts.maxRows ?? sorted.length))
  const rows = shown.map((c) => [
    escapeMarkdown(c.benchmark),
    escapeMarkdown(c.metric),
    formatValue(c.baseline?.median, escapeMarkdown(c.unit, { maxLength: 20 })),
    formatValue(c.current?.median, escapeMarkdown(c.unit, { maxLength: 20 })),
    formatPercent(valueDelta(c)),
    formatCi(valueCi(c)),
    verdictCell(c)
  ])
  // Unpadded delimiters: alignment spaces would cost comment budget and nobody reads the raw body.
  const table =
    rows.length > 0
      ? markdownTable([[...DELTA_TABLE_HEADER], ...rows], { alignDelimiters: false })
      : ''
  const hidden = sorted.slice(shown.length)
  const more =
    hidden.length > 0
      ? foldedLine(hidden, opts.folded ?? 'the job summary and the report file have more')
      : ''
  return [table, more].filter(Boolean).join('\n\n')
}

/** Which baseline the run was compared with, or that there was none. */
export function baselineLine(report: GateReport): string {
  const testbed = escapeMarkdown(report.testbed, { maxLength: 80 })
  if (!report.baseline) return `No baseline yet for testbed ${testbed}: nothing to compare with.`
  const sha = shortSha(report.baseline.sha)
  const commit = sha ? `\`${sha}\`` : 'an unknown commit'
  return `Baseline: ${commit} from ${formatDate(report.baseline.createdAt)} on testbed ${testbed}.`
}

/** "Accepted by @x (label `perf-gate:accept`): why", escaped, or null when nothing was accepted. */
export function acceptanceLine(report: GateReport): string | null {
  const a = report.acceptance
  if (!a) return null
  const who = a.by ? `by ${escapeMarkdown('@' + a.by, { maxLength: 60 })}` : 'by an unrecorded user'
  return (
    `**Regression accepted** ${who} (label ${escapeCode(a.label)}, was ${a.was}): ` +
    escapeMarkdown(a.reason, { maxLength: 1000 })
  )
}

export function routeLine(outcome: GateOutcome): string {
  switch (outcome.route) {
    case 'A':
      return '**Route A**: fix needed.'
    case 'B':
      return '**Route B**: within budget.'
    case 'none':
      return 'No route: nothing was decided.'
  }
}

/**
 * What `largestFitting` returns (the rendering with the most rows within `limit` characters, or what `measure` counts), in
 * fewer renderings: table rows are of similar length, so the count that fits is interpolated from
 * the lengths seen, with bisection as the fallback so it never takes more than O(log n) steps.
 * With 1,000 metrics this is what keeps the ledger's rendering within its time budget.
 */
export function fittingRows(
  total: number,
  render: (rows: number) => string,
  limit: number,
  measure: (text: string) => number = (text) => text.length
): string {
  const full = render(total)
  const fullSize = measure(full)
  if (fullSize <= limit) return full
  let lo = 0
  let loText = render(0)
  let loSize = measure(loText)
  if (loSize > limit) return loText
  let hi = total
  let hiSize = fullSize
  for (let step = 0; hi - lo > 1; step++) {
    const perRow = (hiSize - loSize) / (hi - lo)
    const guess =
      step < 4 && perRow > 0
        ? lo + Math.floor((limit - loSize) / perRow)
        : Math.floor((lo + hi) / 2)
    const rows = Math.min(hi - 1, Math.max(lo + 1, guess))
    const text = render(rows)
    const size = measure(text)
    if (size <= limit) {
      lo = rows
      loText = text
      loSize = size
    } else {
      hi = rows
      hiSize = size
    }
  }
  return loText
}

/**
 * `render(n)` for the largest row count n ≤ total (the full rendering first) that `fits`, or
 * `render(0)` when none does. Binary search: each rendering is a full table.
 */
export function largestFitting(
  total: number,
  render: (maxRows: number) => string,
  fits: (text: string) => boolean
): string {
  const full = render(total)
  if (fits(full)) return full
  let lo = 0
  let hi = total - 1
  let best: string | null = null
  while (lo <= hi) {
    const rows = Math.floor((lo + hi) / 2)
    const candidate = render(rows)
    if (fits(candidate)) {
      best = candidate
      lo = rows + 1
    } else {
      hi = rows - 1
    }
  }
  return best ?? render(0)
}
