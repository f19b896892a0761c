import { markdownTable } from 'markdown-table'
import { median } from 'simple-statistics'
import type { HistoryFacts, MetricComparison } from '../stats/types.js'
import { plural } from '../shared/text.js'
import { escapeMarkdown } from './escape.js'
import { formatRoughPercent } from './format.js'
import { sortBySignificance } from './tables.js'

/*
 * What the history-aware rule could see: how many stored jobs each metric had, how far the runner
 * drifts between them, and the smallest regression they can confirm (the "resolution"). A budget
 * finer than that is said out loud, never silently passed or failed. One line for the reader in a
 * hurry, a folded table per metric for the rest. Pure functions of the comparisons.
 */

type WithHistory = MetricComparison & { history: HistoryFacts }

function withHistory(comparisons: readonly MetricComparison[]): WithHistory[] {
  return comparisons.filter(
    (c): c is WithHistory => c.history !== undefined && Number.isFinite(c.history.resolution)
  )
}

const roughPct = formatRoughPercent

/** "3–6 %" (one unit for both ends), or "5 %" when they round alike. */
function pctRange(values: number[]): string {
  const lo = roughPct(Math.min(...values))
  const hi = roughPct(Math.max(...values))
  return lo === hi ? lo : `${lo.replace(/ %$/, '')}–${hi}`
}

function countRange(values: number[]): string {
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  return lo === hi ? String(lo) : `${lo}–${hi}`
}

/** The budget the resolution is measured against: the fail budget, else the warn budget. */
function budgetOf(c: MetricComparison): number {
  return c.thresholds.fail ?? c.thresholds.warn
}

/**
 * One line: how many stored jobs, what they can confirm, and where a budget is finer than that
 * ("stored baselines on this runner can confirm regressions past 14 %; use `ab: true` to gate at
 * 5 %"). null when no metric was judged by the history-aware rule.
 */
export function resolutionLine(comparisons: readonly MetricComparison[]): string | null {
  const rows = withHistory(comparisons)
  if (rows.length === 0) return null
  const facts = rows.map((c) => c.history)
  const drift = roughPct(facts[0].runnerDrift)
  const jobs = countRange(facts.map((f) => f.jobs))
  const single = facts.every((f) => f.priorOnly)
  const some = facts.filter((f) => f.priorOnly).length
  const spread = facts.filter((f) => f.tauHat !== null).map((f) => f.tau)
  const who = single
    ? `one stored job, so the ${drift} runner-drift prior carries the decision`
    : `${jobs} stored jobs${rows.length > 1 && jobs.includes('–') ? ' per metric' : ''}` +
      (spread.length > 0 ? `, job-to-job spread ${pctRange(spread)}` : '') +
      ` (prior ${drift})` +
      (some > 0 ? `; ${plural(some, 'metric')} with one stored job rest on the prior` : '')
  const resolutions = facts.map((f) => f.resolution)
  const typical = roughPct(median(resolutions))
  const spanned =
    rows.length > 1 && pctRange(resolutions).includes('–')
      ? ` (${pctRange(resolutions)} across ${rows.length} metrics)`
      : ''
  const finer = rows.filter((c) => c.history.budgetBelowResolution)
  let advice = ''
  if (finer.length > 0) {
    const budgets = [...new Set(finer.map((c) => roughPct(budgetOf(c))))]
    const at = budgets.length === 1 ? budgets[0] : 'their budgets'
    advice =
      finer.length === rows.length
        ? `; use \`ab: true\` to gate at ${at}`
        : `; ${finer.length} of ${rows.length} budgets are finer than that: use \`ab: true\` to gate at ${at}`
  }
  return (
    `Judged against stored jobs: ${who}; stored baselines on this runner can confirm regressions ` +
    `past ${typical}${spanned}${advice}.${driftAdvice(facts)}`
  )
}

/** Stored jobs enough to take their own spread over the prior's word. */
const JOBS_TO_TRUST = 5

/**
 * With one or a few stored jobs the prior decides, so a prior below the runner's real drift fails
 * unchanged code: when enough stored jobs show a spread well past it, say what would match them.
 */
function driftAdvice(facts: HistoryFacts[]): string {
  const seen = facts.filter((f) => f.jobs >= JOBS_TO_TRUST && f.tauHat !== null)
  if (seen.length === 0) return ''
  const typical = median(seen.map((f) => f.tauHat ?? 0))
  const prior = facts[0].runnerDrift
  if (!(typical > 1.5 * prior)) return ''
  const suggested = Math.ceil(typical * 100)
  return ` The stored jobs drift more than the ${roughPct(prior)} prior: \`runner-drift: ${suggested}%\` would match them.`
}

/** "12", "12 (8 before a change point left out)". */
function jobsCell(f: HistoryFacts): string {
  return f.beforeChangePoint > 0
    ? `${f.jobs} (${f.beforeChangePoint} before a change point left out)`
    : String(f.jobs)
}

/**
 * The per-metric table, folded: jobs, the runner's job-to-job spread, the budget and the smallest
 * regression the stored jobs confirm. null when no metric was judged by the history-aware rule.
 */
export function resolutionDetails(
  comparisons: readonly MetricComparison[],
  opts: { maxRows?: number } = {}
): string | null {
  const rows = sortBySignificance(withHistory(comparisons)) as WithHistory[]
  if (rows.length === 0) return null
  const shown = rows.slice(0, Math.max(0, opts.maxRows ?? rows.length))
  const cells = shown.map((c) => {
    const f = c.history
    const spread =
      f.tauHat === null
        ? `${roughPct(f.tau)} (prior)`
        : `${roughPct(f.tau)} (seen ${roughPct(f.tauHat)})`
    return [
      escapeMarkdown(c.benchmark, { maxLength: 100 }),
      escapeMarkdown(c.metric, { maxLength: 100 }),
      jobsCell(f),
      spread,
      roughPct(budgetOf(c)),
      roughPct(f.resolution) + (f.budgetBelowResolution ? ' (finer budget: use `ab: true`)' : '')
    ]
  })
  const hidden = rows.length - shown.length
  const table =
    cells.length > 0
      ? markdownTable(
          [
            ['Benchmark', 'Metric', 'Stored jobs', 'Job-to-job spread', 'Budget', 'Confirms past'],
            ...cells
          ],
          { alignDelimiters: false }
        )
      : ''
  return [
    '<details><summary>Stored-baseline resolution per metric</summary>',
    '',
    ...(table ? [table, ''] : []),
    ...(hidden > 0 ? [`… ${plural(hidden, 'more row')}`, ''] : []),
    '</details>'
  ].join('\n')
}
