import type { MetricComparison } from '../stats/types.js'
import type { GateReport } from '../types/report.js'
import { renderTrendCharts } from './chart.js'
import { codeSpanText, escapeMarkdown } from './escape.js'
import {
  countsPhrase,
  formatCi,
  formatPercent,
  formatTimestamp,
  formatValue,
  verdictLabel
} from './format.js'
import { plural, shortSha } from '../shared/text.js'
import { baselineNote, fingerprintNote, missingBaselineLabel } from './baseline-note.js'
import { resolutionDetails, resolutionLine } from './resolution.js'
import { sweepSummaryLines } from './scaling.js'
import { targetEvidence, targeted, targetEvidenceLines } from './targets.js'
import {
  acceptanceLine,
  chartLinks,
  fittingRows,
  renderDeltaTable,
  routeLine,
  shownCentres,
  sortBySignificance,
  valueCi,
  valueDelta
} from './tables.js'

/*
 * The Review ledger: one PR comment shared by several gates. perf-gate owns the `perf` row of the
 * gates table, its own details section and its own hop-log entries; everything else in the body is
 * someone else's and is carried over byte for byte.
 */

export const LEDGER_MARKER = '<!-- perf-gate:ledger -->'
export const GATES_START = '<!-- gates:start -->'
export const GATES_END = '<!-- gates:end -->'
export const HOPLOG_START = '<!-- hoplog:start -->'
export const HOPLOG_END = '<!-- hoplog:end -->'
export const DETAILS_START = '<!-- perf-gate:details:start -->'
export const DETAILS_END = '<!-- perf-gate:details:end -->'
/** Left in the ledger once perf-gate has marked the PR ready for review: it never does so twice. */
export const PROMOTED_MARKER = '<!-- perf-gate:promoted -->'
export const PROMOTED_TEXT = 'promoted to ready for review'

/** GitHub rejects a comment body longer than this (422 "Body is too long"). */
export const MAX_COMMENT_LENGTH = 65_536

export { fittingRows }

const GATES_HEADER = ['| Gate | Status | Evidence |', '| --- | --- | --- |']
/** Missed targets listed in the details before the rest are counted: keeps the ledger short. */
const MAX_MISSED_LINES = 100
/** Reasons why metrics were not compared, listed under the ledger's table. */
const LEDGER_MAX_REASONS = 3
const PERF_ROW = /^\|\s*perf\s*\|/
const FOLD_LINE = /^- … (\d+) earlier entr(?:y|ies) folded\r?$/

export function isLedger(body: string): boolean {
  return body.includes(LEDGER_MARKER) || findRegion(body, GATES_START, GATES_END) !== null
}

/**
 * The ledger body after this run: a new one when `existing` is null, else `existing` with our row,
 * details and hop entry updated. Always shorter than `MAX_COMMENT_LENGTH` unless text we do not
 * own already fills the budget. `updateRow: false` (a run of a commit the PR has moved past) only
 * logs the hop and leaves the row and details of the newer commit alone, unless there are none.
 */
export function renderLedger(
  existing: string | null,
  report: GateReport,
  opts: { updateRow?: boolean; promoted?: boolean } = {}
): string {
  let body = withStructure(existing)
  if (opts.promoted && !body.includes(PROMOTED_MARKER)) {
    body = body.replace(LEDGER_MARKER, `${LEDGER_MARKER}\n${PROMOTED_MARKER}`)
  }
  const gates = findRegion(body, GATES_START, GATES_END)
  const hasRow =
    gates !== null &&
    body
      .slice(gates.from, gates.to)
      .split('\n')
      .some((l) => PERF_ROW.test(l))
  const ownRow = opts.updateRow !== false || !hasRow
  if (ownRow) {
    body = editRegion(body, GATES_START, GATES_END, (inner) =>
      upsertGateRow(inner, gateRow(report))
    )
  }
  const key = hopKey(report.runId)
  const entry = hopEntry(report, key, opts.promoted ?? false)
  body = editRegion(body, HOPLOG_START, HOPLOG_END, (inner) => upsertHop(inner, entry, key))
  return fitToBudget(
    body,
    report,
    entry,
    ownRow || findRegion(body, DETAILS_START, DETAILS_END) === null
  )
}

/** True when perf-gate has marked this ledger's pull request ready for review before. */
export function wasPromoted(body: string): boolean {
  return body.includes(PROMOTED_MARKER)
}

export interface GateRow {
  gate: string
  status: string
  passed: boolean
}

/**
 * The other gates' rows of the gates table (not perf's), as other tools wrote them. A row passes
 * when its status reads pass (`✅ pass`, `pass`); pending, running or anything else does not.
 */
