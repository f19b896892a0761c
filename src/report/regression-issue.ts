import { createHash } from 'node:crypto'
import { markdownTable } from 'markdown-table'
import type { HistoryPoint, HistoryStep, MetricHistory } from './history.js'
import { historyChart } from './history.js'
import { escapeMarkdown, sanitizeText } from './escape.js'
import { formatDate, formatPercent, formatValue } from './format.js'
import { plural, shortSha } from '../shared/text.js'

/*
 * The GitHub issue a regression that slipped through becomes: one per (testbed, benchmark, metric,
 * change point), found again by a hidden marker that holds only hashes and a commit sha, never
 * text from a result file. Names, units, commit messages and PR titles are escaped like any other
 * untrusted text.
 */

export const REGRESSION_LABEL = 'perf-regression'
export const REGRESSION_LABEL_COLOR = 'd73a4a'
export const REGRESSION_LABEL_DESCRIPTION =
  'A performance regression perf-gate found on the default branch'

export interface RegressionFinding {
  testbed: string
  metric: MetricHistory
  step: HistoryStep
  /** The last baseline before the step: the change lies between it and the step's baseline. */
  previous: HistoryPoint | null
  /** How much worse, as a fraction (0.15 = 15 % slower, or 15 % less throughput). */
  worseBy: number
  fail: number
  warn: number
  /** The first later step that brought the level back, if any. */
  recovery: HistoryStep | null
}

/** Where the likely culprits are, read from the repository for the commit range. */
export interface LikelyCommits {
  /** The first commit after the last baseline before the step. */
  first: { sha: string; message: string; url: string } | null
  /** Commits in the range, all of them, even those not listed. */
  total: number
  pulls: Array<{ number: number; title: string; url: string; author: string | null }>
}

export interface IssueLinks {
  /** `https://github.com/owner/repo/compare/a...b`, or null without both ends. */
  compareUrl: string | null
  commitUrl: (sha: string) => string
}

const MARKER = /<!-- perf-gate:regression series=([0-9a-f]{16}) at=([0-9a-f]{7,40}|none) -->/

/** Testbed, benchmark and metric as one opaque key: markers carry no untrusted text. */
export function seriesKey(testbed: string, benchmark: string, metric: string): string {
  return createHash('sha256')
    .update(JSON.stringify([testbed, benchmark, metric]))
    .digest('hex')
    .slice(0, 16)
}

export function issueMarker(f: RegressionFinding): string {
  const at = f.step.sha && /^[0-9a-f]{7,40}$/.test(f.step.sha) ? f.step.sha : 'none'
  return `<!-- perf-gate:regression series=${seriesKey(f.testbed, f.metric.benchmark, f.metric.metric)} at=${at} -->`
}

/** The series and change point an issue body is about, from its marker. */
export function parseIssueMarker(body: string): { series: string; sha: string | null } | null {
  const m = MARKER.exec(body)
  if (!m?.[1] || !m[2]) return null
  return { series: m[1], sha: m[2] === 'none' ? null : m[2] }
}

export function issueTitle(f: RegressionFinding): string {
  const what = sanitizeText(`${f.metric.benchmark} / ${f.metric.metric}`, { maxLength: 120 })
  const testbed = sanitizeText(f.testbed, { maxLength: 60 })
  return `perf regression: ${what} ${formatPercent(f.worseBy, 1, { compact: true })} worse on ${testbed}`
}

function sha7(sha: string | null): string {
  return shortSha(sha) ?? 'unknown'
}

function commitLink(sha: string | null, links: IssueLinks): string {
  return sha ? `[\`${sha7(sha)}\`](${links.commitUrl(sha)})` : 'an unknown commit'
}

export function renderIssueBody(
  f: RegressionFinding,
  likely: LikelyCommits | null,
  links: IssueLinks
): string {
  const m = f.metric
  const unit = escapeMarkdown(m.unit, { maxLength: 20 })
  const name = `${escapeMarkdown(m.benchmark)} / ${escapeMarkdown(m.metric)}`
  const testbed = escapeMarkdown(f.testbed, { maxLength: 80 })
  const range = f.previous?.sha
    ? `${sha7(f.previous.sha)}…${sha7(f.step.sha)}`
    : `up to ${sha7(f.step.sha)}`
  const rangeCell = links.compareUrl ? `[\`${range}\`](${links.compareUrl})` : `\`${range}\``
  const out = [
    issueMarker(f),
    `**${name}** on testbed **${testbed}** got ${formatPercent(f.worseBy)} worse at ${commitLink(f.step.sha, links)} ` +
      `(recorded ${formatDate(f.step.createdAt)}), past its fail budget of ${formatPercent(f.fail).replace('+', '')}.`,
    '',
    markdownTable(
      [
        ['', ''],
        ['Metric', `${name} (${unit || 'no unit'}, ${m.direction} is better)`],
        [
          'Step',
          `${formatValue(f.step.before, unit)} → ${formatValue(f.step.after, unit)} (${formatPercent(f.step.change)}, p = ${f.step.pValue.toPrecision(2)})`
        ],
        [
          'Commit range',
          `${rangeCell}: the last baseline before the step, and the first at the new level`
        ],
        ['Baselines', `${m.points.length}, medians of each run`]
      ],
      { alignDelimiters: false }
    ),
    '',
    '### Likely commits',
    '',
    ...likelyLines(likely),
    '',
    '### Trend',
    '',
    historyChart(m),
    '',
    '---',
    'Opened by perf-gate from the baseline history of the default branch (change points by ' +
      'E-Divisive means on each baseline\u2019s median). It is updated by later runs, and commented ' +
      'on and closed when a later change point brings the metric back to its old level.'
  ]
  return out.join('\n') + '\n'
}

function likelyLines(likely: LikelyCommits | null): string[] {
  if (!likely) return ['The commit range could not be read from the repository.']
  const lines: string[] = []
  if (likely.first) {
    const subject = escapeMarkdown(likely.first.message.split('\n')[0] ?? '', { maxLength: 120 })
    lines.push(
      `- First commit after the last baseline before the step: [\`${sha7(likely.first.sha)}\`](${likely.first.url}) ${subject}`
    )
  } else lines.push('- No commit lies between the two baselines (a runner or dependency change?).')
  if (likely.pulls.length > 0) {
    lines.push(`- Pull requests merged in the range (${plural(likely.total, 'commit')}):`)
    for (const p of likely.pulls) {
      const by = p.author ? ` by ${escapeMarkdown('@' + p.author, { maxLength: 60 })}` : ''
      lines.push(`  - [#${p.number}](${p.url}) ${escapeMarkdown(p.title, { maxLength: 120 })}${by}`)
    }
  } else if (likely.total > 0) {
    lines.push(`- No pull request was merged in the range (${plural(likely.total, 'commit')}).`)
  }
  return lines
}

/** The comment that closes an issue: it starts "recovered at `abc1234`". */
export function renderRecoveryComment(f: RegressionFinding, links: IssueLinks): string {
  const r = f.recovery
  if (!r) throw new Error('renderRecoveryComment needs a recovery')
  const unit = escapeMarkdown(f.metric.unit, { maxLength: 20 })
  return (
    `recovered at \`${sha7(r.sha)}\` (${commitLink(r.sha, links)}, recorded ${formatDate(r.createdAt)}): ` +
    `back to ${formatValue(r.after, unit)} from ${formatValue(r.before, unit)}; ` +
    `the level before the regression was ${formatValue(f.step.before, unit)}. Closing.\n`
  )
}
