import type { Direction } from '../results/model.js'
import { budgetPct, changeWithCi } from './format.js'
import type { MetricComparison, Thresholds, Verdict } from './types.js'

/*
 * The budget semantics every rule shares (two-sample, paired, history-aware): given an estimate
 * of the log-badness shift and its CIs, decide pass/warn/fail, inconclusive and improved, and say
 * why. Only the estimator differs between the rules, so the gate and the reports see one shape.
 */

/**
 * A relative budget as a shift in log-badness: lower-is-better regresses past ratio 1 + T,
 * higher-is-better past 1 − T, which no positive value reaches once T ≥ 1.
 */
export function logBudget(budget: number, direction: Direction): number {
  if (direction === 'lower') return Math.log1p(budget)
  return budget >= 1 ? Infinity : -Math.log1p(-budget)
}

/** A log-badness shift as a relative change, positive = worse. */
export function relativeChange(theta: number, direction: Direction): number {
  return direction === 'lower' ? Math.expm1(theta) : -Math.expm1(-theta)
}

/** A relative change (positive = worse) as a log-badness shift: the inverse of `relativeChange`. */
export function badnessShift(change: number, direction: Direction): number {
  return direction === 'lower' ? Math.log1p(change) : -Math.log1p(-change)
}

export interface ShiftEvidence {
  direction: Direction
  thresholds: Thresholds
  /** One-sided level of the reported CI: it is (1 − 2·alpha) two-sided. */
  alpha: number
  /** The estimate of the log-badness shift. */
  estimate: number
  /** The reported (1 − 2·alpha) CI, log-badness; ±Infinity when unbounded. */
  lo: number
  hi: number
  /** Lower bound of the FAIL test's own CI (at failAlpha ≤ alpha). */
  failLo: number
  /**
   * What to say about an open metric, and the runs (or pairs) that would decide it; called only
   * when the metric is inconclusive.
   */
  advise(tauWarn: number, tauFail: number): { text: string; runs: number | null }
}

export type Judgement = Pick<
  MetricComparison,
  'verdict' | 'reason' | 'change' | 'ci' | 'valueChange' | 'inconclusive' | 'improved'
> & { runsToDecide?: number }

/**
 * FAIL when the FAIL test's lower bound is past the warn budget and the estimate past the fail
 * budget (at the default core budget, warn = fail, that is "the CI is wholly past the budget");
 * WARN when the estimate is past the warn budget and the CI excludes no change; inconclusive when
 * the CI straddles the fail budget; improved when the CI is wholly better than the warn budget.
 */
export function judgeShift(e: ShiftEvidence): Judgement {
  const { direction, thresholds, estimate: theta, lo, hi, failLo } = e
  const tauWarn = logBudget(thresholds.warn, direction)
  const tauFail = thresholds.fail === null ? Infinity : logBudget(thresholds.fail, direction)

  let verdict: Verdict
  if (failLo > tauWarn && theta > tauFail) verdict = 'fail'
  else if (theta > tauWarn && lo > 0) verdict = 'warn'
  else verdict = 'pass'
  // Judged on the FAIL test's own bound: a metric FAIL cannot reach yet is still open.
  const inconclusive = verdict !== 'fail' && hi > tauFail && failLo <= tauWarn
  const improved = hi < -tauWarn
  const advice = inconclusive ? e.advise(tauWarn, tauFail) : null

  const change = relativeChange(theta, direction)
  // An unbounded side stays unbounded rather than reading as the −100 % a ratio cannot pass.
  const ci: [number, number] = [
    lo === -Infinity ? -Infinity : relativeChange(lo, direction),
    hi === Infinity ? Infinity : relativeChange(hi, direction)
  ]
  // Reasons speak in the metric's own terms (throughput -8 %, latency +12 %), as the tables do;
  // `change` and `ci` keep the worse-is-positive orientation for the rule and the JSON.
  const valueChange = direction === 'lower' ? change : -change
  const valueCi: [number, number] = direction === 'lower' ? ci : [-ci[1], -ci[0]]
  const summary = changeWithCi(valueChange, valueCi, 1 - 2 * e.alpha)
  let reason: string
  if (verdict === 'fail') {
    reason = `${summary} is past the ${budgetPct(thresholds.fail ?? thresholds.warn)} fail budget`
  } else if (verdict === 'warn') {
    reason = `${summary} is past the ${budgetPct(thresholds.warn)} warn budget`
  } else if (improved) {
    reason = `improved: ${summary}`
  } else if (advice) {
    reason = `may be worse: ${summary} reaches past the ${budgetPct(thresholds.fail ?? thresholds.warn)} fail budget; ${advice.text}`
  } else if (theta > tauWarn) {
    reason = `${summary} is past the ${budgetPct(thresholds.warn)} warn budget but not significant`
  } else {
    reason = `within budget: ${summary}`
  }
  return {
    verdict,
    reason,
    change,
    ci,
    valueChange,
    inconclusive,
    improved,
    ...(advice?.runs == null ? {} : { runsToDecide: advice.runs })
  }
}

/**
 * A comparison with its judgement and p-values filled in, keys in the order the JSON outputs have
 * always had them.
 */
export function withJudgement(
  base: MetricComparison,
  j: Judgement,
  pFail: number | null,
  pWarn: number | null
): MetricComparison {
  return {
    ...base,
    verdict: j.verdict,
    reason: j.reason,
    change: j.change,
    ci: j.ci,
    valueChange: j.valueChange,
    pFail,
    pWarn,
    inconclusive: j.inconclusive,
    improved: j.improved,
    ...(j.runsToDecide === undefined ? {} : { runsToDecide: j.runsToDecide })
  }
}
