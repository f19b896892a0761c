import type { ResultSet } from '../results/model.js'
import type { MetricComparison } from '../stats/types.js'
import { escapeCode, escapeMarkdown } from './escape.js'
import { countsPhrase, formatCi, formatPercent, formatValue } from './format.js'
import { plural } from '../shared/text.js'
import {
  findOutliers,
  highSpread,
  beyondMoreRuns,
  moreRunsNeeded,
  openAdvice,
  runnerNotes,
  type LogFinding,
  type Outlier,
  type RunnerNote,
  type Spread
} from './observations.js'
import { speedPhrase } from './speed.js'
import { byMagnitude, routeLine, shownCentres, valueCi, valueDelta } from './tables.js'
import type { GateReport } from '../types/report.js'

/*
 * The computed reading of a run: key findings, observations and rule-derived recommendations.
 * Everything here is derived from numbers; the analyst's deterministic summary reuses it.
 */

export interface Insights {
  outliers: Outlier[]
  spread: Spread[]
  notes: RunnerNote[]
  inconclusive: MetricComparison[]
}

export function insightsOf(report: GateReport, current: ResultSet): Insights {
  return {
    outliers: findOutliers(current),
    spread: highSpread(current),
    notes: runnerNotes(current),
    inconclusive: report.outcome.comparisons.filter((c) => c.inconclusive)
  }
}

function name(benchmark: string, metric: string): string {
  return escapeMarkdown(`${benchmark} / ${metric}`, { maxLength: 100 })
}

/** "run 1: 612 ms, 6.0× the median (102 ms)" */
export function outlierText(o: Outlier): string {
  const unit = escapeMarkdown(o.unit, { maxLength: 20 })
  const which = o.warmup ? `warm-up run ${o.run} (not gated)` : `run ${o.run}`
  const distance =
    o.ratio <= 0
      ? 'against a median of'
      : o.ratio >= 1
        ? `${o.ratio.toFixed(1)}× the median of`
        : `${(1 / o.ratio).toFixed(1)}× below the median of`
  return `${which}: ${formatValue(o.value, unit)}, ${distance} ${formatValue(o.median, unit)}`
}

function largestChange(report: GateReport): MetricComparison | null {
  return byMagnitude(report.outcome.comparisons).find((c) => valueDelta(c) !== null) ?? null
}

export function changeSentence(c: MetricComparison): string {
  const shown = shownCentres(c)
  const phrase = speedPhrase(shown.baseline, shown.current, c.direction, c.unit)
  return (
    `${name(c.benchmark, c.metric)} ${phrase ?? 'changed'} (${formatPercent(valueDelta(c))}, ` +
    `90 % CI ${formatCi(valueCi(c))}), verdict ${c.verdict}`
  )
}

/** Exactly three findings, each computed. */
export function keyFindings(report: GateReport, current: ResultSet, ins: Insights): string[] {
  const { outcome } = report
  const first = `Verdict **${outcome.verdict}**: ${countsPhrase(outcome)}. ${routeLine(outcome)}`
  const top = largestChange(report)
  const metrics = current.benchmarks.reduce((n, b) => n + b.metrics.length, 0)
  const second = top
    ? `Largest change: ${changeSentence(top)}.`
    : report.baseline
      ? 'No metric could be compared with the baseline.'
      : `No baseline yet: ${plural(metrics, 'metric')} of ${plural(current.benchmarks.length, 'benchmark')} recorded for the next run to compare with.`
  const parts = [
    ins.outliers.length ? plural(ins.outliers.length, 'outlying run') : null,
    ins.spread.length ? plural(ins.spread.length, 'metric') + ' with a CV over 10 %' : null,
    ins.notes.length ? plural(ins.notes.length, 'runner note') : null,
    ins.inconclusive.length ? plural(ins.inconclusive.length, 'inconclusive metric') : null
  ].filter((p): p is string => p !== null)
  const third = parts.length
    ? `Needs a look: ${parts.join(', ')} (see Observations).`
    : 'No anomalies: no outlying runs, high spread, runner notes or inconclusive metrics.'
  return [first, second, third]
}

const MAX_LINES = 20

function capped(lines: string[], what: string): string[] {
  if (lines.length <= MAX_LINES) return lines
  return [...lines.slice(0, MAX_LINES), `- … ${plural(lines.length - MAX_LINES, `more ${what}`)}`]
}