export function otherGateRows(body: string): GateRow[] {
  const gates = findRegion(body, GATES_START, GATES_END)
  if (!gates) return []
  const rows: GateRow[] = []
  for (const line of body.slice(gates.from, gates.to).split('\n')) {
    const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|')
    if (!line.trim().startsWith('|') || cells.length < 2 || PERF_ROW.test(line)) continue
    const gate = (cells[0] ?? '').trim()
    const status = (cells[1] ?? '').trim()
    if (gate === 'Gate' || /^:?-{3,}:?$/.test(gate)) continue
    rows.push({ gate, status, passed: /^(✅\s*)?pass\b/i.test(status) })
  }
  return rows
}

/** The text only this run's hop entry carries, or null without a run id. */
export function hopMarker(runId: string | undefined): string | null {
  const key = hopKey(runId)
  return key === null ? null : hopKeyComment(key)
}

// Oldest hop entries go first: they are the least useful and are counted, not lost silently. Only
// then do our own details shrink, chart before table rows, as they are also in the check run.
function fitToBudget(body: string, report: GateReport, entry: string, ownDetails: boolean): string {
  const fits = (b: string): boolean => b.length < MAX_COMMENT_LENGTH
  const rows = sweepRows(report)
  if (ownDetails) body = setDetails(body, detailsBlock(report, { chart: true, maxRows: rows }))
  if (fits(body)) return body
  body = foldHops(body, entry)
  if (fits(body) || !ownDetails) return body
  const folded = body
  return fittingRows(
    rows ?? report.outcome.comparisons.length,
    (maxRows) => setDetails(folded, detailsBlock(report, { chart: false, maxRows })),
    MAX_COMMENT_LENGTH - 1
  )
}

/** Rows a matrix run shows in the ledger: its regressions (at most 100), else the 20 worst. */
const SWEEP_ROWS = { least: 20, most: 100 }

/**
 * A matrix run has hundreds of rows, most of them unremarkable: the ledger keeps the worst cells
 * and counts the rest, which the check run and the job summary list in full.
 */
function sweepRows(report: GateReport): number | undefined {
  if (!report.sweeps?.length) return undefined
  const open = report.outcome.comparisons.filter(
    (c) => c.verdict === 'fail' || c.verdict === 'warn'
  )
  return Math.min(SWEEP_ROWS.most, Math.max(SWEEP_ROWS.least, open.length))
}

interface Region {
  /** Index just after the start anchor. */
  from: number
  /** Index of the end anchor. */
  to: number
}

function findRegion(body: string, start: string, end: string): Region | null {
  const s = body.indexOf(start)
  if (s < 0) return null
  const e = body.indexOf(end, s + start.length)
  return e < 0 ? null : { from: s + start.length, to: e }
}

function editRegion(
  body: string,
  start: string,
  end: string,
  edit: (inner: string) => string
): string {
  const r = findRegion(body, start, end)
  if (!r) return body
  let inner = edit(body.slice(r.from, r.to))
  // Anchors must stay on lines of their own for the markdown around them to render.
  if (!inner.startsWith('\n')) inner = '\n' + inner
  if (!inner.endsWith('\n')) inner += '\n'
  return body.slice(0, r.from) + inner + body.slice(r.to)
}

/** Adds whatever anchors are missing, keeping any ledger another gate started. */
function withStructure(existing: string | null): string {
  let body = existing ?? ''
  const gates = [GATES_START, ...GATES_HEADER, GATES_END].join('\n')
  const hoplog = `${HOPLOG_START}\n${HOPLOG_END}`
  const hasGates = findRegion(body, GATES_START, GATES_END) !== null
  const hasHops = findRegion(body, HOPLOG_START, HOPLOG_END) !== null
  if (!hasGates && !hasHops) {
    body = appendBlock(body, `### Review ledger\n${gates}\n${hoplog}`)
  } else if (!hasGates) {
    const at = body.indexOf(HOPLOG_START)
    body = body.slice(0, at) + gates + '\n' + body.slice(at)
  } else if (!hasHops) {
    body = appendBlock(body, hoplog)
  }
  return body.includes(LEDGER_MARKER) ? body : `${LEDGER_MARKER}\n${body}`
}

function appendBlock(body: string, block: string): string {
  if (body === '') return block
  return body + (body.endsWith('\n') ? '\n' : '\n\n') + block
}

function lastIndexWhere(lines: string[], test: (line: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i] ?? '')) return i
  return -1
}

function upsertGateRow(inner: string, row: string): string {
  const lines = inner.split('\n')
  const own = lines.findIndex((l) => PERF_ROW.test(l))
  if (own >= 0) {
    lines[own] = row
    // A second perf row can only be left over from a race between two runs; the row is ours.
    return lines.filter((l, i) => i === own || !PERF_ROW.test(l)).join('\n')
  }
  const lastRow = lastIndexWhere(lines, (l) => l.trimStart().startsWith('|'))
  if (lastRow >= 0) lines.splice(lastRow + 1, 0, row)
  else lines.splice(lastIndexWhere(lines, (l) => l.trim() !== '') + 1 || 1, 0, ...GATES_HEADER, row)
  return lines.join('\n')
}

