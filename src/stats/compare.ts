import { coefficientOfVariation, median } from 'simple-statistics'
import type { Direction, MetricClass } from '../results/model.js'
import { budgetPct, changeWithCi, plural } from './format.js'
import { hodgesLehmann } from './hodges-lehmann.js'
import { shiftTestP } from './mann-whitney.js'
import { madScreen } from './outliers.js'
import type { ArmSummary, MetricComparison, Thresholds, Verdict } from './types.js'

export interface CompareInput {
  benchmark: string
  metric: string
  unit: string
  direction: Direction
  class: MetricClass
  /** Relative budgets as fractions (0.05 = 5 %). */
  thresholds: Thresholds
  baseline: readonly number[]
  current: readonly number[]
  /** Fewest samples per arm, after the outlier screen, that may be compared. Default 5. */
  minSamples?: number
  /** One-sided level: the CI is (1 − 2·alpha) two-sided. Default 0.05 (a 90 % CI). */
  alpha?: number
}

/**
 * A relative budget as a shift in log-badness: lower-is-better regresses past ratio 1 + T,
 * higher-is-better past 1 − T, which no positive value reaches once T ≥ 1.
 */
export function logBudget(budget: number, direction: Direction): number {
  if (direction === 'lower') return Math.log1p(budget)
  return budget >= 1 ? Infinity : -Math.log1p(-budget)
}

/** A log-badness shift as a relative change, positive = worse. */
function relativeChange(theta: number, direction: Direction): number {
  return direction === 'lower' ? Math.expm1(theta) : -Math.expm1(-theta)
}

function firstInvalid(arm: string, values: readonly number[]): string | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v))
      return `${arm} sample #${i + 1} is ${v}: samples must be finite numbers`
    if (v <= 0) {
      return `${arm} sample #${i + 1} is ${v}: samples must be > 0 to be compared as ratios (log scale)`
    }
  }
  return null
}

interface ScreenedArm {
  /** Kept log-badness values. */
  y: number[]
  summary: ArmSummary | null
}

function screenArm(values: readonly number[], sign: 1 | -1): ScreenedArm {
  if (values.length === 0) return { y: [], summary: null }
  const screen = madScreen(values.map((v) => sign * Math.log(v)))
  const used = screen.keptIndices.map((i) => values[i])
  return {
    y: screen.kept,
    summary: {
      n: used.length,
      median: median(used),
      dropped: screen.dropped.map((d) => values[d.index]),
      cv: used.length >= 2 ? coefficientOfVariation(used) : null
    }
  }
}

function checkOptions(input: CompareInput, alpha: number, minSamples: number): void {
  const { warn, fail } = input.thresholds
  if (!(Number.isFinite(warn) && warn >= 0)) {
    throw new RangeError(`warn threshold must be a fraction ≥ 0, got ${warn}`)
  }
  if (fail !== null && !(Number.isFinite(fail) && fail >= 0)) {
    throw new RangeError(`fail threshold must be a fraction ≥ 0 or null, got ${fail}`)
  }
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha must be in (0, 0.5), got ${alpha}`)
  if (!(Number.isInteger(minSamples) && minSamples >= 1)) {
    throw new RangeError(`minSamples must be an integer ≥ 1, got ${minSamples}`)
  }
}

function armCount(label: string, arm: ScreenedArm): string {
  const dropped = arm.summary?.dropped.length ?? 0
  const note = dropped > 0 ? `, after dropping ${plural(dropped, 'outlier')}` : ''
  return `${arm.y.length} (${label}${note})`
}

/**
 * Rule A on one metric: Hodges–Lehmann shift of the log-badness with its exact Moses CI, judged
 * against the warn and fail budgets. Bad data or too few samples give `neutral` with the reason,
 * never a guess and never a throw; only invalid options throw.
 */
export function compareMetric(input: CompareInput): MetricComparison {
  const alpha = input.alpha ?? 0.05
  const minSamples = input.minSamples ?? 5
  checkOptions(input, alpha, minSamples)
  const { direction, thresholds } = input
  const neutral = (
    reason: string,
    baseline: ArmSummary | null = null,
    current: ArmSummary | null = null
  ): MetricComparison => ({
    benchmark: input.benchmark,
    metric: input.metric,
    unit: input.unit,
    direction,
    class: input.class,
    thresholds,
    verdict: 'neutral',
    reason,
    change: null,
    ci: null,
    valueChange: null,
    pFail: null,
    pWarn: null,
    inconclusive: false,
    improved: false,
    baseline,
    current
  })

  const invalid = firstInvalid('current', input.current) ?? firstInvalid('baseline', input.baseline)
  if (invalid) return neutral(invalid)

  // Log-badness: larger is worse in both directions, and a relative change becomes a shift.
  const sign = direction === 'lower' ? 1 : -1
  const cur = screenArm(input.current, sign)
  const base = screenArm(input.baseline, sign)
  if (cur.y.length < minSamples || base.y.length < minSamples) {
    return neutral(
      `need ≥ ${minSamples} samples per arm, have ${armCount('current', cur)} and ${armCount('baseline', base)}`,
      base.summary,
      cur.summary
    )
  }

  const hl = hodgesLehmann(cur.y, base.y, alpha)
  const theta = hl.estimate
  const { lo, hi } = hl
  const tauWarn = logBudget(thresholds.warn, direction)
  const tauFail = thresholds.fail === null ? Infinity : logBudget(thresholds.fail, direction)

  let verdict: Verdict
  if (lo > tauWarn && theta > tauFail) verdict = 'fail'
  else if (theta > tauWarn && lo > 0) verdict = 'warn'
  else verdict = 'pass'
  const inconclusive = verdict !== 'fail' && hi > tauFail && lo <= tauWarn
  const improved = hi < -tauWarn

  const change = relativeChange(theta, direction)
  const ci: [number, number] =
    hl.k === 0
      ? [-Infinity, Infinity]
      : [relativeChange(lo, direction), relativeChange(hi, direction)]
  // Reasons speak in the metric's own terms (throughput -8 %, latency +12 %), as the tables do;
  // `change` and `ci` keep the worse-is-positive orientation for the rule and the JSON.
  const valueChange = direction === 'lower' ? change : -change
  const valueCi: [number, number] = direction === 'lower' ? ci : [-ci[1], -ci[0]]
  const summary = changeWithCi(valueChange, valueCi, 1 - 2 * alpha)
  let reason: string
  if (verdict === 'fail') {
    reason = `${summary} is past the ${budgetPct(thresholds.fail ?? thresholds.warn)} fail budget`
  } else if (verdict === 'warn') {
    reason = `${summary} is past the ${budgetPct(thresholds.warn)} warn budget`
  } else if (improved) {
    reason = `improved: ${summary}`
  } else if (inconclusive) {
    reason = `may be worse: ${summary} reaches past the ${budgetPct(thresholds.fail ?? thresholds.warn)} fail budget; more runs would decide`
  } else if (theta > tauWarn) {
    reason = `${summary} is past the ${budgetPct(thresholds.warn)} warn budget but not significant`
  } else {
    reason = `within budget: ${summary}`
  }

  return {
    ...neutral(reason, base.summary, cur.summary),
    verdict,
    change,
    ci,
    valueChange,
    // y − ∞ would put −∞ into the rank sum, whose sort comparator turns ∞ − ∞ into NaN.
    pFail: Number.isFinite(tauWarn) ? shiftTestP(cur.y, base.y, tauWarn) : 1,
    pWarn: shiftTestP(cur.y, base.y, 0),
    inconclusive,
    improved
  }
}
