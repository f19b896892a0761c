import { describe, expect, it } from '@jest/globals'
import { compareMetric } from '../../src/stats/compare.js'
import { comparePaired } from '../../src/stats/paired.js'
import {
  pairsToDecide,
  runsToDecide,
  type OpenComparison,
  type OpenPairedComparison
} from '../../src/stats/planning.js'
import { gaussian, lognormal, mulberry32 } from '../helpers/random.js'

const TAU = Math.log(1.05)

/** What a comparison of 10 + 10 runs would show on average for a true ratio and CV. */
function expected(ratio: number, cv: number): OpenComparison {
  const sigma = Math.sqrt(Math.log(1 + cv * cv))
  // Hodges–Lehmann standard error: σ·√(π/3·(1/n + 1/m)).
  const se = sigma * Math.sqrt((Math.PI / 3) * (2 / 10))
  const theta = Math.log(ratio)
  return {
    estimate: theta,
    ci: [theta - 1.645 * se, theta + 1.645 * se],
    alpha: 0.05,
    failAlpha: 0.05,
    tauWarn: TAU,
    tauFail: TAU,
    n: 10,
    m: 10
  }
}

describe('runsToDecide', () => {
  it.each([
    // ratio, CV: ruled out (clear) below the budget, confirmed (FAIL) above it.
    [1.02, 0.05, 'clear'],
    [0.98, 0.1, 'clear'],
    [1.09, 0.1, 'fail'],
    [1.12, 0.2, 'fail']
  ] as const)(
    'decides a true %f at CV %f about 4 times in 5 with the runs it asks for (%s)',
    (ratio, cv, how) => {
      const runs = runsToDecide(expected(ratio, cv))
      expect(runs).not.toBeNull()
      let decided = 0
      for (let s = 0; s < 400; s++) {
        const rng = mulberry32(s)
        const c = compareMetric({
          benchmark: 'b',
          metric: 'm',
          unit: 'ms',
          direction: 'lower',
          class: 'core',
          thresholds: { warn: 0.05, fail: 0.05 },
          current: lognormal(rng, runs ?? 0, 100 * ratio, cv),
          baseline: lognormal(rng, runs ?? 0, 100, cv)
        })
        if (how === 'clear' ? c.ci !== null && c.ci[1] < 0.05 : c.verdict === 'fail') decided++
      }
      expect(decided / 400).toBeGreaterThan(0.7)
      expect(decided / 400).toBeLessThan(0.9)
    }
  )

  it('asks for more runs the noisier the metric and the closer it sits to the budget', () => {
    const base = runsToDecide(expected(1.02, 0.05)) ?? NaN
    expect(runsToDecide(expected(1.02, 0.1)) ?? NaN).toBeGreaterThan(base)
    expect(runsToDecide(expected(1.035, 0.05)) ?? NaN).toBeGreaterThan(base)
    expect(runsToDecide(expected(1.0, 0.05)) ?? NaN).toBeLessThan(base)
  })

  it('always asks for more runs than the comparison already has', () => {
    const nearlyDecided: OpenComparison = { ...expected(1.0, 0.05), ci: [-0.001, 0.049] }
    expect(runsToDecide(nearlyDecided)).toBe(11)
  })

  it('is null when the CI is unbounded or the estimate sits on the budget', () => {
    expect(runsToDecide({ ...expected(1.02, 0.05), ci: [-Infinity, Infinity] })).toBeNull()
    expect(runsToDecide({ ...expected(1.05, 0.05), estimate: TAU })).toBeNull()
  })
})

describe('pairsToDecide', () => {
  /** What 10 pairs would show on average for a true ratio and a per-pair log-ratio sd. */
  function expectedPairs(ratio: number, sd: number): OpenPairedComparison {
    // The paired Hodges–Lehmann standard error: σ·√(π/3)/√n.
    const se = sd * Math.sqrt(Math.PI / 3 / 10)
    const theta = Math.log(ratio)
    return {
      estimate: theta,
      ci: [theta - 1.645 * se, theta + 1.645 * se],
      alpha: 0.05,
      failAlpha: 0.05,
      tauWarn: TAU,
      tauFail: TAU,
      n: 10
    }
  }

  it.each([
    [1.02, 0.06, 'clear'],
    [1.09, 0.08, 'fail']
  ] as const)(
    'decides a true %f at a pair sd of %f about 4 times in 5 with the pairs it asks for (%s)',
    (ratio, sd, how) => {
      const n = pairsToDecide(expectedPairs(ratio, sd)) ?? 0
      expect(n).toBeGreaterThan(10)
      let decided = 0
      for (let s = 0; s < 400; s++) {
        const rng = mulberry32(s)
        const current = Array.from({ length: n }, () => 100 * ratio * Math.exp(sd * gaussian(rng)))
        const c = comparePaired({
          benchmark: 'b',
          metric: 'm',
          unit: 'ms',
          direction: 'lower',
          class: 'core',
          thresholds: { warn: 0.05, fail: 0.05 },
          baseline: new Array<number>(n).fill(100),
          current
        })
        if (how === 'clear' ? c.ci !== null && c.ci[1] < 0.05 : c.verdict === 'fail') decided++
      }
      expect(decided / 400).toBeGreaterThan(0.7)
      expect(decided / 400).toBeLessThan(0.9)
    }
  )

  it('always asks for more pairs than it has, and is null for an unbounded CI', () => {
    expect(pairsToDecide({ ...expectedPairs(1.0, 0.05), ci: [-0.001, 0.049] })).toBe(11)
    expect(pairsToDecide({ ...expectedPairs(1.02, 0.05), ci: [-Infinity, Infinity] })).toBeNull()
  })
})
