import type { GateReport } from '../types/report.js'
import { renderTrendChart } from './chart.js'
import { escapeMarkdown } from './escape.js'
import { countsPhrase, formatTimestamp, verdictIcon } from './format.js'
import { shortSha } from '../shared/text.js'
import { acceptanceLine, renderDeltaTable, routeLine } from './tables.js'
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
 * The job summary: headline, delta table and trend chart, then the targets and the Scaling
 * section of a run that has them.
 */
export function renderReport(report: GateReport): string {
  const chart = renderTrendChart(report)
  const targets = renderTargetsTable(report.outcome.comparisons)
  const scaling = renderScaling(report)
  return [
    renderHeadline(report),
    renderDeltaTable(report.outcome.comparisons),
    resolutionDetails(report.outcome.comparisons),
    chart,
    targets ? `## Targets\n\n${targets}` : null,
    scaling ? `## Scaling\n\n${scaling}` : null
  ]
    .filter((part): part is string => part !== null)
    .join('\n\n')
    .concat('\n')
}
