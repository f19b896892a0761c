import { describe, expect, it } from '@jest/globals'
import {
  exactSignedRankPmf,
  pairedHodgesLehmann,
  pairedShiftEstimator,
  signedRankCdf,
  signedRankK,
  signedRankUpperTailP,
  SIGNED_RANK_EXACT_LIMIT,
  usesExactSignedRank,
  walshAverages
} from '../../src/stats/signed-rank.js'
import { gaussian, mulberry32 } from '../helpers/random.js'

/** #{sign patterns of ranks 1..n with positive-rank sum w}, by enumerating all 2^n patterns. */
function bruteCounts(n: number): number[] {
  const total = (n * (n + 1)) / 2
  const counts = new Array<number>(total + 1).fill(0)
  for (let mask = 0; mask < 1 << n; mask++) {
    let w = 0
    for (let r = 1; r <= n; r++) if (mask & (1 << (r - 1))) w += r
    counts[w]++
  }
  return counts
}

/** W+ of v by ranking |v| explicitly (no ties, no zeros in the data this is used on). */
function rankW(v: readonly number[]): number {
  const order = v.map((_, i) => i).sort((a, b) => Math.abs(v[a]) - Math.abs(v[b]))
  let w = 0
  order.forEach((i, r) => {
    if (v[i] > 0) w += r + 1
  })
  return w
}

/**
 * The exact CI by inverting the one-sided signed-rank tests on a grid between the Walsh averages,
 * with W+ from explicit ranks and its null from enumeration: it shares nothing with the code under
 * test but the definition.
 */
function bruteCi(d: readonly number[], alpha: number): [number, number] {
  const n = d.length
  const counts = bruteCounts(n)
  const all = 2 ** n
  const cdf = (w: number): number => counts.slice(0, w + 1).reduce((a, b) => a + b, 0) / all
  const a = [...new Set(walshAverages(d))]
  const mids = [a[0] - 1, ...a.slice(1).map((v, i) => (a[i] + v) / 2), a[a.length - 1] + 1]
  const total = (n * (n + 1)) / 2
  // Upper-tail test of "shift ≤ δ" rejects when P(W ≥ w) ≤ alpha; the lower bound is the first
  // Walsh average after which δ is no longer rejected.
  let lo = -Infinity
  for (let j = 0; j < mids.length; j++) {
    const w = rankW(d.map((x) => x - mids[j]))
    if (cdf(total - w) > alpha) {
      lo = j === 0 ? -Infinity : a[j - 1]
      break
    }
  }
  let hi = Infinity
  for (let j = mids.length - 1; j >= 0; j--) {
    const w = rankW(d.map((x) => x - mids[j]))
    if (cdf(w) > alpha) {
      hi = j === mids.length - 1 ? Infinity : a[j]
      break
    }
  }
  return [lo, hi]
}

describe('exactSignedRankPmf', () => {
  it('matches the enumeration of all 2^n sign patterns for n = 1 … 12', () => {
    for (let n = 1; n <= 12; n++) {
      const brute = bruteCounts(n).map((c) => c / 2 ** n)
      const pmf = Array.from(exactSignedRankPmf(n))
      expect(pmf).toHaveLength(brute.length)
      pmf.forEach((p, w) => expect(p).toBeCloseTo(brute[w], 15))
    }
  })

  it('is exact to the published table value P(W+ ≤ 10 | n = 10) = 43/1024', () => {
    expect(signedRankCdf(10)(10)).toBeCloseTo(43 / 1024, 15)
  })

  it('sums to 1 even far past 2^53 patterns', () => {
    const pmf = exactSignedRankPmf(80)
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })
})

describe('signedRankK', () => {
  it.each([
    // n, k, upper rank: the 90 % CI rows of the research note (ab-and-history.md, A4).
    [5, 1, 15],
    [6, 3, 19],
    [8, 6, 31],
    [10, 11, 45],
    [12, 18, 61],
    [20, 61, 150]
  ])('n = %i pairs: [W(%i), W(%i)] at 90 %', (n, k, upper) => {
    expect(signedRankK(n, 0.05)).toBe(k)
    expect((n * (n + 1)) / 2 - k + 1).toBe(upper)
  })

  it('is the largest k with P(W+ ≤ k − 1) ≤ alpha, by enumeration', () => {
    for (let n = 1; n <= 12; n++) {
      const counts = bruteCounts(n)
      for (const alpha of [0.05, 0.025, 0.0125, 0.005]) {
        let k = 0
        let below = 0
        const half = Math.floor((n * (n + 1)) / 2 / 2)
        while (k < half && (below + counts[k]) / 2 ** n <= alpha) below += counts[k++]
        expect(signedRankK(n, alpha)).toBe(k)
      }
    }
  })

  it('has no finite CI with 4 pairs at 90 % (1/16 > 0.05)', () => {
    expect(signedRankK(4, 0.05)).toBe(0)
    expect(pairedHodgesLehmann([1, 2, 3, 4], 0.05)).toMatchObject({
      lo: -Infinity,
      hi: Infinity,
      k: 0
    })
  })

  it('switches to the normal approximation past the exact limit, within one rank of exact', () => {
    const n = 150
    expect(usesExactSignedRank(SIGNED_RANK_EXACT_LIMIT)).toBe(true)
    expect(usesExactSignedRank(n)).toBe(false)
    const pmf = exactSignedRankPmf(n)
    for (const alpha of [0.05, 0.025]) {
      let k = 0
      let acc = pmf[0]
      while (acc <= alpha) acc += pmf[++k]
      expect(Math.abs(signedRankK(n, alpha) - k)).toBeLessThanOrEqual(1)
    }
    const cdf = signedRankCdf(n)
    let acc = 0
    for (let w = 0; w < 5000; w++) {
      acc += pmf[w]
      if (w % 500 === 0) expect(Math.abs(cdf(w) - acc)).toBeLessThan(1e-3)
    }
  })

  it('rejects bad sizes and levels', () => {
    expect(() => signedRankK(0, 0.05)).toThrow(RangeError)
    expect(() => signedRankK(10, 0.5)).toThrow(/alpha/)
  })
})

