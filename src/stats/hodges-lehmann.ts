import { medianSorted } from 'simple-statistics'
import { exactUCdf, mosesK, usesExactU } from './mann-whitney.js'

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

/** All y_i − x_j, ascending. */
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
  const d = pairwiseDifferences(y, x)
  const k = mosesK(y.length, x.length, alpha)
  const estimate = medianSorted(d)
  if (k === 0) return { estimate, lo: -Infinity, hi: Infinity, k, confidence: 1 }
  const confidence = usesExactU(y.length, x.length)
    ? 1 - 2 * exactUCdf(y.length, x.length)(k - 1)
    : null
  return { estimate, lo: d[k - 1], hi: d[d.length - k], k, confidence }
}
