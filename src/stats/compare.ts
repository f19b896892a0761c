import { coefficientOfVariation, median } from 'simple-statistics'
import type { Direction, MetricClass } from '../results/model.js'
import { plural } from '../shared/text.js'
import { shiftEstimator } from './hodges-lehmann.js'
import { signedAmount } from './format.js'
import { upperTailP } from './mann-whitney.js'
import { madScreen } from './outliers.js'
import { MAX_ADVISED_RUNS, runsToDecide, UNDECIDABLE_HELP } from './planning.js'
import type { ArmSummary, MetricComparison, Thresholds } from './types.js'
import { judgeShift, logBudget, withJudgement } from './verdict.js'

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
  /**
   * One-sided level of the FAIL test (its CI lower bound must clear the warn budget). Default
   * `alpha`; the sequential design passes alpha/K to spend alpha over K looks.
   */
  failAlpha?: number
  /** What a change from 0 that every sample shows is when it is for the worse; default fail. */
  fromZero?: FromZero
}

/**
 * A regression from 0 (0 → 1 allocs/op in every sample) has no ratio, so it is past any relative
 * budget: `fail` gates it as a regression past the fail budget (a warn-only metric warns),
 * `warn` only warns, `neutral` leaves it uncompared (config `from-zero`).
 */
export type FromZero = 'fail' | 'warn' | 'neutral'

export { logBudget } from './verdict.js'

function firstInvalid(arm: string, values: readonly number[], allowZero: boolean): string | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v))
      return `${arm} sample #${i + 1} is ${v}: samples must be finite numbers`
    if (v < 0 || (v === 0 && !allowZero)) {
      return `${arm} sample #${i + 1} is ${v}: samples must be > 0 to be compared as ratios (log scale)`
    }
  }
  return null
}

/** An arm as measured, nothing screened: for a metric shown but not compared. */
export function plainSummary(values: readonly number[]): ArmSummary {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return { n: 0, median: NaN, dropped: [], cv: null }
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length
  return {
    n: finite.length,
    median: median(finite),
    dropped: [],
    cv: finite.length >= 2 && mean > 0 ? coefficientOfVariation(finite) : null
  }
}

/** The exact one-sided Mann-Whitney p of complete separation: 1 / C(n + m, n). */
function separationP(n: number, m: number): number {
  let p = 1
  for (let k = 1; k <= n; k++) p *= k / (m + k)
  return p
}

/**
 * A metric at 0 in every sample of one side (Go's allocs/op and B/op, usually 0): no ratio exists,
 * so it is compared on the absolute scale. 0 on both sides is unchanged; 0 on one side and above
 * 0 in every sample of the other is a change every sample shows, a regression past any budget
 * (or an improvement) of `current − baseline` in the metric's unit. Anything else with a 0 in it
 * (zeros mixed with other values) is null: it keeps the plain reason.
 */
function fromZeroComparison(
  input: CompareInput,
  neutral: (reason: string, b?: ArmSummary | null, c?: ArmSummary | null) => MetricComparison,
  minSamples: number
): MetricComparison | null {
  const { baseline, current, direction, thresholds } = input
  const zero = (xs: readonly number[]): boolean => xs.length > 0 && xs.every((x) => x === 0)
  const above = (xs: readonly number[]): boolean => xs.length > 0 && xs.every((x) => x > 0)
  const baseZero = zero(baseline)
  const curZero = zero(current)
  if (!((baseZero && (curZero || above(current))) || (curZero && above(baseline)))) return null
  const base = plainSummary(baseline)
  const cur = plainSummary(current)
  if (cur.n < minSamples || base.n < minSamples) {
    return neutral(
      `need ≥ ${minSamples} samples per arm, have ${cur.n} (current) and ${base.n} (baseline)`,
      base,
      cur
    )
  }
  const delta = cur.median - base.median
  const unit = input.unit
  if (baseZero && curZero) {
    return {
      ...neutral('0 in every sample, as in the baseline', base, cur),
      verdict: 'pass',
      change: 0,
      valueChange: 0,
      ci: [0, 0],
      pFail: 1,
      pWarn: 1,
      absoluteChange: 0
    }
  }
  const worse = direction === 'lower' ? delta > 0 : delta < 0
  const amount = signedAmount(delta, unit)
  const what = baseZero
    ? `${amount}, was 0: every current sample is above 0, every baseline sample 0`
    : `${amount}, now 0: every current sample is 0, every baseline sample above 0`
  const p = separationP(cur.n, base.n)
  const common = { ...neutral(what, base, cur), absoluteChange: delta, pFail: p, pWarn: p }
  if (!worse) return { ...common, verdict: 'pass', improved: true, pFail: 1, pWarn: 1 }
  const mode = input.fromZero ?? 'fail'
  if (mode === 'neutral')
    return {
      ...common,
      reason: `${what} (not gated: from-zero is neutral)`,
      pFail: null,
      pWarn: null
    }
  const fails = mode === 'fail' && thresholds.fail !== null
  return {
    ...common,
    verdict: fails ? 'fail' : 'warn',
    reason: `${what}: a change from 0 is past any relative budget${fails ? '' : mode === 'warn' ? ' (from-zero: warn)' : ' (warn-only metric)'}`
  }
}

