import { errorFunction, probit } from 'simple-statistics'

/**
 * Null distribution of the Mann-Whitney U statistic (U = #{(i, j): y_i > x_j}, ties counting ½).
 * simple-statistics gives the rank sum but no p-value, and its table-based normal CDF floors at
 * 10⁻³, which is useless for multiplicity corrections — hence this module.
 */

/** Above this size on both arms the exact distribution is replaced by the normal approximation. */
export const EXACT_LIMIT = 60
/**
 * The DP costs ~(n·m)²/4 steps, so a lopsided pair (10 vs 5000) would stall even though one arm
 * is small; past this many cells the normal approximation is used as well.
 */
const EXACT_MAX_CELLS = 60 * 250

const exactCdfCache = new Map<string, Float64Array>()

function checkSize(n: number, m: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 1) {
    throw new RangeError(`sample sizes must be positive integers, got (${n}, ${m})`)
  }
}

/** Whether `uCdf(n, m)` is exact; otherwise it is the normal approximation. */
export function usesExactU(n: number, m: number): boolean {
  return (n <= EXACT_LIMIT || m <= EXACT_LIMIT) && n * m <= EXACT_MAX_CELLS
}

/**
 * P(U = u) for u = 0 … n·m, by the recursion
 * P_{i,j}(u) = i/(i+j)·P_{i−1,j}(u−j) + j/(i+j)·P_{i,j−1}(u): the largest of the i + j pooled
 * values belongs to y with probability i/(i+j), and then beats all j values of x.
 * Probabilities rather than counts: C(120, 60) ≈ 10³⁵ would lose integer exactness anyway.
 */
export function exactUPmf(n: number, m: number): Float64Array {
  checkSize(n, m)
  // The distribution is the same for (n, m) and (m, n); iterating the smaller size outside keeps
  // the rows short.
  const a = Math.min(n, m)
  const b = Math.max(n, m)
  const delta = Float64Array.of(1)
  let prev: Float64Array[] = Array.from({ length: b + 1 }, () => delta)
  for (let i = 1; i <= a; i++) {
    const cur: Float64Array[] = [delta]
    for (let j = 1; j <= b; j++) {
      const pYLast = i / (i + j)
      const pXLast = j / (i + j)
      const fromY = prev[j] // P_{i−1,j}, support 0 … (i−1)·j
      const fromX = cur[j - 1] // P_{i,j−1}, support 0 … i·(j−1)
      const row = new Float64Array(i * j + 1)
      for (let u = 0; u < fromX.length; u++) row[u] = pXLast * fromX[u]
      for (let u = 0; u < fromY.length; u++) row[u + j] += pYLast * fromY[u]
      cur.push(row)
    }
    prev = cur
  }
  return prev[b]
}

function exactCdf(n: number, m: number): Float64Array {
  const key = n <= m ? `${n},${m}` : `${m},${n}`
  let cdf = exactCdfCache.get(key)
  if (!cdf) {
    const pmf = exactUPmf(n, m)
    cdf = new Float64Array(pmf.length)
    let acc = 0
    for (let u = 0; u < pmf.length; u++) {
      acc += pmf[u]
      cdf[u] = acc
    }
    cdf[cdf.length - 1] = 1
    exactCdfCache.set(key, cdf)
  }
  return cdf
}

/** Standard normal CDF from erf (accurate well below 10⁻³, unlike the table lookup). */
export function normalCdf(z: number): number {
  const p = 0.5 * (1 + errorFunction(z / Math.SQRT2))
  return Math.min(1, Math.max(0, p))
}

/** Normal approximation of P(U ≤ u) with continuity correction (no tie correction). */
export function normalUCdf(n: number, m: number): (u: number) => number {
  checkSize(n, m)
  const mu = (n * m) / 2
  const sigma = Math.sqrt((n * m * (n + m + 1)) / 12)
  return (u) => {
    if (u < 0) return 0
    if (u >= n * m) return 1
    return normalCdf((Math.floor(u) + 0.5 - mu) / sigma)
  }
}

/** Exact P(U ≤ u) for any sizes the DP can afford; see `uCdf` for the switching one. */
export function exactUCdf(n: number, m: number): (u: number) => number {
  checkSize(n, m)
  const cdf = exactCdf(n, m)
  return (u) => {
    if (u < 0) return 0
    if (u >= n * m) return 1
    return cdf[Math.floor(u)]
  }
}

/** P(U ≤ u) under H0 for sample sizes (n, m): exact up to `EXACT_LIMIT`, normal beyond. */
export function uCdf(n: number, m: number): (u: number) => number {
  return usesExactU(n, m) ? exactUCdf(n, m) : normalUCdf(n, m)
}

/**
 * Moses' k: the largest k with P(U ≤ k − 1) ≤ alpha. [D₍k₎, D₍nm−k+1₎] of the sorted pairwise
 * differences is then a (1 − 2·alpha) two-sided CI for the shift. k = 0 means no finite CI exists
 * at this alpha (too few samples).
 */
export function mosesK(n: number, m: number, alpha: number): number {
  checkSize(n, m)
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha must be in (0, 0.5), got ${alpha}`)
  const half = Math.floor((n * m) / 2)
  if (!usesExactU(n, m)) {
    const z = probit(1 - alpha)
    const k = Math.floor((n * m) / 2 + 0.5 - z * Math.sqrt((n * m * (n + m + 1)) / 12))
    return Math.min(half, Math.max(0, k))
  }
  const cdf = exactCdf(n, m)
  let k = 0
  while (k < half && cdf[k] <= alpha) k++
  return k
}

/**
 * U = #{(i, j): y_i − delta > x_j} + ½·#{ties}, the rank sum of y − delta less n(n+1)/2, counted
 * by one merge over both arms sorted: the mid-rank sum from simple-statistics gives the same
 * number but was a third of the time spent comparing many metrics.
 */
export function mannWhitneyU(y: readonly number[], x: readonly number[], delta = 0): number {
  const ys = Float64Array.from(y, (v) => v - delta).sort()
  const xs = Float64Array.from(x).sort()
  const m = xs.length
  let below = 0
  let atOrBelow = 0
  let u = 0
  for (const v of ys) {
    while (below < m && xs[below] < v) below++
    if (atOrBelow < below) atOrBelow = below
    while (atOrBelow < m && xs[atOrBelow] <= v) atOrBelow++
    u += below + (atOrBelow - below) / 2
  }
  return u
}

/**
 * One-sided p-value of H0: shift ≤ delta against H1: shift > delta, where y is shifted up by the
 * shift relative to x. Ties count ½ (mid-ranks) while the null ignores them, which overstates the
 * null's spread and so errs on the conservative side.
 */
export function shiftTestP(y: readonly number[], x: readonly number[], delta: number): number {
  return upperTailP(y.length, x.length, mannWhitneyU(y, x, delta))
}

/** P(U ≥ u) under H0 for sample sizes (n, m), u as `mannWhitneyU` counts it (halves for ties). */
export function upperTailP(n: number, m: number, u: number): number {
  checkSize(n, m)
  // P(U ≥ c) = P(U ≤ nm − c) by the symmetry of U about nm/2; reading the lower tail avoids the
  // cancellation in 1 − F(c − 1) when p is tiny.
  return uCdf(n, m)(n * m - Math.ceil(u))
}
