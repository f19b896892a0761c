import { coefficientOfVariation, median } from 'simple-statistics'
import type { Direction, MetricClass } from '../results/model.js'
import { neutralComparison } from './compare.js'
import { plural } from '../shared/text.js'
import { MAX_ADVISED_RUNS, PAIRED_UNDECIDABLE_HELP, pairsToDecide } from './planning.js'
import { pairedShiftEstimator, signedRankUpperTailP } from './signed-rank.js'
import type { ArmSummary, MetricComparison, Thresholds } from './types.js'
import { judgeShift, logBudget, withJudgement } from './verdict.js'

/*
 * Rule A for same-job A/B runs: base and head measured in the same job, interleaved, so each pair
 * shares the job's runner, heat and neighbours. The log ratio head/base per pair cancels whatever
 * the two visits of a pair share; the paired Hodges–Lehmann estimate (median of the Walsh
 * averages) with its exact signed-rank CI is then judged by the same budgets as the two-sample
 * rule (verdict.ts).
 *
 * No MAD screen: each value is already the centre of a visit (a median over its inner samples),
 * and the Walsh-average estimate tolerates 29 % bad pairs, where dropping a pair would also drop
 * its partner's visit.
 */

export interface PairedCompareInput {
  benchmark: string
  metric: string
  unit: string
  direction: Direction
  class: MetricClass
  /** Relative budgets as fractions (0.05 = 5 %). */
  thresholds: Thresholds
  /**
   * Per-visit centres, one per pair: `baseline[i]` and `current[i]` are pair i (the caller forms
   * each visit's centre, e.g. the median of its samples). Both arrays have the same length.
   */
  baseline: readonly number[]
  current: readonly number[]
  /** Fewest pairs that may be compared. Default 6 (with 5 the 90 % CI is [min, max]). */
  minPairs?: number
  /** One-sided level: the CI is (1 − 2·alpha) two-sided. Default 0.05 (a 90 % CI). */
  alpha?: number
  /** One-sided level of the FAIL test. Default `alpha`; the sequential design passes alpha/K. */
  failAlpha?: number
}

/** A paired comparison: the two-sample shape plus the pairs used and the estimator's centres. */
export interface PairedComparison extends MetricComparison {
  pairs: number
}

/** The default plan: 10 pairs, extended once to 20 while a metric is open (as Pinpoint does). */
export const PAIRED_PLAN = { min: 10, max: 20, step: 10 } as const

function invalidPair(base: readonly number[], cur: readonly number[]): string | null {
  for (let i = 0; i < base.length; i++) {
    for (const [arm, v] of [
      ['current', cur[i]],
      ['baseline', base[i]]
    ] as const) {
      if (!Number.isFinite(v)) return `pair #${i + 1}: the ${arm} value is ${v}: must be finite`
      if (v <= 0) {
        return `pair #${i + 1}: the ${arm} value is ${v}: must be > 0 to be compared as a ratio (log scale)`
      }
    }
  }
  return null
}

function summary(values: readonly number[]): ArmSummary | null {
  if (values.length === 0) return null
  return {
    n: values.length,
    median: median([...values]),
    dropped: [],
    cv: values.length >= 2 ? coefficientOfVariation([...values]) : null
  }
}

/**
 * Rule A on one metric of an A/B run: the paired shift of log-badness, judged against the warn
 * and fail budgets exactly as `compareMetric` judges the two-sample shift. Bad values or too few
 * pairs give `neutral` with the reason; only invalid options (or arms of different lengths, a
 * caller's bug) throw.
 */
export function comparePaired(input: PairedCompareInput): PairedComparison {
  const alpha = input.alpha ?? 0.05
  const failAlpha = input.failAlpha ?? alpha
  const minPairs = input.minPairs ?? 6
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
  if (!(Number.isInteger(minPairs) && minPairs >= 1)) {
    throw new RangeError(`minPairs must be an integer ≥ 1, got ${minPairs}`)
  }
  const { baseline, current, direction, thresholds } = input
  if (baseline.length !== current.length) {
    throw new RangeError(
      `paired arms must have the same length, got ${current.length} (current) and ${baseline.length} (baseline)`
    )
  }
  const n = current.length
  const neutral = (reason: string, withArms: boolean): PairedComparison => ({
    ...neutralComparison(
      input,
      reason,
      withArms ? summary(baseline) : null,
      withArms ? summary(current) : null
    ),
    pairs: n
  })
  const invalid = invalidPair(baseline, current)
  if (invalid) return neutral(invalid, false)
  if (n < minPairs) return neutral(`need ≥ ${minPairs} pairs, have ${n}`, true)

  // Log-badness: larger is worse in both directions, and a relative change becomes a shift.
  const sign = direction === 'lower' ? 1 : -1
  const d = current.map((v, i) => sign * (Math.log(v) - Math.log(baseline[i])))
  const est = pairedShiftEstimator(d)
  const theta = est.estimate
  const { lo, hi } = est.interval(alpha)
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
      const runs = pairsToDecide({
        estimate: theta,
        ci: [lo, hi],
        alpha,
        failAlpha,
        tauWarn,
        tauFail,
        n
      })
      if (runs === null) return { text: 'more pairs would decide', runs }
      // Past the cap the count is no advice (it can run to millions): say what would help.
      if (runs > MAX_ADVISED_RUNS) {
        return {
          text: `it cannot be decided at this noise (over ${MAX_ADVISED_RUNS} pairs): ${PAIRED_UNDECIDABLE_HELP}`,
          runs
        }
      }
      return { text: `about ${plural(runs, 'pair')} would decide`, runs }
    }
  })
  const tauWarn = logBudget(thresholds.warn, direction)
  const base = summary(baseline)
  const centre = base?.median ?? NaN
  const out = withJudgement(
    neutralComparison(input, judged.reason, base, summary(current)),
    judged,
    signedRankUpperTailP(n, est.exceeding(tauWarn)),
    signedRankUpperTailP(n, est.exceeding(0))
  )
  return {
    ...out,
    centres: { baseline: centre, current: centre * Math.exp(sign * theta) },
    pairs: n
  }
}