function upsertHop(inner: string, entry: string, key: string | null): string {
  const lines = inner.split('\n')
  const own = key === null ? -1 : lines.findIndex((l) => l.includes(hopKeyComment(key)))
  if (own >= 0) lines[own] = entry
  else lines.splice(lastIndexWhere(lines, (l) => l.trim() !== '') + 1 || 1, 0, entry)
  return lines.join('\n')
}

function foldLine(n: number): string {
  return `- … ${plural(n, 'earlier entry', 'earlier entries')} folded`
}

/**
 * Replaces the oldest hop entries (any gate's) by one count line, as few as will bring the body
 * under the budget; this run's entry always stays.
 */
function foldHops(body: string, keep: string): string {
  const excess = body.length - (MAX_COMMENT_LENGTH - 1)
  const r = findRegion(body, HOPLOG_START, HOPLOG_END)
  if (excess <= 0 || !r) return body
  const lines = body.slice(r.from, r.to).split('\n')
  const foldAt = lines.findIndex((l) => FOLD_LINE.test(l))
  const alreadyFolded = foldAt >= 0 ? Number(FOLD_LINE.exec(lines[foldAt] ?? '')?.[1] ?? 0) : 0
  const oldFoldCost = foldAt >= 0 ? (lines[foldAt]?.length ?? 0) + 1 : 0
  const candidates = lines
    .map((line, i) => ({ line, i }))
    .filter(({ line, i }) => i !== foldAt && line.trim() !== '' && line !== keep)

  const removed = new Set<number>()
  let saved = oldFoldCost
  for (const { line, i } of candidates) {
    removed.add(i)
    saved += line.length + 1
    if (saved - (foldLine(alreadyFolded + removed.size).length + 1) >= excess) break
  }
  if (removed.size === 0) return body

  const kept = lines.filter((_, i) => i !== foldAt && !removed.has(i))
  const firstEntry = kept.findIndex((l) => l.trim() !== '')
  kept.splice(
    firstEntry >= 0 ? firstEntry : Math.min(1, kept.length),
    0,
    foldLine(alreadyFolded + removed.size)
  )
  return body.slice(0, r.from) + kept.join('\n') + body.slice(r.to)
}

function setDetails(body: string, block: string): string {
  const own = findRegion(body, DETAILS_START, DETAILS_END)
  if (own) {
    return (
      body.slice(0, own.from - DETAILS_START.length) +
      block +
      body.slice(own.to + DETAILS_END.length)
    )
  }
  const gates = findRegion(body, GATES_START, GATES_END)
  const at = gates ? gates.to + GATES_END.length : body.length
  return body.slice(0, at) + '\n' + block + body.slice(at)
}

function detailsBlock(report: GateReport, opts: { chart: boolean; maxRows?: number }): string {
  const { outcome } = report
  const chart = opts.chart ? renderTrendCharts(report, { max: 2 }) : null
  // Every missed target, whatever else is cut; the met ones are only counted.
  const missed = targeted(outcome.comparisons).filter((c) => c.target.verdict === 'fail')
  const sweeps = sweepSummaryLines(report)
  return [
    DETAILS_START,
    `<details><summary>perf: ${countsPhrase(outcome)}${targetCounts(outcome)}</summary>`,
    '',
    `${verdictLabel(outcome.verdict)}: ${escapeMarkdown(outcome.reason, { maxLength: 500 })}`,
    '',
    ...(missed.length
      ? [
          `Targets missed (${missed.length} of ${targeted(outcome.comparisons).length}):`,
          '',
          ...missed.slice(0, MAX_MISSED_LINES).map((c) => `- \`${targetEvidence(c)}\``),
          ...(missed.length > MAX_MISSED_LINES
            ? [
                `- … ${missed.length - MAX_MISSED_LINES} more (the check run and job summary list all)`
              ]
            : []),
          ''
        ]
      : []),
    ...(sweeps.length ? [sweeps.join('  \n'), ''] : []),
    ...(report.acceptance ? [acceptanceLine(report) ?? '', ''] : []),
    renderDeltaTable(outcome.comparisons, {
      maxRows: opts.maxRows,
      chartUrl: chartLinks(report),
      // A comment is read at a glance: the first reasons, the rest in the summary and report.
      maxReasons: LEDGER_MAX_REASONS,
      reasonsWhere: 'the job summary and the report file list more'
    }),
    '',
    `${baselineNote(report)} ${routeLine(outcome)}`,
    ...resolutionBlock(outcome.comparisons, opts.maxRows),
    ...(fingerprintNote(report) ? ['', fingerprintNote(report) ?? ''] : []),
    ...(chart ? ['', chart] : []),
    '',
    '</details>',
    DETAILS_END
  ].join('\n')
}

