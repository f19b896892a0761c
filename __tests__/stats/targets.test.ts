import { describe, expect, it } from '@jest/globals'
import type { Benchmark, Metric } from '../../src/results/model.js'
import { compareResultSets, noBaselineOutcome } from '../../src/stats/compare-sets.js'
import { tQuantile } from '../../src/stats/student-t.js'
import {
  applyTargets,
  binomialHalfCdf,
  judgeTarget,
  logTTestP,
  medianCiRank,
  medianWithCi,
  proportionWithCi,
  runsToConfirm,
  TARGET_Q
} from '../../src/stats/targets.js'
import type { TargetSpec } from '../../src/stats/types.js'
import { resultSet } from '../helpers/results.js'

const decode = (samples: number[]): Metric => ({
  name: 'decode_tps',
  unit: 'tokens/s',
  direction: 'higher',
  class: 'core',
  samples
})
const bench = (name: string, ...metrics: Metric[]): Benchmark => ({ name, metrics })
const atLeast = (metric: string, bound: number): TargetSpec => ({
  metric,
  op: '>=',
  bound,
  text: `>= ${bound}`
})

// Ten runs around 41.2 tokens/s: the median's 90 % CI is the 2nd to the 9th value.
const SLOW = [40.0, 40.1, 40.6, 41.0, 41.1, 41.3, 41.6, 42.0, 42.3, 42.9]

