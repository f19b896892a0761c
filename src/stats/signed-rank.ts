import { normalCdf } from './mann-whitney.js'
import { selectInPlace } from './pairwise-select.js'
import { normalQuantile } from './student-t.js'

/*
 * The paired (one-sample) counterpart of hodges-lehmann.ts: from per-pair differences d_i, the
 * Hodges–Lehmann estimate is the median of the n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j, and
 * the exact CI takes two of their order statistics, with the rank read off the null distribution
 * of the Wilcoxon signed-rank statistic W+ (Tukey's identity: W+ of d − δ is the number of Walsh
 * averages above δ). This is what R's wilcox.test(d, conf.int = TRUE) computes in exact mode.
 *
 * Ties and zeros: the exact null used is the untied one. The statistic counts a Walsh average
 * equal to δ as ½ (the mid-rank convention), and the CI is closed, so ties can only make the
 * interval and the p-value conservative, never anti-conservative, as in mann-whitney.ts. A
 * deterministic metric (all d equal) collapses the CI to the point, like the two-sample rule.
 */

/**
 * Up to this many pairs the null distribution is exact (a DP of n·n(n+1)/4 steps, cached: 100
 * pairs is 250,000 steps); above it the normal approximation with continuity correction is used.
 * R switches at 50; pairs past 100 are rare enough that the cost does not matter.
 */
export const SIGNED_RANK_EXACT_LIMIT = 100

const pmfCache = new Map<number, Float64Array>()
const cdfCache = new Map<number, Float64Array>()

function checkN(n: number): void {
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new RangeError(`the number of pairs must be a positive integer, got ${n}`)
  }
}

/** Whether `signedRankCdf(n)` is exact; otherwise it is the normal approximation. */
export function usesExactSignedRank(n: number): boolean {
  return n <= SIGNED_RANK_EXACT_LIMIT
}

/**
 * P(W+ = w) for w = 0 … n(n+1)/2 under H0 (no ties, no zeros): each rank r joins the positive sum
 * with probability ½ independently, so p_r(w) = ½·p_{r−1}(w) + ½·p_{r−1}(w − r). Probabilities
 * rather than counts, since 2^n loses integer exactness in a double past n = 53.
 */
export function exactSignedRankPmf(n: number): Float64Array {
  checkN(n)
  const cached = pmfCache.get(n)
  if (cached) return cached
  const total = (n * (n + 1)) / 2
  let p = new Float64Array(total + 1)
  p[0] = 1
  let top = 0
  for (let r = 1; r <= n; r++) {
    const next = new Float64Array(total + 1)
    for (let w = 0; w <= top; w++) {
      const half = p[w] / 2
      next[w] += half
      next[w + r] += half
    }
    top += r
    p = next
  }
  pmfCache.set(n, p)
  return p
}

function exactCdf(n: number): Float64Array {
  let cdf = cdfCache.get(n)
  if (!cdf) {
    const pmf = exactSignedRankPmf(n)
    cdf = new Float64Array(pmf.length)
    let acc = 0
    for (let w = 0; w < pmf.length; w++) {
      acc += pmf[w]
      cdf[w] = acc
    }
    cdf[cdf.length - 1] = 1
    cdfCache.set(n, cdf)
  }
  return cdf
}

function nullSd(n: number): number {
  return Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)
}

/** P(W+ ≤ w) under H0 for n pairs: exact up to `SIGNED_RANK_EXACT_LIMIT`, normal beyond. */
export function signedRankCdf(n: number): (w: number) => number {
  checkN(n)
  const total = (n * (n + 1)) / 2
  if (usesExactSignedRank(n)) {
    const cdf = exactCdf(n)
    return (w) => (w < 0 ? 0 : w >= total ? 1 : cdf[Math.floor(w)])
  }
  const mu = total / 2
  const sd = nullSd(n)
  return (w) => (w < 0 ? 0 : w >= total ? 1 : normalCdf((Math.floor(w) + 0.5 - mu) / sd))
}

/**
 * The CI rank: the largest k with P(W+ ≤ k − 1) ≤ alpha, so [A₍k₎, A₍N−k+1₎] of the sorted Walsh
 * averages is a (1 − 2·alpha) two-sided CI. k = 0: no finite CI at this alpha (too few pairs).
 */
