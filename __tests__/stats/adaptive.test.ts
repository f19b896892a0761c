import { describe, expect, it } from '@jest/globals'
import { lookSchedule, sequentialLook, type SamplingPlan } from '../../src/stats/adaptive.js'
import type { CompareInput } from '../../src/stats/compare.js'
import type { Thresholds } from '../../src/stats/types.js'
import { lognormal, mulberry32 } from '../helpers/random.js'

const PLAN: SamplingPlan = { min: 5, max: 20, step: 5 }
const CORE: Thresholds = { warn: 0.05, fail: 0.05 }
const NON_CRITICAL: Thresholds = { warn: 0.05, fail: 0.1 }

function metric(
  name: string,
  current: number[],
  baseline: number[],
  thresholds: Thresholds = CORE
): CompareInput {
  return {
    benchmark: name.split('/')[0],
    metric: name.split('/')[1] ?? name,
    unit: 'ms',
    direction: 'lower',
    class: 'core',
    thresholds,
    current,
    baseline
  }
}

/** Both arms at full length (20 runs); a look at n uses the first n of each. */
function arms(seed: number, ratio: number, cv: number) {
  const rng = mulberry32(seed)
  return { current: lognormal(rng, 20, 100 * ratio, cv), baseline: lognormal(rng, 20, 100, cv) }
}

/** Runs the sequential design to its end, the way a runner would. */
function runToEnd(seed: number, ratio: number, cv: number, t: Thresholds = CORE) {
  const { current, baseline } = arms(seed, ratio, cv)
  for (let runs = PLAN.min; ;) {
    const look = sequentialLook(
      [metric('b/m', current.slice(0, runs), baseline.slice(0, runs), t)],
      runs,
      PLAN
    )
    if (look.stop) return look
    runs += look.nextRuns
  }
}

describe('lookSchedule', () => {
  it('looks at min, every step after it, and at max even off the step', () => {
    expect(lookSchedule(PLAN)).toEqual([5, 10, 15, 20])
    expect(lookSchedule({ min: 5, max: 12, step: 5 })).toEqual([5, 10, 12])
    expect(lookSchedule({ min: 10, max: 10, step: 5 })).toEqual([10])
  })

  it('rejects plans that are not positive integers or end before they start', () => {
    expect(() => lookSchedule({ min: 0, max: 20, step: 5 })).toThrow(RangeError)
    expect(() => lookSchedule({ min: 5, max: 20, step: 2.5 })).toThrow(RangeError)
    expect(() => lookSchedule({ min: 10, max: 5, step: 5 })).toThrow(/max \(5\) must be ≥ min/)
  })
})