interface ScreenedArm {
  /** Kept log-badness values. */
  y: number[]
  summary: ArmSummary | null
}

function screenArm(values: readonly number[], sign: 1 | -1, minSamples: number): ScreenedArm {
  if (values.length === 0) return { y: [], summary: null }
  // Screening an arm below the size it can be compared at would trade a rank-robust estimate for
  // no estimate at all: a 5-value arm of clean noise loses a value to the screen 1 time in 5.
  const screen = madScreen(
    values.map((v) => sign * Math.log(v)),
    { minKept: minSamples }
  )
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

function checkOptions(
  input: CompareInput,
  alpha: number,
  failAlpha: number,
  minSamples: number
): void {
  const { warn, fail } = input.thresholds
  if (!(Number.isFinite(warn) && warn >= 0)) {
    throw new RangeError(`warn threshold must be a fraction ≥ 0, got ${warn}`)
  }
  if (fail !== null && !(Number.isFinite(fail) && fail >= 0)) {
    throw new RangeError(`fail threshold must be a fraction ≥ 0 or null, got ${fail}`)
  }
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha must be in (0, 0.5), got ${alpha}`)
  if (!(failAlpha > 0 && failAlpha < 0.5)) {
    throw new RangeError(`failAlpha must be in (0, 0.5), got ${failAlpha}`)
  }
  if (!(Number.isInteger(minSamples) && minSamples >= 1)) {
    throw new RangeError(`minSamples must be an integer ≥ 1, got ${minSamples}`)
  }
}

/** A metric that could not be judged, with the reason; the engine uses it for unmatched metrics. */
export function neutralComparison(
  m: Pick<CompareInput, 'benchmark' | 'metric' | 'unit' | 'direction' | 'class' | 'thresholds'>,
  reason: string,
  baseline: ArmSummary | null = null,
  current: ArmSummary | null = null
): MetricComparison {
  return {
    benchmark: m.benchmark,
    metric: m.metric,
    unit: m.unit,
    direction: m.direction,
    class: m.class,
    thresholds: m.thresholds,
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
  }
}

/**
 * Rule A on one metric: Hodges–Lehmann shift of the log-badness with its exact Moses CI, judged
 * against the warn and fail budgets. Bad data or too few samples give `neutral` with the reason,
 * never a guess and never a throw; only invalid options throw.
 */
export function compareMetric(input: CompareInput): MetricComparison {
  const alpha = input.alpha ?? 0.05
  const failAlpha = input.failAlpha ?? alpha
  const minSamples = input.minSamples ?? 5
  checkOptions(input, alpha, failAlpha, minSamples)
  const { direction, thresholds } = input
  const neutral = (
    reason: string,
    baseline: ArmSummary | null = null,
    current: ArmSummary | null = null
  ): MetricComparison => neutralComparison(input, reason, baseline, current)

  const invalid =
    firstInvalid('current', input.current, true) ?? firstInvalid('baseline', input.baseline, true)
  if (invalid) return neutral(invalid)
  const fromZero = fromZeroComparison(input, neutral, minSamples)
  if (fromZero) return fromZero
  const zero =
    firstInvalid('current', input.current, false) ?? firstInvalid('baseline', input.baseline, false)
  if (zero) return neutral(zero, plainSummary(input.baseline), plainSummary(input.current))

  // Log-badness: larger is worse in both directions, and a relative change becomes a shift.
  const sign = direction === 'lower' ? 1 : -1
  const cur = screenArm(input.current, sign, minSamples)
  const base = screenArm(input.baseline, sign, minSamples)
  if (cur.y.length < minSamples || base.y.length < minSamples) {
    return neutral(
      `need ≥ ${minSamples} samples per arm, have ${cur.y.length} (current) and ${base.y.length} (baseline)`,
      base.summary,
      cur.summary
    )
  }

  const n = cur.y.length
  const m = base.y.length
  const est = shiftEstimator(cur.y, base.y)
  const theta = est.estimate
  const hl = est.interval(alpha)
  const { lo, hi } = hl
  const failLo = failAlpha === alpha ? lo : est.interval(failAlpha).lo
  const judged = judgeShift({
    direction,
    thresholds,
    alpha,
    estimate: theta,
    lo,
    hi,
    failLo,
    advise(tauWarn, tauFail) {
      const runs = runsToDecide({
        estimate: theta,
        ci: [lo, hi],
        alpha,
        failAlpha,
        tauWarn,
        tauFail,
        n,
        m
      })
      let text: string
      if (runs === null) text = 'more runs would decide'
      else if (runs > MAX_ADVISED_RUNS) {
        text = `it cannot be decided at this noise (over ${MAX_ADVISED_RUNS} runs per arm): ${UNDECIDABLE_HELP}`
      } else text = `about ${plural(runs, 'run')} per arm would decide`
      return { text, runs }
    }
  })
  const tauWarn = logBudget(thresholds.warn, direction)

  return withJudgement(
    neutral(judged.reason, base.summary, cur.summary),
    judged,
    upperTailP(n, m, est.exceeding(tauWarn)),
    upperTailP(n, m, est.exceeding(0))
  )
}
