import { signedAmount, signedPct } from './format.js'
import { plural } from '../shared/text.js'
import { bhReject, holmReject } from './multiplicity.js'
import type { GateOutcome, MetricComparison, Route, Verdict } from './types.js'

export interface GateOptions {
  /** Benjamini–Hochberg FDR level for WARN. Default 0.10. */
  q?: number
  /** Family-wise level for FAIL when `holm` is on. Default 0.05. */
  alpha?: number
  /** Confirm FAIL with Holm over all compared metrics. Off by default: it costs a lot of power. */
  holm?: boolean
}

const SEVERITY: Record<Verdict, number> = { neutral: 0, pass: 1, warn: 2, fail: 3 }
const ROUTE: Record<Verdict, Route> = { fail: 'A', warn: 'B', pass: 'B', neutral: 'none' }
/** How many metrics a summary names before it says "and N more". */
const LISTED = 3

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : String(Number(p.toPrecision(2)))
}

function label(c: MetricComparison): string {
  return `${c.benchmark}/${c.metric}`
}

function listOf(items: string[]): string {
  const shown = items.slice(0, LISTED).join(', ')
  return items.length > LISTED ? `${shown} and ${items.length - LISTED} more` : shown
}

function changes(cs: MetricComparison[]): string {
  // A change from 0 has no ratio: it is past any budget, so it is listed first, in its own unit.
  const size = (c: MetricComparison): number =>
    c.absoluteChange !== undefined && c.change === null ? Infinity : (c.change ?? 0)
  const worstFirst = [...cs].sort((a, b) => size(b) - size(a))
  return listOf(
    worstFirst.map((c) =>
      c.absoluteChange !== undefined && c.change === null
        ? `${label(c)} ${signedAmount(c.absoluteChange, c.unit)} (was ${c.baseline?.median ?? 0})`
        : `${label(c)} ${signedPct(c.valueChange ?? 0)} %`
    )
  )
}

/**
 * The verdict over all metrics of one run. Each WARN must survive Benjamini–Hochberg over the
 * compared metrics' pWarn, since with a dozen metrics some exceed the warn budget by chance; FAIL
 * already tests against the warn budget rather than against zero, so it is only confirmed by Holm
 * when asked.
 */
export function gate(
  comparisons: readonly MetricComparison[],
  opts: GateOptions = {}
): GateOutcome {
  const q = opts.q ?? 0.1
  const alpha = opts.alpha ?? 0.05
  const out = comparisons.map((c) => ({ ...c }))
  const compared = out.map((_, i) => i).filter((i) => out[i].verdict !== 'neutral')
  const family = plural(compared.length, 'metric')

  if (opts.holm) {
    const keep = holmReject(
      compared.map((i) => out[i].pFail ?? 1),
      alpha
    )
    compared.forEach((i, r) => {
      const c = out[i]
      if (c.verdict === 'fail' && !keep[r]) {
        c.verdict = 'warn'
        c.reason = `${c.reason}, but not significant after Holm over ${family} (p = ${formatP(c.pFail ?? 1)}): warn only`
      }
    })
  }

  const keepWarn = bhReject(
    compared.map((i) => out[i].pWarn ?? 1),
    q
  )
  compared.forEach((i, r) => {
    const c = out[i]
    if (c.verdict === 'warn' && !keepWarn[r]) {
      c.verdict = 'pass'
      c.reason = `${c.reason}, but not significant after Benjamini–Hochberg over ${family} (p = ${formatP(c.pWarn ?? 1)})`
    }
  })

  const used = compared.map((i) => out[i])
  const fails = used.filter((c) => c.verdict === 'fail')
  const warns = used.filter((c) => c.verdict === 'warn')
  const regressions = fails.length + warns.length
  const improvements = used.filter((c) => c.improved && c.verdict === 'pass').length
  const verdict = used.reduce<Verdict>(
    (worst, c) => (SEVERITY[c.verdict] > SEVERITY[worst] ? c.verdict : worst),
    'neutral'
  )

  let reason: string
  const neutral = out.filter((c) => c.verdict === 'neutral')
  if (verdict === 'neutral') {
    reason =
      out.length === 0
        ? 'no metrics to compare'
        : `no metric could be compared: ${listOf(neutral.map((c) => `${label(c)}: ${c.reason}`))}`
  } else {
    if (verdict === 'fail') {
      reason = `${plural(fails.length, 'regression')} past the fail budget: ${changes(fails)}`
      if (warns.length > 0) reason += `; ${plural(warns.length, 'warning')}: ${changes(warns)}`
    } else if (verdict === 'warn') {
      reason = `${plural(warns.length, 'metric')} past the warn budget: ${changes(warns)}`
    } else {
      reason =
        used.length === 1 ? 'the metric compared is within budget' : `all ${family} within budget`
    }
    const extras: string[] = []
    if (improvements > 0) extras.push(`${improvements} improved`)
    const inconclusive = used.filter((c) => c.inconclusive).length
    if (inconclusive > 0) extras.push(`${inconclusive} inconclusive`)
    if (neutral.length > 0) extras.push(`${plural(neutral.length, 'metric')} not compared`)
    if (extras.length > 0) reason += ` (${extras.join(', ')})`
  }

  return {
    verdict,
    route: ROUTE[verdict],
    reason,
    comparisons: out,
    regressions,
    improvements,
    unchanged: used.length - regressions - improvements
  }
}
