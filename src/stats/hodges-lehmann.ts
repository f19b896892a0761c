import { exactUCdf, mosesK, usesExactU } from './mann-whitney.js'
import { kthPairwiseDifference } from './pairwise-select.js'

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

/** All y_i − x_j, ascending: the reference the selection in pairwise-select.ts is tested against. */
export function pairwiseDifferences(y: readonly number[], x: readonly number[]): number[] {
  const d = new Float64Array(y.length * x.length)
  let t = 0
  for (const yi of y) for (const xj of x) d[t++] = yi - xj
  // A typed array sorts numerically without a comparator callback, several times faster at 40 000.
  return Array.from(d.sort())
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
  if (y.length === 0 || x.length === 0) throw new RangeError('both samples must be non-empty')
  const ys = [...y].sort((a, b) => a - b)
  const xs = [...x].sort((a, b) => a - b)
  const nm = ys.length * xs.length
  const at = (rank: number): number => kthPairwiseDifference(ys, xs, rank)
  // The median of NM values: the middle one, or the mean of the two middle ones.
  const estimate = nm % 2 === 1 ? at((nm + 1) / 2) : (at(nm / 2) + at(nm / 2 + 1)) / 2
  const k = mosesK(ys.length, xs.length, alpha)
  if (k === 0) return { estimate, lo: -Infinity, hi: Infinity, k, confidence: 1 }
  const confidence = usesExactU(ys.length, xs.length)
    ? 1 - 2 * exactUCdf(ys.length, xs.length)(k - 1)
    : null
  return { estimate, lo: at(k), hi: at(nm - k + 1), k, confidence }
}