describe('sequentialLook', () => {
  it('stops at the first look when every metric is clear', () => {
    const { current, baseline } = arms(1, 1, 0.01)
    const look = sequentialLook([metric('b/m', current.slice(0, 5), baseline.slice(0, 5))], 5, PLAN)
    expect(look).toMatchObject({ look: 1, looks: 4, final: false, stop: true, nextRuns: 0 })
    expect(look.metrics[0].status).toBe('clear')
    expect(look.outcome.verdict).toBe('pass')
    expect(look.reason).toBe('every metric decided after 5 runs per arm')
  })

  it('stops early on a regression the stricter alpha/K interval already confirms', () => {
    const { current, baseline } = arms(2, 1.3, 0.01)
    const look = sequentialLook([metric('b/m', current.slice(0, 5), baseline.slice(0, 5))], 5, PLAN)
    expect(look.metrics[0].status).toBe('fail')
    expect(look.stop).toBe(true)
    expect(look.outcome.verdict).toBe('fail')
  })

  it('asks for the next batch while a metric is open, naming it and its benchmark', () => {
    const open = metric('serve/ttft', [103, 99, 107, 101, 105], [100, 104, 96, 102, 98])
    const clear = metric('load/time', [100, 101, 99, 100, 100], [100, 100, 101, 99, 100])
    const look = sequentialLook([open, clear], 5, PLAN)
    expect(look.metrics.map((m) => m.status)).toEqual(['open', 'clear'])
    expect(look.metrics[0].comparison.inconclusive).toBe(true)
    expect(look).toMatchObject({ stop: false, nextRuns: 5, openBenchmarks: ['serve'] })
    expect(look.reason).toBe(
      '1 metric still open after 5 runs per arm (serve/ttft): 5 more per arm'
    )
  })

  it('stops at the cap with what it has, saying what is still open', () => {
    const open = metric(
      'serve/ttft',
      [103, 99, 107, 101, 105, 90, 115, 104, 98, 112],
      [100, 104, 96, 102, 98, 95, 107, 99, 101, 97]
    )
    const look = sequentialLook([open], 10, { min: 5, max: 10, step: 5 })
    expect(look).toMatchObject({ final: true, stop: true, nextRuns: 0, look: 2, looks: 2 })
    expect(look.metrics[0].status).toBe('open')
    expect(look.reason).toBe('stopped at the cap of 10 runs per arm; 1 metric still open')
  })

  it('does not fail early on an estimate past the fail budget when only the warn budget is cleared', () => {
    // Non-critical (warn 5 %, fail 10 %): a +13 % estimate whose alpha/K bound is +9 %. Rule A
    // would FAIL it, but re-judging "estimate past 10 %" at every look would fail changes sitting
    // at the budget far too often, so the design keeps sampling.
    const rng = mulberry32(1)
    const current = lognormal(rng, 5, 111, 0.03)
    const baseline = lognormal(rng, 5, 100, 0.03)
    const look = sequentialLook([metric('b/m', current, baseline, NON_CRITICAL)], 5, PLAN)
    expect(look.metrics[0].comparison.verdict).toBe('fail')
    expect(look.metrics[0].status).toBe('open')
    expect(look.stop).toBe(false)
  })

  it('keeps sampling a metric with too few samples so far, unless its baseline cannot grow', () => {
    const short = metric('b/m', [100, 101, 99, 100], [100, 101, 99, 100, 102])
    expect(sequentialLook([short], 5, PLAN).metrics[0].status).toBe('open')
    const shortBase = metric('b/m', [100, 101, 99, 100, 102], [100, 101, 99, 100])
    expect(sequentialLook([shortBase], 5, PLAN).metrics[0].status).toBe('open')
    const look = sequentialLook([shortBase], 5, PLAN, { fixedBaseline: true })
    expect(look.metrics[0].status).toBe('neutral')
    expect(look.stop).toBe(true)
    // Bad values are not cured by more runs either.
    const bad = metric('b/m', [100, 0, 99, 100, 102], [100, 101, 99, 100, 101])
    expect(sequentialLook([bad], 5, PLAN).metrics[0].status).toBe('neutral')
  })

  it('can stop at the first failure instead of deciding the rest', () => {
    const { current, baseline } = arms(2, 1.3, 0.01)
    const failing = metric('a/m', current.slice(0, 5), baseline.slice(0, 5))
    const open = metric('b/m', [103, 99, 107, 101, 105], [100, 104, 96, 102, 98])
    expect(sequentialLook([failing, open], 5, PLAN).stop).toBe(false)
    const look = sequentialLook([failing, open], 5, PLAN, { stopOnFail: true })
    expect(look.stop).toBe(true)
    expect(look.reason).toBe(
      'stopped at the first failure after 5 runs per arm; 1 metric left open'
    )
  })

  it('confirms FAIL with Holm at alpha/K, not alpha, when Holm is on', () => {
    // p(warn budget) = 0.0071: past alpha/K = 0.0125 alone, but not past 0.0125/2 for two metrics.
    const rng = mulberry32(14)
    const regressed = metric('a/m', lognormal(rng, 20, 109, 0.05), lognormal(rng, 20, 100, 0.05))
    const { current, baseline } = arms(3, 1, 0.05)
    const flat = metric('b/m', current, baseline)
    const plain = sequentialLook([regressed, flat], 20, PLAN)
    expect(plain.outcome.comparisons[0].verdict).toBe('fail')
    expect(plain.outcome.comparisons[0].pFail).toBeCloseTo(0.0071, 4)
    const holm = sequentialLook([regressed, flat], 20, PLAN, { gate: { holm: true } })
    expect(holm.outcome.comparisons[0].verdict).toBe('warn')
  })

  it('clears an unchanged metric at an interim look on the 80 % bound, not only the 95 % one', () => {
    // Seed 9 at CV 5 %: the reported 90 % CI reaches +7 %, past the 5 % budget, but the one-sided
    // 80 % bound is under it. Non-binding futility stops here; with it off the design runs on.
    const rng = mulberry32(9)
    const m = metric('b/m', lognormal(rng, 5, 100, 0.05), lognormal(rng, 5, 100, 0.05))
    const look = sequentialLook([m], 5, PLAN)
    expect(look.metrics[0].comparison.ci?.[1]).toBeGreaterThan(0.05)
    expect(look.metrics[0].status).toBe('clear')
    expect(look.stop).toBe(true)
    const strict = sequentialLook([m], 5, PLAN, { futilityAlpha: 0 })
    expect(strict.metrics[0].status).toBe('open')
    expect(() => sequentialLook([m], 5, PLAN, { futilityAlpha: 0.5 })).toThrow(/futilityAlpha/)
  })

  it('never uses the futility bound at the last look, where only the reported CI counts', () => {
    const rng = mulberry32(9)
    const m = metric('b/m', lognormal(rng, 5, 100, 0.05), lognormal(rng, 5, 100, 0.05))
    const look = sequentialLook([m], 5, { min: 5, max: 5, step: 5 })
    expect(look.final).toBe(true)
    expect(look.metrics[0].status).toBe('open')
  })

  it('refuses a look before the first scheduled one', () => {
    expect(() => sequentialLook([], 3, PLAN)).toThrow(/runs must be an integer ≥ adaptive min/)
  })
})