describe('pairedShiftEstimator', () => {
  // R's wilcox.test help page: the depression scores before (x) and after (y) therapy.
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3]
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
  const d = x.map((v, i) => v - y[i])

  it("reproduces R's wilcox.test(x, y, paired = TRUE, conf.int = TRUE)", () => {
    // R prints V = 40, p-value = 0.01953 (alternative "greater"), (pseudo)median 0.46 and the 95 %
    // CI 0.010 … 0.786; scipy.stats.wilcoxon(d, alternative='greater') gives the same p = 10/512.
    const est = pairedShiftEstimator(d)
    expect(est.estimate).toBeCloseTo(0.46, 12)
    expect(est.exceeding(0)).toBe(40)
    expect(signedRankUpperTailP(9, est.exceeding(0))).toBeCloseTo(10 / 512, 15)
    const ci = est.interval(0.025)
    expect(ci.k).toBe(6)
    expect(ci.lo).toBeCloseTo(0.01, 12)
    expect(ci.hi).toBeCloseTo(0.786, 12)
    expect(ci.confidence).toBeCloseTo(1 - 2 * (10 / 512), 15)
  })

  it('is the median of the Walsh averages', () => {
    expect(walshAverages([1, 3])).toEqual([1, 2, 3])
    expect(pairedHodgesLehmann([1, 3]).estimate).toBe(2)
    // 4 values, 10 averages: the mean of the 5th and 6th.
    const w = walshAverages([0, 1, 5, 9])
    expect(w).toEqual([0, 0.5, 1, 2.5, 3, 4.5, 5, 5, 7, 9])
    expect(pairedHodgesLehmann([0, 1, 5, 9]).estimate).toBe((3 + 4.5) / 2)
  })

  it('gives the CI the brute-force test inversion gives, for 6 … 12 pairs and several levels', () => {
    const rng = mulberry32(15)
    for (let n = 6; n <= 12; n++) {
      for (let rep = 0; rep < 3; rep++) {
        const sample = Array.from({ length: n }, () => 0.03 + 0.02 * gaussian(rng))
        const est = pairedShiftEstimator(sample)
        for (const alpha of [0.05, 0.025, 0.0125]) {
          const { lo, hi } = est.interval(alpha)
          const [bLo, bHi] = bruteCi(sample, alpha)
          expect([lo, hi]).toEqual([bLo, bHi])
        }
      }
    }
  })

  it('counts W+ as Walsh averages above δ, ties as ½, so p(δ) ≤ alpha exactly when lo > δ', () => {
    const rng = mulberry32(7)
    const sample = Array.from({ length: 10 }, () => gaussian(rng))
    const est = pairedShiftEstimator(sample)
    const { lo } = est.interval(0.05)
    const a = walshAverages(sample)
    a.forEach((delta, i) => {
      const p = signedRankUpperTailP(10, est.exceeding(delta))
      expect(p <= 0.05).toBe(lo > delta)
      if (i + 1 === a.length) return
      // Between two averages nothing ties: Tukey's identity against explicit ranks; on an average
      // the ½ convention sits halfway between its neighbours' counts.
      const mid = (delta + a[i + 1]) / 2
      expect(est.exceeding(mid)).toBe(rankW(sample.map((v) => v - mid)))
      const before = i === 0 ? 55 : est.exceeding((a[i - 1] + delta) / 2)
      expect(est.exceeding(delta)).toBe((before + est.exceeding(mid)) / 2)
    })
  })

  it('collapses to the point when every pair shows the same ratio', () => {
    const r = pairedHodgesLehmann(new Array(10).fill(Math.log(1.12)))
    expect(r.estimate).toBeCloseTo(Math.log(1.12), 15)
    expect([r.lo, r.hi]).toEqual([r.estimate, r.estimate])
    // All averages tie at 0 for a zero difference: half of them count, and p is over ½.
    const zero = pairedShiftEstimator(new Array(10).fill(0))
    expect(zero.exceeding(0)).toBe(27.5)
    expect(signedRankUpperTailP(10, zero.exceeding(0))).toBeGreaterThan(0.5)
  })

  it('rejects an empty sample', () => {
    expect(() => pairedShiftEstimator([])).toThrow(RangeError)
  })
})
