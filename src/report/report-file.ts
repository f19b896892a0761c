import { markdownTable } from 'markdown-table'
import type { MetricComparison } from '../stats/types.js'
import { renderTrendCharts } from './chart.js'
import { comparatives, renderComparativeSection } from './comparatives.js'
import { escapeMarkdown } from './escape.js'
import {
  formatCi,
  formatDate,
  formatPercent,
  formatTimestamp,
  formatValue,
  verdictLabel
} from './format.js'
import { plural, shortSha } from '../shared/text.js'
import { renderGpuSection } from './gpu-table.js'
import { hotspots, renderHotspotSection } from './hotspots.js'
import { insightsOf, keyFindings, recommendations, renderObservations } from './insights.js'
import type { ReportFileInput } from './report-input.js'
import { renderScaling } from './scaling.js'
import { renderSweepComparatives } from './sweep-comparatives.js'
import { renderTargetsTable } from './targets.js'
import type { AnalystSection, WorkflowFacts } from '../types/report.js'
import { resolutionDetails, resolutionLine } from './resolution.js'
import { speedPhrase } from './speed.js'
import { baselineNote, fingerprintNote } from './baseline-note.js'
import {
  acceptanceLine,
  chartLinks,
  currentCell,
  disagreementNotes,
  foldedLine,
  inconclusiveNote,
  metricCell,
  neutralReasonsBlock,
  shownCentres,
  type ChartUrl,
  sortBySignificance,
  valueCi,
  valueDelta
} from './tables.js'

/*
 * The markdown report file (`benchmarks/results/reports/<date>T<time>Z_<sha7>.md`): the sections the team
 * asked for, each computed from the run. A pure function of its input, so a golden file pins it.
 */

/** The label of the raw results in `rawData`: the metrics table links it when it folds rows. */
export const RAW_RESULTS_LABEL = 'Raw results (JSON)'

/**
 * `<YYYY-MM-DD>T<HHMMSS.mmm>Z_<sha7>.md`, the report file's name for a run: the time keeps two
 * runs of one commit on one day apart, and the names sort as the runs happened.
 */
export function reportFileName(createdAt: string, sha: string | null): string {
  const d = new Date(createdAt)
  const time = Number.isNaN(d.getTime()) ? formatDate(createdAt) : d.toISOString().replace(/:/g, '')
  return `${time}_${shortSha(sha) ?? 'nosha'}.md`
}

function title(input: ReportFileInput): string {
  const env = input.current.environment
  const models = [
    ...new Set(
      Object.entries(env)
        .filter(([k, v]) => /^ollama\..+\.model$/.test(k) && typeof v === 'string')
        .map(([, v]) => String(v))
    )
  ]
  const subject = models.length ? models.join(', ') : `testbed ${input.report.testbed}`
  return `# Benchmark Analysis: ${escapeMarkdown(subject, { maxLength: 120 })} - ${formatDate(input.report.timestamp)}`
}

function vsBaseline(c: MetricComparison): string {
  const delta = valueDelta(c)
  if (delta === null) return 'n/a'
  const shown = shownCentres(c)
  const phrase = speedPhrase(shown.baseline, shown.current, c.direction, c.unit)
  return `${formatPercent(delta)}${phrase ? ` (${phrase})` : ''}`
}

function verdictText(c: MetricComparison): string {
  const notes = [
    c.inconclusive ? inconclusiveNote(c) : null,
    c.improved ? 'improved' : null
  ].filter(Boolean)
  return verdictLabel(c.verdict) + (notes.length ? ` (${notes.join(', ')})` : '')
}

/**
 * Past this many rows the metrics table keeps its most significant ones (every regression and
 * improvement first) and folds the rest, linking the raw results that hold them all: 100,000
 * rows make an 11 MB file no viewer renders.
 */
export const REPORT_MAX_ROWS = 1000
/** At most this many distinct reasons why metrics were not compared are listed under the table. */
export const REPORT_MAX_REASONS = 20

