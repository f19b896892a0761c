import { describe, expect, it } from '@jest/globals'
import {
  hodgesLehmann,
  pairwiseDifferences,
  shiftEstimator
} from '../../src/stats/hodges-lehmann.js'
import { mannWhitneyU, mosesK, upperTailP } from '../../src/stats/mann-whitney.js'
import { kthPairwiseDifference, selectInPlace } from '../../src/stats/pairwise-select.js'
import { lognormal, mulberry32 } from '../helpers/random.js'

describe('hodgesLehmann', () => {
  it('is the median of the pairwise differences, with the Moses CI from the extremes', () => {
    // Differences: 1, 2, 2, 3, 3, 3, 4, 4, 5; n = m = 3 gives k = 1 at alpha 0.05.
    expect(pairwiseDifferences([4, 5, 6], [1, 2, 3])).toEqual([1, 2, 2, 3, 3, 3, 4, 4, 5])
    expect(hodgesLehmann([4, 5, 6], [1, 2, 3], 0.05)).toEqual({
      estimate: 3,
      lo: 1,
      hi: 5,
      k: 1,
      confidence: 0.9
    })
  })

  it('takes D(5) and D(21) for n = m = 5 and reports the achieved 90.5 % confidence', () => {
    const y = [10, 20, 30, 40, 50]
    const x = [0, 1, 2, 3, 4]
    const d = pairwiseDifferences(y, x)
    const r = hodgesLehmann(y, x)
    expect(r.k).toBe(5)
    expect([r.lo, r.hi]).toEqual([d[4], d[20]])
    expect(r.estimate).toBe(d[12])
    expect(r.confidence).toBeCloseTo(1 - 24 / 252, 12)
  })

  it('averages the two middle differences when N·M is even', () => {
    expect(hodgesLehmann([3, 5], [1, 2], 0.2).estimate).toBe(2.5)
  })

  it('collapses to the point for deterministic samples', () => {
    const r = hodgesLehmann([2, 2, 2, 2, 2], [1, 1, 1, 1, 1])
    expect([r.estimate, r.lo, r.hi]).toEqual([1, 1, 1])
  })

  it('is unbounded when too few samples exist for the level', () => {
    const r = hodgesLehmann([2, 3], [1, 1.5])
    expect([r.lo, r.hi, r.k]).toEqual([-Infinity, Infinity, 0])
  })

  it('covers the true shift ~90 % of the time (2000 seeded lognormal draws)', () => {
    const rng = mulberry32(20240601)
    const truth = Math.log(1.1)
    let covered = 0
    let above = 0
    let below = 0
    const trials = 2000
    for (let t = 0; t < trials; t++) {
      const y = lognormal(rng, 10, 110, 0.1).map(Math.log)
      const x = lognormal(rng, 10, 100, 0.1).map(Math.log)
      const { lo, hi } = hodgesLehmann(y, x)
      if (lo > truth) above++
      else if (hi < truth) below++
      else covered++
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.86)
    expect(covered / trials).toBeLessThanOrEqual(0.94)
    // Each tail should miss about 5 %: a lopsided interval would still pass the total.
    expect(above / trials).toBeLessThan(0.075)
    expect(below / trials).toBeLessThan(0.075)
  })

  it('handles 200 × 200 samples (normal-approximation k)', () => {
    const rng = mulberry32(11)
    const y = lognormal(rng, 200, 120, 0.05).map(Math.log)
    const x = lognormal(rng, 200, 100, 0.05).map(Math.log)
    const r = hodgesLehmann(y, x)
    expect(r.confidence).toBeNull()
    expect(r.lo).toBeLessThan(Math.log(1.2))
    expect(r.hi).toBeGreaterThan(Math.log(1.2))
    expect(r.hi - r.lo).toBeLessThan(0.02)
  })
})

