import { describe, expect, it } from '@jest/globals'
import { bhReject, holmReject } from '../../src/stats/multiplicity.js'

describe('bhReject', () => {
  it('steps up: a p above its own line is rejected when a larger rank qualifies', () => {
    // m = 4, q = 0.1, lines 0.025, 0.05, 0.075, 0.1. Rank 2 (0.06) misses its line, rank 3
    // (0.07) makes it, so ranks 1–3 are all rejected.
    expect(bhReject([0.07, 0.01, 0.5, 0.06], 0.1)).toEqual([true, true, false, true])
  })

  it('rejects nothing when no rank qualifies', () => {
    // Lines 0.0167, 0.0333, 0.05: every p is just above its own.
    expect(bhReject([0.03, 0.04, 0.06], 0.05)).toEqual([false, false, false])
    // …and everything when the largest p makes its line, 3·0.05/3.
    expect(bhReject([0.03, 0.04, 0.05], 0.05)).toEqual([true, true, true])
  })

  it('handles the empty family and NaN', () => {
    expect(bhReject([], 0.1)).toEqual([])
    expect(bhReject([NaN, 0.001], 0.1)).toEqual([false, true])
  })
})

describe('holmReject', () => {
  it('steps down and stops at the first p above alpha/(m − r + 1)', () => {
    // m = 4, alpha = 0.05: 0.005 ≤ 0.0125, 0.01 ≤ 0.0167, 0.03 > 0.025 stops.
    expect(holmReject([0.01, 0.04, 0.03, 0.005], 0.05)).toEqual([true, false, false, true])
  })

  it('is stricter than BH on the same p-values', () => {
    const p = [0.07, 0.01, 0.5, 0.06]
    expect(holmReject(p, 0.1)).toEqual([false, true, false, false])
  })

  it('handles the empty family and NaN', () => {
    expect(holmReject([], 0.05)).toEqual([])
    expect(holmReject([0.001, NaN], 0.05)).toEqual([true, false])
  })
})
