import { markdownTable } from 'markdown-table'
import type { Direction, MetricClass } from '../results/model.js'
import { mermaidLabel, stepLevels, xyChart } from './chart.js'
import { escapeMarkdown } from './escape.js'
import { formatDate, formatPercent, formatValue } from './format.js'
import { plural, shortSha } from '../shared/text.js'

/*
 * The nightly history report: where each metric's level stepped up or down over the stored
 * baselines. A pure function of `HistoryReport`; names and units from result files are escaped, and
 * chart labels reduced to mermaid's safe set.
 */

export interface HistoryPoint {
  sha: string | null
  createdAt: string
  /** Median of the baseline's samples. */
  value: number
}

export interface HistoryStep {
  /** Index into `points` of the first value of the new level. */
  index: number
  sha: string | null
  createdAt: string
  /** Relative change of the level (+0.1 = 10 % higher after the step). */
  change: number
  /** Medians of the values between the neighbouring steps, before and after this one. */
  before: number
  after: number
  pValue: number
  /** The step makes the metric worse (slower, less throughput). */
  worse: boolean
}

export interface MetricHistory {
  benchmark: string
  metric: string
  unit: string
  direction: Direction
  /** The class the newest baseline gave it: its budgets decide what is a regression. */
  class: MetricClass
  points: HistoryPoint[]
  steps: HistoryStep[]
}

export interface HistoryReport {
  testbed: string
  /** Where the baselines were read (`local:.perf-gate/baselines`). */
  location: string
  /** Baselines read, and listed ones that could not be read. */
  baselines: number
  unreadable: number
  /** Fewest baselines a metric needs before steps can be found in it. */
  minPoints: number
  metrics: MetricHistory[]
  /** ISO timestamp of the analysis. */
  timestamp: string
}

/** Charts drawn at most: the metrics with the largest steps. */
const MAX_CHARTS = 5
/** Points per chart at most, the most recent ones; more would only blur the labels. */
const MAX_CHART_POINTS = 100

/** The metric's trend chart, the level between its steps drawn as a second line. */
export function historyChart(m: MetricHistory): string {
  const points = m.points.slice(-MAX_CHART_POINTS)
  const values = points.map((p) => p.value)
  const shown = m.points.length - points.length
  const steps = m.steps.map((s) => s.index - shown).filter((i) => i > 0)
  return xyChart({
    title: mermaidLabel(`${m.benchmark} / ${m.metric}`, 'history'),
    labels: points.map((p, i) => mermaidLabel(shortSha(p.sha) ?? `#${i + 1}`, '?')),
    unit: mermaidLabel(m.unit, 'value'),
    // With its steps, the level between them: a picture of where it moved.
    lines:
      steps.length && values.every((v) => v > 0) ? [values, stepLevels(values, steps)] : [values]
  })
}

/** Every step, newest first: the one a maintainer most likely has to look into. */
function allSteps(report: HistoryReport): Array<{ m: MetricHistory; s: HistoryStep }> {
  return report.metrics
    .flatMap((m) => m.steps.map((s) => ({ m, s })))
    .sort(
      (a, b) =>
        b.s.createdAt.localeCompare(a.s.createdAt) || Math.abs(b.s.change) - Math.abs(a.s.change)
    )
}

export function countSteps(report: HistoryReport): number {
  return report.metrics.reduce((n, m) => n + m.steps.length, 0)
}

export function renderHistory(report: HistoryReport): string {
  const testbed = escapeMarkdown(report.testbed, { maxLength: 80 })
  const steps = allSteps(report)
  const out = [`## perf history: testbed ${testbed}`, '']
  const dates = report.metrics.flatMap((m) => m.points.map((p) => p.createdAt)).sort()
  const span =
    dates.length > 0 ? ` (${formatDate(dates[0] ?? '')} … ${formatDate(dates.at(-1) ?? '')})` : ''
  const unreadable =
    report.unreadable > 0 ? ` ${plural(report.unreadable, 'baseline')} could not be read.` : ''
  out.push(
    `${plural(steps.length, 'change point')} in ${plural(report.metrics.length, 'metric')} over ` +
      `${plural(report.baselines, 'baseline')}${span} in ${escapeMarkdown(report.location, { maxLength: 200 })}.${unreadable} ` +
      'Found by E-Divisive means on the median of each baseline; this report never fails a run.'
  )
  out.push('')
  if (report.baselines < report.minPoints) {
    out.push(
      `Too few baselines to look for change points: at least ${report.minPoints} are needed, ` +
        `${report.baselines === 0 ? 'there are none yet' : `there ${report.baselines === 1 ? 'is' : 'are'} ${report.baselines}`}.`
    )
    return out.join('\n') + '\n'
  }
  if (steps.length === 0) {
    out.push('No change points: every metric held its level.')
    return out.join('\n') + '\n'
  }
  const rows = steps.map(({ m, s }) => {
    const unit = escapeMarkdown(m.unit, { maxLength: 20 })
    const sha = shortSha(s.sha)
    return [
      sha ? `\`${sha}\`` : 'unknown',
      formatDate(s.createdAt),
      escapeMarkdown(m.benchmark),
      escapeMarkdown(m.metric),
      formatPercent(s.change),
      formatValue(s.before, unit),
      formatValue(s.after, unit),
      s.worse ? '⚠️ worse' : '✅ better'
    ]
  })
  out.push(
    markdownTable(
      [['Commit', 'Recorded', 'Benchmark', 'Metric', 'Step', 'Before', 'After', ''], ...rows],
      { alignDelimiters: false }
    )
  )
  out.push(
    '',
    'The commit is the first baseline at the new level; the change lies between it and the baseline before.'
  )
  const charted = report.metrics
    .filter((m) => m.steps.length > 0 && m.points.length >= 2)
    .sort(
      (a, b) =>
        Math.max(...b.steps.map((s) => Math.abs(s.change))) -
        Math.max(...a.steps.map((s) => Math.abs(s.change)))
    )
    .slice(0, MAX_CHARTS)
  for (const m of charted) out.push('', historyChart(m))
  return out.join('\n') + '\n'
}
