import { describe, expect, it } from '@jest/globals'
import { pairedSequentialLook } from '../../src/stats/adaptive.js'
import { gate } from '../../src/stats/gate.js'
import { comparePaired, PAIRED_PLAN, type PairedCompareInput } from '../../src/stats/paired.js'
import { walshAverages } from '../../src/stats/signed-rank.js'
import type { Thresholds } from '../../src/stats/types.js'
import { gaussian, mulberry32 } from '../helpers/random.js'

const CORE: Thresholds = { warn: 0.05, fail: 0.05 }
const NON_CRITICAL: Thresholds = { warn: 0.05, fail: 0.1 }

/**
 * Pairs measured in one job: each pair shares a job-level factor (drifting from pair to pair by
 * `drift`), so the arms alone vary far more than their ratio does.
 */
function pairs(seed: number, n: number, ratio: number, noise: number, drift = 0.1) {
  const rng = mulberry32(seed)
  const baseline: number[] = []
  const current: number[] = []
  for (let i = 0; i < n; i++) {
    const shared = 100 * Math.exp(drift * gaussian(rng))
    baseline.push(shared * Math.exp(noise * gaussian(rng)))
    current.push(shared * ratio * Math.exp(noise * gaussian(rng)))
  }
  return { baseline, current }
}

function input(
  arms: { baseline: number[]; current: number[] },
  thresholds: Thresholds = CORE,
  direction: 'lower' | 'higher' = 'lower'
): PairedCompareInput {
  return {
    benchmark: 'b',
    metric: 'm',
    unit: 'ms',
    direction,
    class: 'core',
    thresholds,
    ...arms
  }
}

/** The median of the Walsh averages of the per-pair log ratios, computed independently. */
function walshMedian(arms: { baseline: number[]; current: number[] }): number {
  const a = walshAverages(arms.current.map((v, i) => Math.log(v / arms.baseline[i])))
  const h = a.length / 2
  return a.length % 2 === 1 ? a[Math.floor(h)] : (a[h - 1] + a[h]) / 2
}