/** The stored jobs' resolution: one line, the per-metric table folded under it. */
function resolutionBlock(
  comparisons: readonly MetricComparison[],
  maxRows: number | undefined
): string[] {
  const line = resolutionLine(comparisons)
  if (line === null) return []
  const details = resolutionDetails(comparisons, { maxRows })
  return ['', line, ...(details ? ['', details] : [])]
}

/** ", targets: 2 missed, 1 undecided, 12 met", or nothing without targets. */
function targetCounts(outcome: GateReport['outcome']): string {
  const t = outcome.targets
  if (!t) return ''
  const parts = [
    t.missed ? `${t.missed} missed` : null,
    t.undecided ? `${t.undecided} undecided` : null,
    t.met ? `${t.met} met` : null
  ].filter(Boolean)
  return parts.length ? `; targets: ${parts.join(', ')}` : ''
}

/** The comparison the one-line evidence speaks for: the worst verdict that has a number to show. */
function headline(report: GateReport): MetricComparison | null {
  return (
    sortBySignificance(report.outcome.comparisons).find(
      (c) => valueDelta(c) !== null && c.current !== null
    ) ?? null
  )
}

// Reviewers split evidence on ": " and "; ", so untrusted parts lose `;` along with anything that
// would end the code span or the table cell.
function evidencePart(text: string, maxLength: number): string {
  return codeSpanText(text, { maxLength }).replace(/;/g, ',')
}

/**
 * The evidence of the perf row, in the grammar other gates use:
 * `perf: <area>: <value> <unit>; Δ vs baseline: <±x%>`.
 */
export function perfEvidence(report: GateReport): string {
  if (!report.baseline) return `perf: ${missingBaselineLabel(report)}`
  const top = headline(report)
  if (!top) {
    const reason = evidencePart(report.outcome.reason, 120)
    return `perf: ${reason || 'no metrics compared'}`
  }
  const area = evidencePart(`${top.benchmark}/${top.metric}`, 80)
  const value = [formatValue(shownCentres(top).current), evidencePart(top.unit, 20)]
    .filter(Boolean)
    .join(' ')
  const delta = formatPercent(valueDelta(top), 1, { compact: true })
  return `perf: ${area}: ${value}; Δ vs baseline: ${delta}`
}

function gateRow(report: GateReport): string {
  const status = verdictLabel(report.outcome.verdict) + (report.acceptance ? ' (accepted)' : '')
  // Targets get lines of their own in the cell, in the same grammar, below the headline.
  const targets = targetEvidenceLines(report, 3)
  return `| perf | ${status} | ${[`\`${perfEvidence(report)}\``, ...targets].join('<br>')} |`
}

function hopKey(runId: string | undefined): string | null {
  const key = runId
    ?.replace(/[^0-9A-Za-z._:-]/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 100)
  return key || null
}

function hopKeyComment(key: string): string {
  return `<!-- perf-gate:hop:${key} -->`
}

function runLink(report: GateReport): string | null {
  if (!report.runId) return null
  const label = `run ${escapeMarkdown(report.runId, { maxLength: 40 })}`
  const url = report.runUrl
  const linkable =
    url !== undefined && url.length <= 500 && /^https?:\/\/[^\s()<>[\]"'`\\]+$/.test(url)
  return linkable ? `[${label}](${url})` : label
}

/** One hop-log line: "- 2026-11-22 10:01 UTC · perf · abc1234 · ❌ fail · … · run 123". */
function hopEntry(report: GateReport, key: string | null, promoted: boolean): string {
  const top = headline(report)
  let what: string
  if (!report.baseline) what = missingBaselineLabel(report)
  else if (top) {
    what =
      `${escapeMarkdown(`${top.benchmark}/${top.metric}`, { maxLength: 80 })} ` +
      `${formatPercent(valueDelta(top))} (90 % CI ${formatCi(valueCi(top))})`
  } else what = escapeMarkdown(report.outcome.reason, { maxLength: 120 })
  const a = report.acceptance
  const accepted = a
    ? `accepted by ${a.by ? escapeMarkdown('@' + a.by, { maxLength: 60 }) : 'an unrecorded user'}`
    : null
  const parts = [
    formatTimestamp(report.timestamp),
    'perf',
    shortSha(report.current.sha) ?? 'no sha',
    verdictLabel(report.outcome.verdict),
    what,
    accepted,
    promoted ? PROMOTED_TEXT : null,
    runLink(report)
  ].filter((p): p is string => p !== null)
  return `- ${parts.join(' · ')}${key === null ? '' : ' ' + hopKeyComment(key)}`
}
