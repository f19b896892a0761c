import { coefficientOfVariation, median } from 'simple-statistics'
import type { Direction, MetricClass } from '../results/model.js'
import { plural } from '../shared/text.js'
import { shiftEstimator } from './hodges-lehmann.js'
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
}

export { logBudget } from './verdict.js'

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

  const invalid = firstInvalid('current', input.current) ?? firstInvalid('baseline', input.baseline)
  if (invalid) return neutral(invalid)

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