export function renderMetricsTable(
  comparisons: readonly MetricComparison[],
  chartUrl?: ChartUrl,
  opts: { rawLink?: string | null } = {}
): string {
  if (comparisons.length === 0) return '_No metrics were compared._'
  const sorted = sortBySignificance(comparisons)
  const shown = sorted.length > REPORT_MAX_ROWS ? sorted.slice(0, REPORT_MAX_ROWS) : sorted
  const rows = shown.map((c) => {
    const unit = escapeMarkdown(c.unit, { maxLength: 20 })
    return [
      escapeMarkdown(c.benchmark, { maxLength: 100 }),
      metricCell(c, chartUrl, 100),
      currentCell(c, unit),
      formatValue(shownCentres(c).baseline, unit),
      vsBaseline(c),
      formatCi(valueCi(c)),
      verdictText(c)
    ]
  })
  const table = markdownTable(
    [['Benchmark', 'Metric', 'Value', 'Baseline', 'vs Baseline', '90 % CI', 'Verdict'], ...rows],
    { alignDelimiters: false }
  )
  const notes = disagreementNotes(shown, (t, maxLength) => escapeMarkdown(t, { maxLength }))
  // The file has room for more reasons than a comment; folded rows' reasons are listed too.
  const neutral = neutralReasonsBlock(sorted, { max: REPORT_MAX_REASONS }) ?? []
  if (shown.length === sorted.length) return [table, ...notes, neutral].flat().join('\n\n')
  const where = opts.rawLink
    ? `every metric, with its samples, is in the [raw results](${opts.rawLink})`
    : 'every metric, with its samples, is in the raw results'
  return [table, foldedLine(sorted.slice(shown.length), where), ...notes, neutral]
    .flat()
    .join('\n\n')
}