export function signedRankK(n: number, alpha: number): number {
  checkN(n)
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha must be in (0, 0.5), got ${alpha}`)
  const total = (n * (n + 1)) / 2
  const half = Math.floor(total / 2)
  if (!usesExactSignedRank(n)) {
    const k = Math.floor(total / 2 + 0.5 - normalQuantile(1 - alpha) * nullSd(n))
    return Math.min(half, Math.max(0, k))
  }
  const cdf = exactCdf(n)
  let k = 0
  while (k < half && cdf[k] <= alpha) k++
  return k
}

/**
 * P(W+ ≥ w) under H0 for n pairs, w counted as `exceeding` counts it (halves for ties). A half
 * rounds down, the conservative side, which also makes the test agree with the closed CI at its
 * bounds: p(δ) ≤ alpha exactly when lo > δ.
 */
export function signedRankUpperTailP(n: number, w: number): number {
  checkN(n)
  // Symmetric about N/2: the lower tail at N − w avoids the cancellation in 1 − F(w − 1).
  return signedRankCdf(n)((n * (n + 1)) / 2 - Math.floor(w))
}

/** All Walsh averages (d_i + d_j)/2, i ≤ j, ascending: the reference the estimator is tested on. */
export function walshAverages(d: readonly number[]): number[] {
  return Array.from(walsh(d).sort())
}

function walsh(d: readonly number[]): Float64Array {
  const n = d.length
  const out = new Float64Array((n * (n + 1)) / 2)
  let t = 0
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out[t++] = (d[i] + d[j]) / 2
  return out
}

export interface WalshInterval {
  lo: number
  hi: number
  /** The rank of the lower bound (1-based); 0 when the CI is unbounded. */
  k: number
  /** Achieved two-sided confidence 1 − 2·P(W+ ≤ k − 1); null from the normal approximation. */
  confidence: number | null
}

export interface PairedShiftEstimator {
  /** Pairs behind the estimate. */
  n: number
  /** Hodges–Lehmann estimate: the median of the Walsh averages. */
  estimate: number
  /** The exact signed-rank (1 − 2·alpha) CI, read from the same Walsh averages for any alpha. */
  interval(alpha: number): WalshInterval
  /**
   * W+ of d − delta by Tukey's identity: #{Walsh averages > delta} + ½·#{= delta}. Counted on the
   * same averages as the CI, so p(delta) ≤ alpha ⇔ lo > delta holds exactly (exact regime).
   */
  exceeding(delta: number): number
}

/**
 * Paired Hodges–Lehmann estimate of the shift of the differences d, with exact signed-rank CIs at
 * as many levels as the caller needs (the sequential design judges FAIL at a stricter level than
 * it reports). The Walsh averages are built once: 20 pairs make 210 of them.
 */
export function pairedShiftEstimator(d: readonly number[]): PairedShiftEstimator {
  const n = d.length
  checkN(n)
  const averages = walsh(d)
  const total = averages.length
  const at = (rank: number): number => selectInPlace(averages, rank - 1)
  const estimate = total % 2 === 1 ? at((total + 1) / 2) : (at(total / 2) + at(total / 2 + 1)) / 2
  return {
    n,
    estimate,
    interval(alpha) {
      const k = signedRankK(n, alpha)
      if (k === 0) return { lo: -Infinity, hi: Infinity, k, confidence: 1 }
      const confidence = usesExactSignedRank(n) ? 1 - 2 * exactCdf(n)[k - 1] : null
      return { lo: at(k), hi: at(total - k + 1), k, confidence }
    },
    exceeding(delta) {
      let above = 0
      let tied = 0
      for (let t = 0; t < total; t++) {
        if (averages[t] > delta) above++
        else if (averages[t] === delta) tied++
      }
      return above + tied / 2
    }
  }
}

export interface PairedShiftEstimate extends WalshInterval {
  estimate: number
}

/** Paired Hodges–Lehmann shift of d with its exact signed-rank (1 − 2·alpha) CI. */
export function pairedHodgesLehmann(d: readonly number[], alpha = 0.05): PairedShiftEstimate {
  const est = pairedShiftEstimator(d)
  return { estimate: est.estimate, ...est.interval(alpha) }
}
