import { markdownTable } from 'markdown-table'
import { MAX_ADVISED_RUNS } from '../stats/planning.js'
import type { GateOutcome, MetricComparison, Verdict } from '../stats/types.js'
import type { GateReport } from '../types/report.js'
import { metricChartUrl } from './dashboard-link.js'
import { escapeCode, escapeMarkdown } from './escape.js'
import {
  formatCi,
  formatDate,
  formatPercent,
  formatRoughPercent,
  formatValue,
  verdictLabel
} from './format.js'
import { plural, shortSha } from '../shared/text.js'
import { signedAmount } from '../stats/format.js'

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
 * The Δ cell: the relative change, or for a metric at 0 on one side (no ratio exists) the change
 * in its own unit, "+1 allocs/op".
 */
export function deltaText(c: MetricComparison, unit: string = c.unit): string {
  if (c.absoluteChange !== undefined && c.valueChange === null)
    return signedAmount(c.absoluteChange, unit)
  return formatPercent(valueDelta(c))
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

/**
 * The values the Baseline and Current columns show, which must agree with Δ. The paired and
 * history-aware rules give their own centres. The two-sample rule's Δ is the Hodges-Lehmann shift
 * over every pair of runs, which the medians follow on runs that sit at one level; where they
 * disagree (runs at two levels, a bimodal metric) Current is the baseline median moved by Δ, and
 * `medians` keeps what the runs' medians said, for a note in words.
 */
export interface ShownCentres {
  baseline: number | null
  current: number | null
  medians?: { baseline: number; current: number }
}

/** How far the medians' change may stray from Δ before a reader would see a contradiction. */
function disagrees(medianChange: number, delta: number): boolean {
  const gap = Math.abs(medianChange - delta)
  return gap > Math.max(0.02, 0.25 * Math.max(Math.abs(medianChange), Math.abs(delta)))
}

export function shownCentres(c: MetricComparison): ShownCentres {
  if (c.centres) return { baseline: c.centres.baseline, current: c.centres.current }
  const baseline = c.baseline?.median ?? null
  const current = c.current?.median ?? null
  const delta = valueDelta(c)
  if (baseline === null || current === null || delta === null) return { baseline, current }
  if (!(baseline > 0 && current > 0 && Number.isFinite(delta))) return { baseline, current }
  if (!disagrees(current / baseline - 1, delta)) return { baseline, current }
  return { baseline, current: baseline * (1 + delta), medians: { baseline, current } }
}

/** "the medians (45 ops/s → 47.5 ops/s, +5.6 %)" for a row whose columns show the shift instead. */
export function mediansPhrase(c: MetricComparison, unit: string): string | null {
  const m = shownCentres(c).medians
  if (!m) return null
  return `the medians (${formatValue(m.baseline, unit)} → ${formatValue(m.current, unit)}, ${formatPercent(m.current / m.baseline - 1)})`
}

/** The note under a table for each row marked †, at most `max` of them. */
export function disagreementNotes(
  rows: readonly MetricComparison[],
  escape: (text: string, maxLength: number) => string,
  max = 5
): string[] {
  const marked = rows.filter((c) => shownCentres(c).medians !== undefined)
  const notes = marked.slice(0, max).map((c) => {
    const medians = mediansPhrase(c, escape(c.unit, 20)) ?? ''
    return (
      `† ${escape(`${c.benchmark}/${c.metric}`, 100)}: Current is the baseline median moved by Δ, ` +
      `the shift over every pair of runs; ${medians} disagree with it, so the runs likely sit at ` +
      'more than one level.'
    )
  })
  if (marked.length > max) notes.push(`† … and ${plural(marked.length - max, 'more row')} alike.`)
  return notes
}

/**
 * Why the neutral rows were not compared, one line per reason with the rows it concerns
 * ("BenchmarkKey/allocs/op, BenchmarkMix/B/op: baseline sample #3 is 0: …"), at most `max` lines.
 */
export function neutralNotes(
  rows: readonly MetricComparison[],
  escape: (text: string, maxLength: number) => string,
  max = 8
): string[] {
  // Only the first four names of a reason are shown, so only those are kept: a first run of
  // 100,000 metrics is 100,000 neutral rows with one reason.
  const byReason = new Map<string, { names: string[]; count: number }>()
  for (const c of rows) {
    if (c.verdict !== 'neutral') continue
    let entry = byReason.get(c.reason)
    if (!entry) byReason.set(c.reason, (entry = { names: [], count: 0 }))
    if (entry.names.length < 4) entry.names.push(`${c.benchmark}/${c.metric}`)
    entry.count++
  }
  const lines = [...byReason].slice(0, max).map(([reason, { names, count }]) => {
    const shown = names.join(', ') + (count > 4 ? ` and ${count - 4} more` : '')
    return `${escape(shown, 300)}: ${escape(reason, 300)}`
  })
  if (byReason.size > max) lines.push(`… and ${plural(byReason.size - max, 'more reason')}`)
  return lines
}

/**
 * The markdown list under a table of why its neutral rows were not compared, headed by how many
 * there are, at most `max` reasons; `where` says where the reasons left out are listed. Covers
 * every neutral row, folded ones included: the rows a cut table drops are the neutral ones, and a
 * reviewer still needs to know why a metric (a Go alloc count at 0, a file with one sample) was
 * not gated. Null when every row was compared.
 */
export function neutralReasonsBlock(
  rows: readonly MetricComparison[],
  opts: { max?: number; where?: string } = {}
): string | null {
  const neutral = rows.filter((c) => c.verdict === 'neutral')
  if (neutral.length === 0) return null
  const max = opts.max ?? 8
  const lines = neutralNotes(neutral, (t, maxLength) => escapeMarkdown(t, { maxLength }), max)
  // A cut list ends in "… and N more reasons": say where they are.
  if (opts.where && new Set(neutral.map((c) => c.reason)).size > max) {
    lines[lines.length - 1] += ` (${opts.where})`
  }
  return [
    `Not compared (${plural(neutral.length, 'metric')}):`,
    '',
    ...lines.map((l) => `- ${l}`)
  ].join('\n')
}

/** A Current cell with its † when the medians disagree with Δ. */
export function currentCell(c: MetricComparison, unit: string): string {
  const shown = shownCentres(c)
  // With nothing to compare with (a first run, a new metric), the spread is all there is to say.
  const cv = c.baseline === null ? c.current?.cv : null
  const spread =
    cv !== null && cv !== undefined && shown.current !== null
      ? ` (CV ${formatRoughPercent(cv)})`
      : ''
  return formatValue(shown.current, unit) + spread + (shown.medians ? ' †' : '')
}

/**
 * "inconclusive: ~24 runs/arm would decide"; past MAX_ADVISED_RUNS, that it cannot be decided at
 * this noise; for the history-aware rule with no number of runs that helps, what stored baselines
 * can resolve; else just "inconclusive".
 */
export function inconclusiveNote(c: MetricComparison): string {
  if (c.runsToDecide !== undefined && c.runsToDecide > MAX_ADVISED_RUNS) {
    return 'inconclusive: cannot be decided at this noise'
  }
  if (c.runsToDecide !== undefined) {
    const unit = c.pairs !== undefined ? 'pairs' : 'runs/arm'
    return `inconclusive: ~${c.runsToDecide.toLocaleString('en-US')} ${unit} would decide`
  }
  const resolution = c.history?.resolution
  if (resolution !== undefined && Number.isFinite(resolution)) {
    return `inconclusive: stored baselines confirm only past ${formatRoughPercent(resolution)}`
  }
  return 'inconclusive'
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
  opts: {
    maxRows?: number
    chartUrl?: ChartUrl
    folded?: string
    /** At most this many reasons why rows were not compared are listed under the table. */
    maxReasons?: number
    /** Where the reasons left out are listed. */
    reasonsWhere?: string
  } = {}
): string {
  if (comparisons.length === 0) return '_No metrics were compared._'
  const sorted = sortBySignificance(comparisons)
  const shown = sorted.slice(0, Math.max(0, opts.maxRows ?? sorted.length))
  const rows = shown.map((c) => [
    escapeMarkdown(c.benchmark),
    metricCell(c, opts.chartUrl),
    formatValue(shownCentres(c).baseline, escapeMarkdown(c.unit, { maxLength: 20 })),
    currentCell(c, escapeMarkdown(c.unit, { maxLength: 20 })),
    deltaText(c, escapeMarkdown(c.unit, { maxLength: 20 })),
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
  const notes = disagreementNotes(shown, (t, maxLength) => escapeMarkdown(t, { maxLength }))
  const neutral = neutralReasonsBlock(sorted, { max: opts.maxReasons, where: opts.reasonsWhere })
  return [table, notes.join('\n\n'), more, neutral].filter(Boolean).join('\n\n')
}

/** The URL of a metric's chart on the history dashboard. */
export type ChartUrl = (c: MetricComparison) => string

/** Links to each metric's chart when the report knows where the dashboard is published. */
export function chartLinks(report: GateReport): ChartUrl | undefined {
  const base = report.dashboardUrl
  if (!base) return undefined
  return (c) => metricChartUrl(base, report.testbed, c.benchmark, c.metric)
}

/** The metric's name, escaped, and a link to its chart when there is one. */
export function metricCell(
  c: MetricComparison,
  chartUrl: ChartUrl | undefined,
  maxLength?: number
): string {
  const name = escapeMarkdown(c.metric, maxLength === undefined ? {} : { maxLength })
  return chartUrl ? `[${name}](${chartUrl(c)})` : name
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