describe('comparePaired', () => {
  it('fails a +15 % regression that the job-to-job drift would hide from two samples', () => {
    const arms = pairs(1, 10, 1.15, 0.01)
    const c = comparePaired(input(arms))
    expect(c.verdict).toBe('fail')
    expect(c.pairs).toBe(10)
    expect(c.change).toBeCloseTo(Math.expm1(walshMedian(arms)), 12)
    expect(c.ci?.[0]).toBeGreaterThan(0.05)
    expect(c.pFail).toBeLessThan(0.05)
    expect(c.reason).toMatch(/is past the 5 % fail budget$/)
  })

  it('passes an unchanged metric and reports a finite 90 % CI around zero', () => {
    const c = comparePaired(input(pairs(2, 10, 1, 0.01)))
    expect(c.verdict).toBe('pass')
    expect(c.inconclusive).toBe(false)
    expect(c.ci?.[0]).toBeLessThan(0.01)
    expect(c.ci?.[1]).toBeGreaterThan(-0.01)
    expect(c.reason).toMatch(/^within budget: Δ [-+]?\d+\.\d % \(90 % CI/)
  })

  it('warns between the budgets and calls a CI across the fail budget inconclusive', () => {
    const warn = comparePaired(input(pairs(3, 12, 1.07, 0.005), NON_CRITICAL))
    expect(warn.verdict).toBe('warn')
    const open = comparePaired(input(pairs(4, 6, 1.05, 0.05), CORE))
    expect(open.inconclusive).toBe(true)
    expect(open.runsToDecide).toBeGreaterThan(6)
    expect(open.reason).toMatch(/cannot be decided at this noise \(over 100 pairs\)/)
  })

  it('says when no affordable number of pairs would decide', () => {
    // A change sitting right at the budget under heavy noise.
    const spread = [-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.3]
    const current = spread.map((s) => 100 * Math.exp(Math.log(1.05) + 0.001 + s))
    const c = comparePaired(input({ baseline: new Array(8).fill(100), current }, CORE))
    expect(c.inconclusive).toBe(true)
    // The count itself is absurd: it stays in the record, never in the words.
    expect(c.runsToDecide).toBeGreaterThan(100_000)
    expect(c.reason).toMatch(
      /; it cannot be decided at this noise \(over 100 pairs\): a quieter runner, longer runs \(more work per visit, e\.g\. more requests\) or more pairs per run \(the base's repetitions, up to 100\) would help$/
    )
    expect(c.reason).not.toMatch(/would be needed|\d{4,}|\d,\d{3}/)
  })

  it('still gives the count of pairs up to the cap', () => {
    const open = comparePaired(input(pairs(4, 6, 1.04, 0.02), CORE))
    expect(open.inconclusive).toBe(true)
    expect(open.runsToDecide).toBe(44)
    expect(open.reason).toMatch(/; about 44 pairs would decide$/)
  })

  it('orients higher-is-better metrics: less throughput is worse', () => {
    const arms = pairs(6, 10, 0.85, 0.01)
    const c = comparePaired(input(arms, CORE, 'higher'))
    expect(c.verdict).toBe('fail')
    expect(c.change).toBeCloseTo(-Math.expm1(walshMedian(arms)), 12)
    expect(c.valueChange).toBeLessThan(-0.1)
  })

  it("gives the estimator's own centres: current / baseline − 1 is the reported Δ", () => {
    for (const direction of ['lower', 'higher'] as const) {
      const arms = pairs(7, 10, 1.08, 0.02, 0.3)
      const c = comparePaired(input(arms, CORE, direction))
      expect(c.centres).toBeDefined()
      const { baseline, current } = c.centres ?? { baseline: NaN, current: NaN }
      expect(current / baseline - 1).toBeCloseTo(c.valueChange ?? NaN, 12)
      expect(baseline).toBe(c.baseline?.median)
    }
  })

  it('collapses the CI for a deterministic metric and judges the ratio itself', () => {
    const c = comparePaired(
      input({ baseline: new Array(8).fill(8000), current: new Array(8).fill(8976) })
    )
    expect(c.change).toBeCloseTo(0.122, 12)
    expect(c.ci?.[0]).toBeCloseTo(0.122, 12)
    expect(c.verdict).toBe('fail')
  })

  it('agrees with its own CI: pFail ≤ 5 % exactly when the lower bound is past the warn budget', () => {
    for (let seed = 10; seed < 60; seed++) {
      const c = comparePaired(input(pairs(seed, 10, 1.06, 0.02)))
      expect((c.pFail ?? 1) <= 0.05).toBe((c.ci?.[0] ?? -1) > 0.05)
    }
  })

  it('is neutral with the reason for too few pairs or bad values, and throws on unequal arms', () => {
    const few = comparePaired(input(pairs(8, 5, 1, 0.01)))
    expect(few.verdict).toBe('neutral')
    expect(few.reason).toBe('need ≥ 6 pairs, have 5')
    expect(few.baseline?.n).toBe(5)
    const bad = comparePaired(input({ baseline: [1, 2, 3, 4, 5, 6], current: [1, 2, 0, 4, 5, 6] }))
    expect(bad.reason).toMatch(/^pair #3: the current value is 0: must be > 0/)
    expect(() => comparePaired(input({ baseline: [1, 2], current: [1] }))).toThrow(
      /same length, got 1 \(current\) and 2 \(baseline\)/
    )
  })

  it('feeds gate() unchanged: the family verdict and counts', () => {
    const outcome = gate([
      comparePaired({ ...input(pairs(9, 10, 1.2, 0.01)), metric: 'slow' }),
      comparePaired({ ...input(pairs(10, 10, 1, 0.01)), metric: 'same' })
    ])
    expect(outcome.verdict).toBe('fail')
    expect(outcome.regressions).toBe(1)
    expect(outcome.reason).toMatch(/^1 regression past the fail budget: b\/slow \+/)
  })
})

describe('pairedSequentialLook', () => {
  /** Runs the paired design to its end: the first `pairs` of the full-length arms at each look. */
  function runToEnd(seed: number, ratio: number, noise: number) {
    const arms = pairs(seed, PAIRED_PLAN.max, ratio, noise)
    for (let n: number = PAIRED_PLAN.min; ;) {
      const look = pairedSequentialLook(
        [input({ baseline: arms.baseline.slice(0, n), current: arms.current.slice(0, n) })],
        n,
        PAIRED_PLAN
      )
      if (look.stop) return look
      n += look.nextRuns
    }
  }

  it('stops after 10 pairs when the metric is clear or already fails at alpha/K', () => {
    const clear = runToEnd(11, 1, 0.01)
    expect(clear).toMatchObject({ runs: 10, look: 1, looks: 2, stop: true })
    expect(clear.outcome.verdict).toBe('pass')
    expect(clear.reason).toBe('every metric decided after 10 pairs')
    const fail = runToEnd(12, 1.25, 0.01)
    expect(fail.runs).toBe(10)
    expect(fail.metrics[0].status).toBe('fail')
  })

  it('extends an open metric once, by 10 pairs, and stops at the cap', () => {
    const arms = pairs(13, 20, 1.05, 0.04)
    const first = pairedSequentialLook(
      [input({ baseline: arms.baseline.slice(0, 10), current: arms.current.slice(0, 10) })],
      10,
      PAIRED_PLAN
    )
    expect(first.metrics[0].status).toBe('open')
    expect(first).toMatchObject({ stop: false, nextRuns: 10 })
    expect(first.reason).toMatch(/still open after 10 pairs \(b\/m\): 10 more pairs$/)
    const last = pairedSequentialLook([input(arms)], 20, PAIRED_PLAN)
    expect(last).toMatchObject({ final: true, stop: true, nextRuns: 0, look: 2 })
  })

  it('judges FAIL at alpha/K: the interval behind a FAIL is the 95 % one with two looks', () => {
    const arms = pairs(14, 10, 1.12, 0.03)
    const look = pairedSequentialLook([input(arms)], 10, PAIRED_PLAN)
    const single = comparePaired({ ...input(arms), failAlpha: 0.025 })
    expect(look.metrics[0].comparison.verdict).toBe(single.verdict)
    expect(look.metrics[0].comparison.ci).toEqual(single.ci)
  })

  it('keeps adding pairs while there are too few to compare', () => {
    const arms = pairs(15, 8, 1, 0.01)
    const look = pairedSequentialLook(
      [input({ baseline: arms.baseline.slice(0, 4), current: arms.current.slice(0, 4) })],
      4,
      { min: 4, max: 8, step: 4 }
    )
    expect(look.metrics[0].status).toBe('open')
    expect(look.nextRuns).toBe(4)
  })
})
