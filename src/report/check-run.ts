import type { GateReport } from '../types/report.js'
import { renderTrendChart } from './chart.js'
import { plural } from '../shared/text.js'
import { missingBaselineLabel } from './baseline-note.js'
import { renderHeadline } from './summary.js'
import { resolutionDetails } from './resolution.js'
import { largestFitting, renderDeltaTable } from './tables.js'
import { renderTargetsTable } from './targets.js'

/** Constant on purpose: branch protection requires the check by this name. */
export const CHECK_RUN_NAME = 'review:gate:perf'

/** GitHub counts `output.summary` and `output.text` in UTF-8 bytes, not characters. */
export const MAX_CHECK_OUTPUT_BYTES = 65_535
const MAX_TITLE_LENGTH = 255

export type CheckRunConclusion = 'success' | 'failure' | 'neutral'

/** The body of `POST /repos/{owner}/{repo}/check-runs`, completed in one call. */
export interface CheckRunPayload {
  name: typeof CHECK_RUN_NAME
  /** The PR head sha, not the merge sha; null when unknown, and then the caller must not post. */
  head_sha: string | null
  status: 'completed'
  conclusion: CheckRunConclusion
  completed_at: string
  details_url?: string
  output: { title: string; summary: string; text: string }
}

function fitsBytes(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') <= MAX_CHECK_OUTPUT_BYTES
}

const TRUNCATED = '\n\n… truncated to fit the check run.'

/** Last resort for text without rows to drop: whole lines, then code points, never half a character. */
export function truncateToBytes(text: string, maxBytes = MAX_CHECK_OUTPUT_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text
  const budget = maxBytes - Buffer.byteLength(TRUNCATED, 'utf8')
  let out = ''
  let used = 0
  for (const line of text.split('\n')) {
    const cost = Buffer.byteLength(line, 'utf8') + (out ? 1 : 0)
    if (used + cost > budget) break
    out += (out ? '\n' : '') + line
    used += cost
  }
  if (out === '') {
    for (const ch of text) {
      const cost = Buffer.byteLength(ch, 'utf8')
      if (used + cost > budget) break
      out += ch
      used += cost
    }
  }
  return out + TRUNCATED
}

function title(report: GateReport): string {
  const { outcome } = report
  const what = report.baseline
    ? plural(outcome.regressions, 'regression')
    : missingBaselineLabel(report)
  const missed = outcome.targets?.missed
    ? `, ${plural(outcome.targets.missed, 'target')} missed`
    : ''
  const accepted = report.acceptance ? ', accepted' : ''
  return `perf: ${what}${missed}${accepted} (${outcome.verdict})`.slice(0, MAX_TITLE_LENGTH)
}

/**
 * The check run for the gate. The summary holds the verdict and the regressions, the text the
 * whole table and the trend, each cut by table rows to GitHub's byte limit.
 */
export function renderCheckRun(
  report: GateReport,
  opts: { headSha: string | null; detailsUrl?: string }
): CheckRunPayload {
  const { outcome } = report
  const conclusion: CheckRunConclusion =
    outcome.verdict === 'fail' ? 'failure' : outcome.verdict === 'neutral' ? 'neutral' : 'success'

  const headline = renderHeadline(report)
  const regressions = outcome.comparisons.filter(
    (c) => c.verdict === 'warn' || c.verdict === 'fail'
  )
  const summary =
    regressions.length === 0
      ? headline
      : largestFitting(
          regressions.length,
          (maxRows) => `${headline}\n\n${renderDeltaTable(regressions, { maxRows })}`,
          fitsBytes
        )

  const chart = renderTrendChart(report)
  const all = outcome.comparisons
  const tables = (maxRows?: number): string =>
    [renderDeltaTable(all, { maxRows }), resolutionDetails(all, { maxRows })]
      .filter(Boolean)
      .join('\n\n')
  // Targets first: missed ones lead the table, and a few hundred rows still leave room.
  const targets = renderTargetsTable(all, { maxRows: 200 })
  const lead = targets ? `### Targets\n\n${targets}\n\n` : ''
  const withChart = lead + [tables(), chart].filter(Boolean).join('\n\n')
  const text = fitsBytes(withChart)
    ? withChart
    : largestFitting(all.length, (maxRows) => lead + tables(maxRows), fitsBytes)

  const payload: CheckRunPayload = {
    name: CHECK_RUN_NAME,
    head_sha: opts.headSha,
    status: 'completed',
    conclusion,
    completed_at: report.timestamp,
    output: {
      title: title(report),
      summary: truncateToBytes(summary),
      text: truncateToBytes(text)
    }
  }
  if (opts.detailsUrl) payload.details_url = opts.detailsUrl
  return payload
}