describe('kthPairwiseDifference', () => {
  it('finds exactly the k-th of all sorted differences, ties and negatives included', () => {
    const rng = mulberry32(99)
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(rng() * 25)
      const m = 1 + Math.floor(rng() * 25)
      // Rounded values make ties common; the offset makes differences of both signs.
      const y = Array.from({ length: n }, () => Math.round(rng() * 40) / 8 - 2).sort(
        (a, b) => a - b
      )
      const x = Array.from({ length: m }, () => Math.round(rng() * 40) / 8 - 2).sort(
        (a, b) => a - b
      )
      const all = pairwiseDifferences(y, x)
      for (const k of [1, Math.ceil((n * m) / 2), n * m, 1 + Math.floor(rng() * n * m)]) {
        expect(kthPairwiseDifference(y, x, k)).toBe(all[k - 1])
      }
    }
  })

  it('matches on continuous lognormal log-values', () => {
    const rng = mulberry32(5)
    const y = lognormal(rng, 37, 100, 0.1)
      .map(Math.log)
      .sort((a, b) => a - b)
    const x = lognormal(rng, 41, 110, 0.1)
      .map(Math.log)
      .sort((a, b) => a - b)
    const all = pairwiseDifferences(y, x)
    for (const k of [1, 28, 700, 758, 759, 1517])
      expect(kthPairwiseDifference(y, x, k)).toBe(all[k - 1])
  })

  it('selects exactly in large samples, where it does not sort them all', () => {
    const rng = mulberry32(123)
    for (const [n, m, ties] of [
      [80, 90, false],
      [200, 150, true],
      [1, 5000, false],
      [3000, 2, true]
    ] as const) {
      const draw = (len: number) =>
        Array.from({ length: len }, () => (ties ? Math.round(rng() * 30) : rng() * 30) - 10).sort(
          (a, b) => a - b
        )
      const y = draw(n)
      const x = draw(m)
      const all = pairwiseDifferences(y, x)
      for (const k of [
        1,
        2,
        Math.ceil((n * m) / 2),
        n * m - 1,
        n * m,
        1 + Math.floor(rng() * n * m)
      ]) {
        expect(kthPairwiseDifference(y, x, k)).toBe(all[k - 1])
      }
    }
  })

  it('refuses a rank outside 1..NM', () => {
    expect(() => kthPairwiseDifference([1], [2], 2)).toThrow(RangeError)
    expect(() => kthPairwiseDifference([], [2], 1)).toThrow(RangeError)
  })
})

describe('selectInPlace', () => {
  it('returns the k-th smallest for every k, ties and duplicates of the pivot included', () => {
    const rng = mulberry32(31)
    for (let trial = 0; trial < 40; trial++) {
      const len = 1 + Math.floor(rng() * 60)
      const values = Array.from({ length: len }, () => Math.round(rng() * 10) - 5)
      const sorted = [...values].sort((a, b) => a - b)
      const work = Float64Array.from(values)
      // Repeated selections on one array, as the estimator does, in a scrambled order of ranks.
      for (const k of sorted.map((_, i) => (i * 7) % len)) {
        expect(selectInPlace(work, k)).toBe(sorted[k])
      }
      expect(Array.from(work).sort((a, b) => a - b)).toEqual(sorted)
    }
  })

  it('refuses a rank outside the array', () => {
    expect(() => selectInPlace(Float64Array.of(1, 2), 2)).toThrow(RangeError)
  })
})

describe('shiftEstimator', () => {
  const draw = (seed: number, n: number, m: number) => {
    const rng = mulberry32(seed)
    return {
      y: lognormal(rng, n, 108, 0.05).map(Math.log),
      x: lognormal(rng, m, 100, 0.05).map(Math.log)
    }
  }

  it('gives the same CI as hodgesLehmann at every level, from one set of differences', () => {
    const { y, x } = draw(41, 12, 9)
    const est = shiftEstimator(y, x)
    for (const alpha of [0.05, 0.0125, 0.2]) {
      const hl = hodgesLehmann(y, x, alpha)
      expect(est.estimate).toBe(hl.estimate)
      expect(est.interval(alpha)).toEqual({
        lo: hl.lo,
        hi: hl.hi,
        k: hl.k,
        confidence: hl.confidence
      })
    }
  })

  it.each([
    [10, 10],
    [7, 13],
    [95, 100]
  ])('counts U like the rank test, in-array and by selection (%i × %i)', (n, m) => {
    const { y, x } = draw(43, n, m)
    const est = shiftEstimator(y, x)
    for (const delta of [0, Math.log(1.05), -0.02, 0.3]) {
      expect(est.exceeding(delta)).toBe(mannWhitneyU(y, x, delta))
    }
  })

  it.each([
    [10, 10],
    // Past the in-array limit (selection) while U is still exact.
    [60, 200]
  ])('is exactly dual to its own CI: lo > δ ⇔ p(δ) ≤ α (%i × %i)', (n, m) => {
    const { y, x } = draw(47, n, m)
    const est = shiftEstimator(y, x)
    const d = pairwiseDifferences(y, x)
    const { lo, hi } = est.interval(0.05)
    const k = mosesK(n, m, 0.05)
    expect([lo, hi]).toEqual([d[k - 1], d[d.length - k]])
    for (let i = 0; i + 1 < d.length; i += Math.ceil(d.length / 300)) {
      if (d[i] === d[i + 1]) continue
      const delta = (d[i] + d[i + 1]) / 2
      expect(upperTailP(n, m, est.exceeding(delta)) <= 0.05).toBe(lo > delta)
    }
  })
})
