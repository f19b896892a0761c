import { describe, expect, it } from '@jest/globals'
import { wilcoxonRankSum } from 'simple-statistics'
import {
  exactUCdf,
  exactUPmf,
  mannWhitneyU,
  mosesK,
  normalUCdf,
  shiftTestP,
  uCdf,
  upperTailP,
  usesExactU
} from '../../src/stats/mann-whitney.js'
import { pairwiseDifferences } from '../../src/stats/hodges-lehmann.js'
import { lognormal, mulberry32 } from '../helpers/random.js'

/** P(U = u) by enumerating every way to choose which n of the n + m ranks belong to y. */
function bruteForcePmf(n: number, m: number): number[] {
  const counts = new Array<number>(n * m + 1).fill(0)
  let total = 0
  const visit = (next: number, chosen: number[]): void => {
    if (chosen.length === n) {
      const ys = new Set(chosen)
      let u = 0
      let xsBelow = 0
      for (let r = 0; r < n + m; r++) {
        if (ys.has(r)) u += xsBelow
        else xsBelow++
      }
      counts[u]++
      total++
      return
    }
    for (let r = next; r < n + m; r++) visit(r + 1, [...chosen, r])
  }
  visit(0, [])
  return counts.map((c) => c / total)
}

describe('exact U distribution', () => {
  it.each([
    [3, 4],
    [4, 3],
    [5, 5],
    [2, 7],
    [6, 4]
  ])('matches brute-force enumeration for (%i, %i)', (n, m) => {
    const pmf = Array.from(exactUPmf(n, m))
    const brute = bruteForcePmf(n, m)
    expect(pmf).toHaveLength(brute.length)
    pmf.forEach((p, u) => expect(p).toBeCloseTo(brute[u], 12))
  })

  it.each([
    [1, 1],
    [5, 5],
    [10, 17],
    [60, 60]
  ])('sums to 1 and is symmetric about nm/2 for (%i, %i)', (n, m) => {
    const pmf = exactUPmf(n, m)
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    for (let u = 0; u < pmf.length; u++) expect(pmf[u]).toBeCloseTo(pmf[pmf.length - 1 - u], 14)
  })

  it('gives the textbook tail for n = m = 5: P(U ≤ 4) = 12/252', () => {
    expect(exactUCdf(5, 5)(4)).toBeCloseTo(12 / 252, 12)
    expect(exactUCdf(5, 5)(-1)).toBe(0)
    expect(exactUCdf(5, 5)(25)).toBe(1)
  })

  it.each([
    // Counts of arrangements with U ≤ u over C(n + m, n), from an integer recursion in Python.
    [4, 4, 2, 4 / 70],
    [3, 5, 1, 2 / 56],
    [10, 10, 23, 3996 / 184756],
    [10, 10, 27, 8241 / 184756],
    [8, 12, 20, 1979 / 125970],
    [20, 20, 127, 3383465463 / 137846528820]
  ])('pins P(U ≤ u) for (%i, %i) at u = %i', (n, m, u, p) => {
    expect(exactUCdf(n, m)(u)).toBeCloseTo(p, 12)
  })

  it('rejects sizes that are not positive integers', () => {
    expect(() => exactUPmf(0, 3)).toThrow(RangeError)
    expect(() => uCdf(2.5, 3)).toThrow(RangeError)
  })
})

describe('exact/normal switch', () => {
  it('is exact while either arm is ≤ 60 and the DP stays affordable', () => {
    expect(usesExactU(60, 60)).toBe(true)
    expect(usesExactU(61, 61)).toBe(false)
    expect(usesExactU(5, 200)).toBe(true)
    expect(usesExactU(10, 5000)).toBe(false)
  })

  it('normal approximation agrees with the exact CDF at the boundary', () => {
    for (const n of [60, 61]) {
      const exact = exactUCdf(n, n)
      const approx = normalUCdf(n, n)
      const sd = Math.sqrt((n * n * (2 * n + 1)) / 12)
      for (const z of [-3, -2, -1.645, -1, 0, 1, 2]) {
        const u = Math.round((n * n) / 2 + z * sd)
        expect(Math.abs(exact(u) - approx(u))).toBeLessThan(0.003)
      }
    }
  })

  it('normal Moses k at n = m = 61 is within 2 of the exact one', () => {
    const exact = exactUCdf(61, 61)
    let kExact = 0
    while (exact(kExact) <= 0.05) kExact++
    expect(usesExactU(61, 61)).toBe(false)
    expect(Math.abs(mosesK(61, 61, 0.05) - kExact)).toBeLessThanOrEqual(2)
  })
})

