import { describe, expect, it } from '@jest/globals'
import {
  incompleteBeta,
  normalQuantile,
  tCdf,
  tQuantile,
  tTwoSidedP
} from '../../src/stats/student-t.js'

// Reference values from scipy 1.17 (scipy.special.betainc, scipy.stats.t).
const close = (actual: number, expected: number, rel = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected))
}

describe('incompleteBeta', () => {
  it('matches reference values on both sides of the continued fraction switch', () => {
    close(incompleteBeta(0.3, 2, 3), 0.3483)
    close(incompleteBeta(0.2, 0.5, 7.5), 0.9281204024988001)
    close(incompleteBeta(0.9, 30, 2), 0.1695646331008649)
    close(incompleteBeta(0.5, 2.5, 2.5), 0.5)
  })

  it('is 0 and 1 at the ends and rejects bad arguments', () => {
    expect(incompleteBeta(0, 2, 3)).toBe(0)
    expect(incompleteBeta(1, 2, 3)).toBe(1)
    expect(() => incompleteBeta(1.1, 2, 3)).toThrow(RangeError)
    expect(() => incompleteBeta(0.5, 0, 3)).toThrow(RangeError)
  })
})

describe('Student t', () => {
  it('has the closed forms of df = 1 (Cauchy) and df = 2', () => {
    for (const t of [-4, -0.5, 0, 1, 3.3]) {
      close(tCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-12)
      close(tCdf(t, 2), 0.5 + t / (2 * Math.sqrt(t * t + 2)), 1e-12)
    }
  })

  it('matches reference CDF values, fractional df included', () => {
    close(tCdf(-3.7, 4.5), 0.008452171812415284)
    close(tCdf(0.3, 17), 0.616092751514852)
  })

  it('keeps far-tail two-sided p-values accurate instead of rounding them to 0', () => {
    close(tTwoSidedP(2.5, 7), 0.04099221858575289)
    close(tTwoSidedP(-2.5, 7), 0.04099221858575289)
    close(tTwoSidedP(12, 40), 7.82417130425598e-15, 1e-6)
    expect(tTwoSidedP(Infinity, 5)).toBe(0)
  })

  it('inverts the CDF: reference quantiles, and tQuantile(tCdf(t)) = t', () => {
    close(tQuantile(0.975, 10), 2.228138851986274)
    close(tQuantile(0.95, 3), 2.3533634348018233)
    close(tQuantile(0.0125, 18), -2.4450056165149423)
    close(tQuantile(0.9, 2.7), 1.6881081751466425)
    close(tQuantile(0.99, 200), 2.345137082259468)
    expect(tQuantile(0.5, 4)).toBe(0)
    for (const df of [1, 3.5, 30]) {
      for (const t of [-6, -1.2, 0.4, 2.9]) close(tQuantile(tCdf(t, df), df), t, 1e-8)
    }
  })

  it('rejects a non-positive df or a probability outside (0, 1)', () => {
    expect(() => tCdf(1, 0)).toThrow(RangeError)
    expect(() => tQuantile(1, 5)).toThrow(RangeError)
    expect(() => tQuantile(0.5, -1)).toThrow(RangeError)
  })
})

describe('normalQuantile', () => {
  it('matches scipy.stats.norm.ppf to 1e-7 where probit is off by 1e-3', () => {
    for (const [p, z] of [
      [0.9, 1.2815515655446004],
      [0.95, 1.6448536269514722],
      [0.975, 1.959963984540054],
      [0.995, 2.5758293035489004],
      [0.0125, -2.241402727604947]
    ]) {
      expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-7)
    }
    expect(() => normalQuantile(1)).toThrow(RangeError)
  })
})