function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`
}

export function renderWorkflow(w: WorkflowFacts | undefined): string {
  if (!w) return '_Not recorded._'
  const files = w.filesRead.length
    ? w.filesRead.map((f) => `${escapeMarkdown(f.type, { maxLength: 60 })}: ${f.count}`).join(', ')
    : 'none'
  const phases = (['ingesting', 'benchmarking', 'analysing', 'reporting'] as const)
    .filter((p) => w.phasesMs[p] !== undefined)
    .map((p) => [p, ms(w.phasesMs[p] ?? 0)])
  const table = phases.length
    ? markdownTable([['Phase', 'Time'], ...phases], { alignDelimiters: false })
    : ''
  return [`Files read by type: ${files}.`, ...(table ? ['', table] : [])].join('\n')
}

function callMetrics(a: AnalystSection): string | null {
  const m = a.metrics
  if (!m) return null
  const parts = [
    m.ttftMs !== undefined ? `TTFT ${formatValue(m.ttftMs, 'ms')}` : null,
    m.decodeTps !== undefined ? `decode ${formatValue(m.decodeTps, 'tokens/s')}` : null,
    m.outputTokens !== undefined ? `${plural(m.outputTokens, 'output token')}` : null,
    m.promptTokens !== undefined ? `${plural(m.promptTokens, 'prompt token')}` : null,
    m.loadMs !== undefined ? `load ${formatValue(m.loadMs, 'ms')}` : null,
    m.promptEvalMs !== undefined ? `prompt eval ${formatValue(m.promptEvalMs, 'ms')}` : null,
    m.evalMs !== undefined ? `eval ${formatValue(m.evalMs, 'ms')}` : null,
    `end to end ${formatValue(m.e2eMs, 'ms')}`
  ].filter(Boolean)
  return `Analyst call: ${parts.join(', ')}.`
}

/** The narrative, all of it escaped: model output is untrusted text. */
export function renderAnalyst(a: AnalystSection): string {
  const text = (s: string): string => escapeMarkdown(s, { maxLength: 1500 })
  const d = a.dropped
  const droppedTotal = d.number + d.entity + d.script
  const who =
    a.source === 'model'
      ? `Written by ${a.model ? escapeMarkdown(a.model, { maxLength: 80 }) : 'the analyst model'} from the computed facts and checked against them: ${plural(a.kept, 'sentence')} kept, ${plural(droppedTotal, 'sentence')} dropped (${d.number} with numbers not in the facts, ${d.entity} naming entities not in the facts, ${d.script} in another script)${a.filled ? `; ${plural(a.filled, 'item')} filled in from the rules` : ''}.`
      : a.model
        ? `Deterministic summary computed from the facts, standing in for ${escapeMarkdown(a.model, { maxLength: 80 })}.`
        : 'Deterministic summary computed from the facts (no model was used).'
  const risks = markdownTable(
    [['Risk', 'Mitigation'], ...a.risks.map((r) => [text(r.risk), text(r.mitigation)])],
    { alignDelimiters: false }
  )
  return [
    `_${who} The narrative never changes the verdict._`,
    ...(a.note ? ['', `_Note: ${escapeMarkdown(a.note, { maxLength: 400 })}_`] : []),
    '',
    text(a.summary),
    '',
    '**Recommendations**',
    '',
    ...a.recommendations.map(
      (r, i) => `${i + 1}. **${escapeMarkdown(r.focus, { maxLength: 30 })}**: ${text(r.text)}`
    ),
    '',
    '**Risks**',
    '',
    risks,
    ...(callMetrics(a) ? ['', callMetrics(a) as string] : [])
  ].join('\n')
}

/** A link to the raw results, where the path is one a link may carry (see rawData). */
function rawResultsLink(input: ReportFileInput): string | null {
  const raw = (input.rawData ?? []).find((l) => l.label === RAW_RESULTS_LABEL)
  return raw && safeLinkPath(raw.path) ? raw.path : null
}

// Relative paths only: a link must not leave the repository or carry a scheme.
function safeLinkPath(p: string): boolean {
  return /^[\w./-]+$/.test(p) && !p.startsWith('/') && !p.includes('..//')
}

function rawData(input: ReportFileInput): string {
  const links = input.rawData ?? []
  if (links.length === 0) return '_No source files recorded._'
  return links
    .map((l) => {
      const safe = safeLinkPath(l.path)
      const label = escapeMarkdown(l.label, { maxLength: 100 })
      return safe
        ? `- [${label}](${l.path})`
        : `- ${label}: ${escapeMarkdown(l.path, { maxLength: 200 })}`
    })
    .join('\n')
}

export function renderReportFile(input: ReportFileInput): string {
  const { report, current, baseline } = input
  const ins = insightsOf(report, current)
  const accepted = acceptanceLine(report)
  const chart = renderTrendCharts(report)
  const targets = renderTargetsTable(report.outcome.comparisons)
  const scaling = renderScaling(report, { comparisonLines: 0 })
  const sweepPairs = renderSweepComparatives(current)
  const sections: string[] = [
    title(input),
    [
      `Commit ${shortSha(report.current.sha) ? `\`${shortSha(report.current.sha)}\`` : 'unknown'} on testbed ${escapeMarkdown(report.testbed, { maxLength: 80 })}, ${formatTimestamp(report.timestamp)}. ${baselineNote(report)}`,
      ...(fingerprintNote(report) ? ['', fingerprintNote(report) ?? ''] : []),
      ...(accepted ? ['', accepted] : [])
    ].join('\n'),
    '## Executive Summary',
    keyFindings(report, current, ins)
      .map((f) => `- ${f}`)
      .join('\n'),
    ...(input.analyst ? ['## Analyst Narrative', renderAnalyst(input.analyst)] : []),
    '## Performance Metrics',
    [
      renderMetricsTable(report.outcome.comparisons, chartLinks(report), {
        rawLink: rawResultsLink(input)
      }),
      resolutionLine(report.outcome.comparisons),
      resolutionDetails(report.outcome.comparisons, { maxRows: REPORT_MAX_ROWS })
    ]
      .filter((part): part is string => part !== null)
      .join('\n\n'),
    ...(targets ? ['## Targets', targets] : []),
    ...(scaling ? ['## Scaling', scaling] : []),
    '## Per-GPU',
    renderGpuSection(current, baseline),
    '## Observations',
    renderObservations(ins, input.logs),
    '## Hotspot Attribution',
    renderHotspotSection(hotspots(report.outcome.comparisons, current, baseline)),
    '## Comparative Insights',
    sweepPairs && !input.comparisons?.length
      ? sweepPairs
      : [renderComparativeSection(comparatives(current, input.comparisons ?? [])), sweepPairs]
          .filter(Boolean)
          .join('\n\n'),
    '## Trend',
    chart ?? '_Fewer than two stored runs: no trend to draw yet._',
    '## Workflow Summary',
    renderWorkflow(input.workflow),
    '## Recommendations',
    recommendations(report, ins)
      .map((r) => `- ${r}`)
      .join('\n'),
    '## Raw Data',
    rawData(input)
  ]
  return sections.join('\n\n') + '\n'
}