describe('mosesK', () => {
  it('matches the published checks', () => {
    expect(mosesK(5, 5, 0.05)).toBe(5)
    expect(mosesK(10, 10, 0.05)).toBe(28)
    expect(mosesK(3, 3, 0.05)).toBe(1) // 1/C(6,3) = 0.05 exactly
  })

  it('is 0 when no finite CI exists at that alpha', () => {
    expect(mosesK(2, 2, 0.05)).toBe(0)
    expect(mosesK(3, 3, 0.01)).toBe(0)
  })

  it('satisfies its definition: F(k−1) ≤ α < F(k)', () => {
    for (const [n, m] of [
      [5, 8],
      [10, 10],
      [12, 20]
    ]) {
      const F = uCdf(n, m)
      const k = mosesK(n, m, 0.05)
      expect(F(k - 1)).toBeLessThanOrEqual(0.05)
      expect(F(k)).toBeGreaterThan(0.05)
    }
  })
})

describe('mannWhitneyU', () => {
  it('equals the mid-rank sum less n(n+1)/2, ties and shifts included', () => {
    const rng = mulberry32(21)
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(rng() * 15)
      const m = 1 + Math.floor(rng() * 15)
      // Quarter steps make ties within and across arms common, and exact under the shift.
      const y = Array.from({ length: n }, () => Math.round(rng() * 12) / 4)
      const x = Array.from({ length: m }, () => Math.round(rng() * 12) / 4)
      for (const delta of [0, 0.25, -0.5, 0.3]) {
        const ranks = wilcoxonRankSum(
          y.map((v) => v - delta),
          x
        )
        expect(mannWhitneyU(y, x, delta)).toBe(ranks - (n * (n + 1)) / 2)
      }
    }
  })

  it('matches scipy on a small exact case', () => {
    // scipy.stats.mannwhitneyu(y, x, method='exact', alternative='less'): U = 15, p = 0.0034207.
    const y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5]
    const x = [2.5, 3.5, 11, 12, 13, 14, 15, 16, 17, 18]
    expect(mannWhitneyU(y, x)).toBe(15)
    expect(upperTailP(10, 10, mannWhitneyU(x, y))).toBeCloseTo(0.0034207278789322136, 12)
  })
})

describe('shiftTestP', () => {
  it('gives the smallest attainable p for complete separation', () => {
    expect(shiftTestP([6, 7, 8, 9, 10], [1, 2, 3, 4, 5], 0)).toBeCloseTo(1 / 252, 12)
    expect(shiftTestP([1, 2, 3, 4, 5], [6, 7, 8, 9, 10], 0)).toBeCloseTo(1, 12)
  })

  it('sees no evidence when every value is tied', () => {
    const p = shiftTestP([1, 1, 1, 1, 1], [1, 1, 1, 1, 1], 0)
    expect(p).toBeGreaterThan(0.4)
  })

  it('is dual to the Moses lower bound: lo > δ ⇔ p(δ) ≤ α', () => {
    const rng = mulberry32(7)
    for (let trial = 0; trial < 20; trial++) {
      const y = lognormal(rng, 10, 110, 0.1).map(Math.log)
      const x = lognormal(rng, 10, 100, 0.1).map(Math.log)
      const d = pairwiseDifferences(y, x)
      const lo = d[mosesK(10, 10, 0.05) - 1]
      // Probe midway between neighbouring differences so no tie sits exactly at δ.
      for (let i = 0; i + 1 < d.length; i += 7) {
        const delta = (d[i] + d[i + 1]) / 2
        if (d[i] === d[i + 1]) continue
        expect(shiftTestP(y, x, delta) <= 0.05).toBe(lo > delta)
      }
    }
  })

  it('uses the normal tail for large arms without underflowing to garbage', () => {
    const rng = mulberry32(3)
    const y = lognormal(rng, 200, 120, 0.05)
    const x = lognormal(rng, 200, 100, 0.05)
    const p = shiftTestP(y, x, 0)
    expect(p).toBeGreaterThanOrEqual(0)
    expect(p).toBeLessThan(1e-6)
    expect(shiftTestP(x, y, 0)).toBeGreaterThan(0.999)
  })
})