export function renderObservations(ins: Insights, logs: readonly LogFinding[] | undefined): string {
  const blocks: string[] = []
  if (ins.notes.length) {
    blocks.push(
      '**Runner notes**',
      '',
      ...capped(
        ins.notes.map(
          (n) =>
            `- ${escapeMarkdown(n.benchmark, { maxLength: 80 })}: ${escapeMarkdown(n.text, { maxLength: 600 })}`
        ),
        'notes'
      ),
      ''
    )
  }
  if (ins.outliers.length) {
    blocks.push(
      `**Outlying runs** (at least 2× from the median either way)`,
      '',
      ...capped(
        ins.outliers.map((o) => `- ${name(o.benchmark, o.metric)} ${outlierText(o)}`),
        'outliers'
      ),
      ''
    )
  }
  if (ins.spread.length) {
    blocks.push(
      '**High run-to-run spread** (CV over 10 %)',
      '',
      ...capped(
        ins.spread.map(
          (s) =>
            `- ${name(s.benchmark, s.metric)}: CV ${formatValue(s.cv * 100)} % over ${plural(s.n, 'run')}`
        ),
        'metrics'
      ),
      ''
    )
  }
  if (ins.inconclusive.length) {
    blocks.push(
      '**Inconclusive**',
      '',
      ...capped(
        ins.inconclusive.map((c) => {
          const more = moreRunsNeeded(c)
          const advice = openAdvice(c)
          return `- ${name(c.benchmark, c.metric)}: inconclusive${more === null ? `; ${advice}` : `: ${advice}`}`
        }),
        'metrics'
      ),
      ''
    )
  }
  if (logs && logs.length) {
    blocks.push(
      '**Warnings and errors in benchmark logs**',
      '',
      ...capped(
        logs.map(
          (l) =>
            `- ${escapeCode(`${l.file}:${l.line}`)} ${escapeMarkdown(l.text, { maxLength: 300 })}`
        ),
        'lines'
      ),
      ''
    )
  }
  if (blocks.length === 0)
    return '_Nothing unusual: no runner notes, outlying runs, high spread or inconclusive metrics._'
  return blocks.join('\n').trimEnd()
}

const NOTE_ADVICE: Record<string, string> = {
  'partial-offload':
    'keep the whole model in VRAM: lower num_ctx, pick a smaller quantization or free VRAM',
  'short-output':
    'set options.num_predict and a prompt that yields long answers, so decode tokens/s is measured over enough tokens',
  'cold-run': 'raise keep-alive so measured runs never reload the model',
  'num-ctx': 'pin options.num_ctx so every run measures the same context size',
  thinking: 'pin options.think (false to measure the answer alone)',
  'gpu-imbalance': 'check the layer split and other processes on the GPUs',
  'load-time': 'unload the model before the cold run, or ignore load_ms for this run'
}

const MAX_FAILS = 5

/** Rule-derived, most pressing first; never empty. */
export function recommendations(report: GateReport, ins: Insights): string[] {
  const out: string[] = []
  const failing = report.outcome.comparisons.filter((x) => x.verdict === 'fail')
  for (const c of failing.slice(0, MAX_FAILS)) {
    out.push(
      `${name(c.benchmark, c.metric)} regressed ${formatPercent(valueDelta(c))} (90 % CI ${formatCi(valueCi(c))}), past its budget: fix it (Route A), or accept it with the accept label and a written reason (Route B).`
    )
  }
  if (failing.length > MAX_FAILS)
    out.push(
      `${plural(failing.length - MAX_FAILS, 'more failing metric')}: see Performance Metrics.`
    )
  for (const s of ins.spread) {
    const driver = ins.outliers.find(
      (o) => o.benchmark === s.benchmark && o.metric === s.metric && !o.warmup
    )
    if (!driver) continue
    const cause =
      driver.run === 1
        ? `a first-run cold start: exclude warm-up runs from the measured ones or raise warmup to 1`
        : 'one disturbed run: rerun on a quiet runner or raise repetitions'
    out.push(
      `${name(s.benchmark, s.metric)} CV ${formatValue(s.cv * 100)} % is driven by run ${driver.run} (${driver.ratio.toFixed(1)}× the median), ${cause}.`
    )
  }
  for (const c of ins.inconclusive) {
    const more = moreRunsNeeded(c)
    if (more !== null && c.current !== null) {
      out.push(
        `${name(c.benchmark, c.metric)} is inconclusive: raise repetitions to about ${c.current.n + more} (${plural(more, 'more run')} per arm) to decide it.`
      )
    } else if (beyondMoreRuns(c)) {
      out.push(`${name(c.benchmark, c.metric)} is inconclusive: ${openAdvice(c)}.`)
    }
  }
  const seen = new Set<string>()
  for (const n of ins.notes) {
    const advice = NOTE_ADVICE[n.code]
    if (!advice || seen.has(`${n.benchmark}\u0000${n.code}`)) continue
    seen.add(`${n.benchmark}\u0000${n.code}`)
    out.push(`${escapeMarkdown(n.benchmark, { maxLength: 80 })} (${n.code}): ${advice}.`)
  }
  if (!report.baseline)
    out.push(
      'Record a baseline on the default branch (mode baseline) so the next pull request is gated.'
    )
  if (out.length === 0)
    out.push('No action needed: every compared metric is within budget and the runs are steady.')
  return out
}
