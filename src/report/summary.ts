import type { GateReport } from '../types/report.js'
import { renderTrendChart } from './chart.js'
import { escapeMarkdown } from './escape.js'
import { countsPhrase, formatTimestamp, verdictIcon } from './format.js'
import { shortSha } from '../shared/text.js'
import { acceptanceLine, renderDeltaTable, routeLine } from './tables.js'
import { baselineNote, fingerprintNote } from './baseline-note.js'
import { resolutionDetails, resolutionLine } from './resolution.js'

/**
 * The opening of every standalone report: verdict, why, which route, against what. Shared with the
 * check run's summary so both read the same.
 */
export function renderHeadline(report: GateReport): string {
  const { outcome } = report
  const sha = shortSha(report.current.sha)
  const accepted = acceptanceLine(report)
  return [
    `## ${verdictIcon(outcome.verdict)} perf: ${outcome.verdict}`,
    '',
    escapeMarkdown(outcome.reason, { maxLength: 500 }),
    '',
    ...(accepted ? [accepted, ''] : []),
    `${routeLine(outcome)} ${baselineNote(report)}`,
    '',
    ...(resolutionLine(outcome.comparisons) ? [resolutionLine(outcome.comparisons) ?? '', ''] : []),
    ...(fingerprintNote(report) ? [fingerprintNote(report) ?? '', ''] : []),
    `perf: ${countsPhrase(outcome)} · run of ${sha ? `\`${sha}\`` : 'an unknown commit'} at ` +
      formatTimestamp(report.timestamp)
  ].join('\n')
}

/** The job summary and the local report file: headline, delta table and trend chart. */
export function renderReport(report: GateReport): string {
  const chart = renderTrendChart(report)
  return [
    renderHeadline(report),
    renderDeltaTable(report.outcome.comparisons),
    resolutionDetails(report.outcome.comparisons),
    chart
  ]
    .filter((part): part is string => part !== null)
    .join('\n\n')
    .concat('\n')
}
