import { describe, expect, it } from '@jest/globals'
import { buckets, medianCiRank, summarise } from '../../src/dashboard/summary.js'

/** P(B ≤ k) for B ~ Binomial(n, ½), by exact sums of binomial coefficients (small n). */
function binomCdf(n: number, k: number): number {
  let c = 1
  let sum = 0
  for (let j = 0; j <= k; j++) {
    sum += c
    c = (c * (n - j)) / (j + 1)
  }
  return sum / 2 ** n
}

describe('the band of a run', () => {
  it('takes the largest symmetric ranks whose coverage of the median is at least 90 %', () => {
    for (let n = 1; n <= 60; n++) {
      const k = medianCiRank(n)
      if (k === 0) {
        expect(n).toBeLessThan(5)
        continue
      }
      // [x(k), x(n-k+1)] covers the median with probability 1 − 2·P(B ≤ k − 1)…
      expect(1 - 2 * binomCdf(n, k - 1)).toBeGreaterThanOrEqual(0.9)
      // …and the next narrower pair would not.
      expect(1 - 2 * binomCdf(n, k)).toBeLessThan(0.9)
    }
    expect(medianCiRank(5)).toBe(1)
    expect(medianCiRank(10)).toBe(2)
  })

  it('does not underflow for thousands of samples', () => {
    const k = medianCiRank(10_000)
    // Normal approximation: n/2 − 1.645·√n/2 ≈ 4918.
    expect(k).toBeGreaterThan(4900)
    expect(k).toBeLessThan(4930)
  })

  it('is the CI of the median from 5 samples on, and p5–p95 below', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]
    expect(summarise(ten)).toEqual({ median: 5.5, lo: 2, hi: 9, n: 10, band: 'ci' })
    // Linear interpolation between order statistics: p5 of (1, 2, 3) is 1 + 0.05·2.
    expect(summarise([3, 1, 2])).toEqual({ median: 2, lo: 1.1, hi: 2.9, n: 3, band: 'pct' })
    expect(summarise([4])).toEqual({ median: 4, lo: 4, hi: 4, n: 1, band: 'pct' })
  })
})

describe('overview buckets', () => {
  it('cover every position once, in order, in about the target count', () => {
    for (const [length, target] of [
      [10, 3],
      [1000, 1000],
      [100_000, 1000],
      [7, 100]
    ]) {
      const b = buckets(length, target)
      expect(b[0]?.[0]).toBe(0)
      expect(b[b.length - 1]?.[1]).toBe(length)
      for (let i = 1; i < b.length; i++) expect(b[i]?.[0]).toBe(b[i - 1]?.[1])
      expect(b.length).toBeLessThanOrEqual(target)
    }
  })
})
