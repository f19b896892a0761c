import type { GateReport } from '../types/report.js'
import { renderTrendChart } from './chart.js'
import { escapeMarkdown } from './escape.js'
import { countsPhrase, formatTimestamp, verdictIcon } from './format.js'
import { shortSha } from '../shared/text.js'
import { acceptanceLine, fittingRows, renderDeltaTable, routeLine } from './tables.js'
import { baselineNote, fingerprintNote } from './baseline-note.js'
import { resolutionDetails, resolutionLine } from './resolution.js'
import { renderScaling } from './scaling.js'
import { renderTargetsTable, targetEvidenceLines } from './targets.js'

/**
 * The opening of every standalone report: verdict, why, which route, against what. Shared with the
 * check run's summary so both read the same.
 */
export function renderHeadline(report: GateReport): string {
  const { outcome } = report
  const sha = shortSha(report.current.sha)
  const accepted = acceptanceLine(report)
  const targets = targetEvidenceLines(report)
  return [
    `## ${verdictIcon(outcome.verdict)} perf: ${outcome.verdict}`,
    '',
    escapeMarkdown(outcome.reason, { maxLength: 500 }),
    '',
    ...(targets.length ? [targets.map((l) => `- ${l}`).join('\n'), ''] : []),
    ...(accepted ? [accepted, ''] : []),
    `${routeLine(outcome)} ${baselineNote(report)}`,
    '',
    ...(resolutionLine(outcome.comparisons) ? [resolutionLine(outcome.comparisons) ?? '', ''] : []),
    ...(fingerprintNote(report) ? [fingerprintNote(report) ?? '', ''] : []),
    `perf: ${countsPhrase(outcome)} · run of ${sha ? `\`${sha}\`` : 'an unknown commit'} at ` +
      formatTimestamp(report.timestamp)
  ].join('\n')
}

/**
 * GitHub refuses a job summary over 1 MiB per step (and shows none of it); this leaves room for
 * a note after the report. */
export const MAX_SUMMARY_BYTES = 1_000_000
/** Past this many rows a table is scrolled, not read: the rest are folded, worst rows kept. */
export const SUMMARY_MAX_ROWS = 1000

const SUMMARY_FOLDED =
  "every metric is in the report file and the raw results (the step's report-path and results-path)"

/**
 * The job summary: headline, delta table and trend chart, then the targets and the Scaling
 * section of a run that has them, within `maxBytes` (UTF-8). The table keeps its most significant
 * rows, at most SUMMARY_MAX_ROWS, and counts the ones it folds.
 */
export function renderReport(report: GateReport, opts: { maxBytes?: number } = {}): string {
  const chart = renderTrendChart(report)
  const headline = renderHeadline(report)
  const comparisons = report.outcome.comparisons
  const targets = renderTargetsTable(comparisons)
  const scaling = renderScaling(report)
  // The table of what stored baselines could resolve has a row per metric too: cut alike.
  const render = (maxRows: number): string =>
    [
      headline,
      renderDeltaTable(comparisons, { maxRows, folded: SUMMARY_FOLDED }),
      resolutionDetails(comparisons, { maxRows }),
      chart,
      targets ? `## Targets\n\n${targets}` : null,
      scaling ? `## Scaling\n\n${scaling}` : null
    ]
      .filter((part): part is string => part !== null)
      .join('\n\n')
      .concat('\n')
  const rows = Math.min(comparisons.length, SUMMARY_MAX_ROWS)
  return fittingRows(rows, render, opts.maxBytes ?? MAX_SUMMARY_BYTES, utf8Bytes)
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}
