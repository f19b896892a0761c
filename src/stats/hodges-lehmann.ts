import { exactUCdf, mannWhitneyU, mosesK, usesExactU } from './mann-whitney.js'
import { kthPairwiseDifference, selectInPlace } from './pairwise-select.js'

export interface ShiftEstimate {
  /** Hodges–Lehmann shift: the median of all y_i − x_j. */
  estimate: number
  /** Moses CI bounds; ±Infinity when k = 0 (too few samples for this alpha). */
  lo: number
  hi: number
  /** Moses' k (order statistic of the lower bound, 1-based). */
  k: number
  /**
   * Achieved two-sided confidence, 1 − 2·P(U ≤ k − 1): at least the nominal 1 − 2·alpha since U is
   * discrete. null when it comes from the normal approximation.
   */
  confidence: number | null
}

/**
 * Up to this many pairwise differences, building them all and selecting the few ranks needed
 * (estimate, CI bounds) from the array is cheaper than Johnson–Mizoguchi selection, and lets the
 * rank test count exceedances in one pass instead of sorting both arms again. Measured on 10,000
 * metrics of 30 × 30 samples: ~600 µs per metric with selection, ~75 with a full sort, ~25 with
 * quickselect on the array.
 */
const IN_ARRAY_BELOW = 8192

function differences(y: readonly number[], x: readonly number[]): Float64Array {
  const d = new Float64Array(y.length * x.length)
  let t = 0
  for (const yi of y) for (const xj of x) d[t++] = yi - xj
  return d
}

/** All y_i − x_j, ascending: the reference the selection in pairwise-select.ts is tested against. */
export function pairwiseDifferences(y: readonly number[], x: readonly number[]): number[] {
  // A typed array sorts numerically without a comparator callback.
  return Array.from(differences(y, x).sort())
}

export interface MosesInterval {
  lo: number
  hi: number
  k: number
  confidence: number | null
}

export interface ShiftEstimator {
  /** Hodges–Lehmann shift: the median of all y_i − x_j. */
  estimate: number
  /** The Moses (1 − 2·alpha) CI, read from the same differences for any alpha. */
  interval(alpha: number): MosesInterval
  /**
   * The Mann-Whitney U of y shifted down by `delta` against x: #{y_i − x_j > delta} plus half the
   * ties. Counted on the same differences as the CI, so p(delta) ≤ alpha ⇔ lo > delta holds
   * exactly, rounding included.
   */
  exceeding(delta: number): number
}

/**
 * Hodges–Lehmann shift of y relative to x, with Moses CIs at as many levels as the caller needs:
 * the sequential design judges FAIL at a stricter level than it reports, and selecting the N·M
 * differences again for each would double the cost.
 */
export function shiftEstimator(y: readonly number[], x: readonly number[]): ShiftEstimator {
  if (y.length === 0 || x.length === 0) throw new RangeError('both samples must be non-empty')
  const ys = [...y].sort((a, b) => a - b)
  const xs = [...x].sort((a, b) => a - b)
  const n = ys.length
  const m = xs.length
  const nm = n * m
  const diffs = nm <= IN_ARRAY_BELOW ? differences(ys, xs) : null
  const at = (rank: number): number =>
    diffs ? selectInPlace(diffs, rank - 1) : kthPairwiseDifference(ys, xs, rank)
  // The median of NM values: the middle one, or the mean of the two middle ones.
  const estimate = nm % 2 === 1 ? at((nm + 1) / 2) : (at(nm / 2) + at(nm / 2 + 1)) / 2
  return {
    estimate,
    interval(alpha) {
      const k = mosesK(n, m, alpha)
      if (k === 0) return { lo: -Infinity, hi: Infinity, k, confidence: 1 }
      const confidence = usesExactU(n, m) ? 1 - 2 * exactUCdf(n, m)(k - 1) : null
      return { lo: at(k), hi: at(nm - k + 1), k, confidence }
    },
    exceeding(delta) {
      if (!diffs) return mannWhitneyU(ys, xs, delta)
      let above = 0
      let tied = 0
      for (let t = 0; t < nm; t++) {
        if (diffs[t] > delta) above++
        else if (diffs[t] === delta) tied++
      }
      return above + tied / 2
    }
  }
}

/**
 * Two-sample Hodges–Lehmann shift of y relative to x with the exact distribution-free (Moses)
 * (1 − 2·alpha) confidence interval [D₍k₎, D₍NM−k+1₎].
 */
export function hodgesLehmann(
  y: readonly number[],
  x: readonly number[],
  alpha = 0.05
): ShiftEstimate {
  const est = shiftEstimator(y, x)
  return { estimate: est.estimate, ...est.interval(alpha) }
}