describe('the CI of a centre', () => {
  it('bounds the median by order statistics with at least 90 % coverage', () => {
    expect(medianCiRank(4)).toBeNull()
    expect(medianCiRank(5)).toBe(1)
    expect(medianCiRank(10)).toBe(2)
    // Coverage 1 − 2·P(Bin(10, ½) ≤ 1) = 0.979 ≥ 0.9; the next pair in would cover 0.891.
    expect(1 - 2 * binomialHalfCdf(10, 1)).toBeCloseTo(0.9785, 4)
    expect(1 - 2 * binomialHalfCdf(10, 2)).toBeLessThan(0.9)
    expect(medianWithCi(SLOW)).toEqual({ centre: 41.2, ci: [40.1, 42.3] })
    expect(medianWithCi([1, 2, 3]).ci).toEqual([-Infinity, Infinity])
  })

  it('bounds a proportion by the Wilson score interval', () => {
    const { centre, ci } = proportionWithCi([1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
    expect(centre).toBe(0.9)
    expect(ci[0]).toBeCloseTo(0.6523, 3)
    expect(ci[1]).toBeCloseTo(0.9774, 3)
    expect(proportionWithCi(new Array(10).fill(1)).ci[1]).toBe(1)
  })
})

describe('a target judged on this run alone', () => {
  it('fails when the whole CI is on the wrong side, with the number, the bound and the CI', () => {
    const t = judgeTarget(atLeast('decode_tps', 45), decode(SLOW), bench('inference'))
    expect(t).toMatchObject({ verdict: 'fail', centre: 41.2, ci: [40.1, 42.3], n: 10 })
    expect(t.reason).toBe('decode_tps 41.2 tokens/s, target ≥ 45 missed (90 % CI 40.1 … 42.3)')
    // The confirming p is the log t-test's: 41.3 on average, 8 % short with a 2 % spread.
    expect(t.test).toBe('log-t')
    expect(t.p).toBeGreaterThan(1e-7)
    expect(t.p).toBeLessThan(1e-6)
  })

  it('warns when the CI straddles the bound, and passes when it is wholly on the right side', () => {
    expect(judgeTarget(atLeast('decode_tps', 42), decode(SLOW), bench('i')).verdict).toBe('warn')
    expect(judgeTarget(atLeast('decode_tps', 40.1), decode(SLOW), bench('i')).verdict).toBe('pass')
    const latency: Metric = { ...decode(SLOW), name: 'ttft_ms', unit: 'ms', direction: 'lower' }
    const under = (bound: number): TargetSpec => ({ metric: 'ttft_ms', op: '<=', bound, text: '' })
    expect(judgeTarget(under(40), latency, bench('i')).verdict).toBe('fail')
    expect(judgeTarget(under(42), latency, bench('i')).verdict).toBe('warn')
    expect(judgeTarget(under(42.3), latency, bench('i')).verdict).toBe('pass')
  })

  it('cannot decide on fewer than 5 samples, and says so', () => {
    const t = judgeTarget(atLeast('decode_tps', 45), decode([41, 41.2, 41.1]), bench('i'))
    expect(t.verdict).toBe('warn')
    expect(t.reason).toBe(
      'decode_tps 41.1 tokens/s, target ≥ 45 undecided (3 samples are too few to bound a 90 % CI; 5 would)'
    )
  })

  it('does not judge an invalid run, nor a metric the benchmark lacks', () => {
    const invalid = { ...bench('i', decode(SLOW)), invalid: 'partial-offload: 80 %' }
    expect(judgeTarget(atLeast('decode_tps', 45), decode(SLOW), invalid)).toMatchObject({
      verdict: 'neutral',
      reason: 'target ≥ 45 not judged: the run is invalid (partial-offload: 80 %)'
    })
    expect(judgeTarget(atLeast('decode_tp', 45), undefined, bench('i')).reason).toBe(
      'target ≥ 45 not judged: i has no metric decode_tp'
    )
  })
})

describe('the p-value that confirms a FAIL', () => {
  // Logs of mean 0 and SD √(10/9): t = c / (SD / √10) for a bound of e^c.
  const logs = [-1, -1, -1, -1, -1, 1, 1, 1, 1, 1]
  const samples = logs.map(Math.exp)
  const c = (2.262 * Math.sqrt(10 / 9)) / Math.sqrt(10)

  it('is a one-sided t-test of the mean log against the log of the bound, per direction', () => {
    // t₀.₉₇₅ with 9 df is 2.262: a shortfall of that many standard errors has p = 0.025.
    expect(logTTestP(samples, '>=', Math.exp(c))?.p).toBeCloseTo(0.025, 4)
    expect(logTTestP(samples, '<=', Math.exp(-c))?.p).toBeCloseTo(0.025, 4)
    // On the met side of the bound the p is large, not small.
    expect(logTTestP(samples, '>=', Math.exp(-c))?.p).toBeCloseTo(0.975, 4)
    // Identical samples: the side they are on decides, whatever the rounding of their mean.
    expect(logTTestP([41, 41, 41, 41, 41], '>=', 45)?.p).toBe(0)
    expect(logTTestP([45, 45, 45, 45, 45], '>=', 45)?.p).toBe(1)
  })

  it('falls back to the sign test where a sample is not above 0', () => {
    expect(logTTestP([0, ...SLOW.slice(1)], '>=', 45)).toBeNull()
    const t = judgeTarget(atLeast('decode_tps', 45), decode([0, ...SLOW.slice(1)]), bench('i'))
    expect(t).toMatchObject({ verdict: 'fail', test: 'sign', p: 1 / 1024 })
  })

  it('cannot confirm a miss whose logs average on the met side, even alone (the documented price)', () => {
    // Nine runs short of 45 and one 25 times over: the median misses, the geometric mean does not.
    const odd = [...SLOW.slice(0, 9), 1000]
    const current = resultSet([bench('odd', decode(odd))])
    const outcome = applyTargets(noBaselineOutcome(current, 'none'), current, () => [
      atLeast('decode_tps', 45)
    ])
    expect(outcome.comparisons[0]?.target?.verdict).toBe('warn')
    expect(outcome.comparisons[0]?.target?.reason).toBe(
      'decode_tps 41.2 tokens/s, target ≥ 45 missed (90 % CI 40.1 … 42.3), but not significant after Benjamini–Hochberg over 1 target (p = 0.75 by a t-test on the log samples): warn only'
    )
  })

  it('counts the runs at which a miss of this size and spread would reach q / m', () => {
    const m = 190
    const d = 0.03 / 0.0226
    const n = runsToConfirm(0.03, 0.0226, m) ?? 0
    const reaches = (k: number): boolean => d * Math.sqrt(k) >= tQuantile(1 - TARGET_Q / m, k - 1)
    expect(reaches(n)).toBe(true)
    expect(reaches(n - 1)).toBe(false)
    expect(runsToConfirm(-0.03, 0.0226, m)).toBeNull()
  })
})

describe('targets in the gate', () => {
  const run = (samples: number[]) => resultSet([bench('inference', decode(samples))])
  const with45 = () => [atLeast('decode_tps', 45)]

  it('passes a target met with no baseline at all', () => {
    const current = run(SLOW.map((v) => v + 10))
    const outcome = applyTargets(noBaselineOutcome(current, 'no baseline yet'), current, with45)
    expect(outcome).toMatchObject({
      verdict: 'pass',
      route: 'B',
      targets: { met: 1, missed: 0, undecided: 0, notJudged: 0 }
    })
    expect(outcome.reason).toBe('the target is met; no baseline yet')
  })

  it('fails the very first run on a target missed, naming the value and its CI', () => {
    const current = run(SLOW)
    const outcome = applyTargets(noBaselineOutcome(current, 'no baseline yet'), current, with45)
    expect(outcome.verdict).toBe('fail')
    expect(outcome.route).toBe('A')
    expect(outcome.reason).toBe(
      '1 target missed: inference/decode_tps 41.2 tokens/s, target ≥ 45 missed (90 % CI 40.1 … 42.3); no baseline yet'
    )
    expect(outcome.comparisons[0]).toMatchObject({
      benchmark: 'inference',
      metric: 'decode_tps',
      verdict: 'fail',
      target: { verdict: 'fail', bound: 45 }
    })
  })

  it('warns on a straddling CI', () => {
    const current = run(SLOW.map((v) => v + 3))
    expect(applyTargets(noBaselineOutcome(current, 'none'), current, with45).verdict).toBe('warn')
  })

  it('combines with the baseline verdict: the worse of the two stands', () => {
    const base = run(SLOW.map((v) => v * 1.3))
    const current = run(SLOW.map((v) => v * 1.2))
    const gated = compareResultSets(base, current)
    expect(gated.verdict).toBe('fail')
    // The target is met, but the baseline comparison still fails the run.
    const outcome = applyTargets(gated, current, () => [atLeast('decode_tps', 45)])
    expect(outcome.verdict).toBe('fail')
    expect(outcome.comparisons[0]?.target?.verdict).toBe('pass')
    expect(outcome.reason.endsWith('; the target is met')).toBe(true)
  })

  it('adds a row for a target on a metric the baseline does not gate', () => {
    const errors: Metric = {
      name: 'error_rate',
      unit: 'fraction',
      direction: 'lower',
      class: 'core',
      samples: [0, 0, 0.25, 0, 0, 0, 0, 0, 0, 0],
      gate: false
    }
    const current = resultSet([bench('inference', decode(SLOW), errors)])
    const outcome = applyTargets(noBaselineOutcome(current, 'none'), current, () => [
      { metric: 'error_rate', op: '<=', bound: 0.5, text: '<= 0.5' }
    ])
    const row = outcome.comparisons.find((c) => c.metric === 'error_rate')
    expect(row).toMatchObject({ verdict: 'pass', unit: 'fraction', target: { centre: 0.025 } })
  })

  it('confirms FAILs over all targets with Benjamini–Hochberg: a lone marginal miss among many warns', () => {
    // 60 cells meet their target; one misses with 9 of 10 samples below and one far above, which
    // widens the spread of its logs: p = 0.0035 by the t-test, past 0.05 / 61 = 0.00082.
    const benches = Array.from({ length: 60 }, (_, i) =>
      bench(`cell${i}`, decode(SLOW.map((v) => v + 20)))
    )
    const marginal = [...SLOW.slice(0, 9), 50]
    benches.push(bench('marginal', decode(marginal)))
    const current = resultSet(benches)
    const alone = applyTargets(
      noBaselineOutcome(resultSet([benches[60]]), 'none'),
      resultSet([benches[60]]),
      with45
    )
    expect(alone.verdict).toBe('fail')
    const among = applyTargets(noBaselineOutcome(current, 'none'), current, with45)
    const row = among.comparisons.find((c) => c.benchmark === 'marginal')
    expect(row?.verdict).toBe('warn')
    expect(row?.target?.reason).toMatch(
      /, but not significant after Benjamini–Hochberg over 61 targets \(p = 0\.0035 by a t-test on the log samples\): warn only; if the miss and its spread held, \d+ runs per benchmark would confirm it$/
    )
  })

  it('names the runs that would confirm a sign-tested miss, whose smallest p is 2⁻ⁿ', () => {
    // A round that produced nothing (0 tokens/s) has no log, so the sign test decides: every
    // sample below gives p = 2⁻¹⁰, short of 0.05 / 61, and 11 samples all below are confirmed.
    const benches = Array.from({ length: 60 }, (_, i) =>
      bench(`cell${i}`, decode(SLOW.map((v) => v + 20)))
    )
    benches.push(bench('zero', decode([0, ...SLOW.slice(1)])))
    const ten = applyTargets(
      noBaselineOutcome(resultSet(benches), 'none'),
      resultSet(benches),
      with45
    )
    expect(ten.comparisons.find((c) => c.benchmark === 'zero')?.target?.reason).toMatch(
      /\(p = 0\.00098 by the sign test\): warn only; with 11 runs per benchmark a miss by every run would be confirmed$/
    )
    benches[60] = bench('zero', decode([0, ...SLOW.slice(1), 41]))
    const clear = applyTargets(
      noBaselineOutcome(resultSet(benches), 'none'),
      resultSet(benches),
      with45
    )
    expect(clear.verdict).toBe('fail')
  })

  describe('in a 64-cell matrix with 190 targets at 10 runs', () => {
    // 189 targets met; q / m = 0.05 / 190 = 0.00026, which no sign test of 10 runs reaches.
    const met = Array.from({ length: 189 }, (_, i) =>
      bench(`cell${i}`, decode(SLOW.map((v) => v + 20)))
    )
    const judge = (samples: number[], bound: number) => {
      const current = resultSet([...met, bench('miss', decode(samples))])
      const outcome = applyTargets(noBaselineOutcome(current, 'none'), current, (b) =>
        b === 'miss' ? [atLeast('decode_tps', bound)] : with45()
      )
      return { outcome, row: outcome.comparisons.find((c) => c.benchmark === 'miss') }
    }

    it('fails a gross miss: every run 8 % short with a 2 % spread (p ≈ 4e-7)', () => {
      const { outcome, row } = judge(SLOW, 45)
      expect(row?.target).toMatchObject({ verdict: 'fail', test: 'log-t' })
      expect(row?.target?.p).toBeLessThan(0.05 / 190)
      expect(row?.target?.reason).toBe(
        'decode_tps 41.2 tokens/s, target ≥ 45 missed (90 % CI 40.1 … 42.3)'
      )
      expect(outcome.verdict).toBe('fail')
      expect(outcome.targets).toEqual({ met: 189, missed: 1, undecided: 0, notJudged: 0 })
    })

    it('warns on a marginal miss whose CI only just excludes the bound, and says why', () => {
      // Bound 42.5: the CI's top, 42.3, is just below it; the mean log is 3 % short, p = 0.0014.
      const { outcome, row } = judge(SLOW, 42.5)
      expect(row?.verdict).toBe('warn')
      expect(row?.target?.reason).toBe(
        'decode_tps 41.2 tokens/s, target ≥ 42.5 missed (90 % CI 40.1 … 42.3), but not significant after Benjamini–Hochberg over 190 targets (p = 0.0014 by a t-test on the log samples): warn only; if the miss and its spread held, 14 runs per benchmark would confirm it'
      )
      expect(outcome.verdict).toBe('warn')
      // The same miss on its own is a FAIL, as before.
      const alone = resultSet([bench('miss', decode(SLOW))])
      const single = applyTargets(noBaselineOutcome(alone, 'none'), alone, () => [
        atLeast('decode_tps', 42.5)
      ])
      expect(single.verdict).toBe('fail')
    })
  })

  it('skips a matrix target on a cell that has no such metric when other cells have it', () => {
    const cell = (c: number, metrics: Metric[]): Benchmark => ({
      name: `chat[concurrency=${c}]`,
      metrics,
      matrix: { entry: 'chat', axes: { concurrency: c } }
    })
    const efficiency: Metric = {
      ...decode([0.8, 0.8, 0.8, 0.8, 0.8]),
      name: 'batch_efficiency',
      unit: 'ratio'
    }
    const current = resultSet([cell(1, [decode(SLOW)]), cell(4, [decode(SLOW), efficiency])])
    const outcome = applyTargets(noBaselineOutcome(current, 'none'), current, () => [
      atLeast('batch_efficiency', 0.6)
    ])
    expect(outcome.targets).toEqual({ met: 1, missed: 0, undecided: 0, notJudged: 0 })
  })
})