describe('sequential design (seeded simulation)', () => {
  it('fails a change sitting exactly at the warn budget at most alpha of the time over all looks', () => {
    // The interval null's boundary is the worst case for false FAIL; four looks at alpha/4 each
    // keep the whole sequence within alpha = 5 %.
    let fails = 0
    const trials = 800
    for (let s = 0; s < trials; s++)
      if (runToEnd(10_000 + s, 1.05, 0.05).outcome.verdict === 'fail') fails++
    expect(fails / trials).toBeLessThanOrEqual(0.05)
  })

  it('spends few runs on unchanged low-noise metrics and many on real regressions', () => {
    const mean = (ratio: number, cv: number) => {
      let runs = 0
      for (let s = 0; s < 300; s++) runs += runToEnd(20_000 + s, ratio, cv).runs
      return runs / 300
    }
    expect(mean(1, 0.02)).toBeLessThan(6)
    // The target: no change at CV 5 % settles in at most 8 runs per arm on average.
    expect(mean(1, 0.05)).toBeLessThanOrEqual(8)
    // A +6 % change against a 5 % budget is hard to settle: the design goes to the cap.
    expect(mean(1.06, 0.05)).toBeGreaterThan(15)
  })

  it('catches a clear regression and never fails an unchanged metric (CV 5 %)', () => {
    let caught = 0
    let falseFails = 0
    for (let s = 0; s < 300; s++) {
      if (runToEnd(30_000 + s, 1.15, 0.05).outcome.verdict === 'fail') caught++
      if (runToEnd(40_000 + s, 1, 0.05).outcome.verdict === 'fail') falseFails++
    }
    expect(caught / 300).toBeGreaterThanOrEqual(0.97)
    expect(falseFails).toBe(0)
  })
})
