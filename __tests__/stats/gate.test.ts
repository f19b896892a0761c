import { describe, expect, it } from '@jest/globals'
import { compareMetric } from '../../src/stats/compare.js'
import { gate } from '../../src/stats/gate.js'
import type { MetricComparison } from '../../src/stats/types.js'
import { lognormal, mulberry32 } from '../helpers/random.js'

/** A compared metric with the p-values and verdict a test needs; the rest is filler. */
function mc(metric: string, over: Partial<MetricComparison> = {}): MetricComparison {
  // These fillers are lower-is-better, where the value's change equals the worse-positive change.
  const change = over.change === undefined ? 0.005 : over.change
  return {
    benchmark: 'bench',
    metric,
    unit: 'ms',
    direction: 'lower',
    class: 'core',
    thresholds: { warn: 0.05, fail: 0.1 },
    verdict: 'pass',
    reason: 'within budget: Δ +0.5 %',
    change: 0.005,
    ci: [-0.02, 0.03],
    valueChange: change,
    pFail: 0.99,
    pWarn: 0.4,
    inconclusive: false,
    improved: false,
    baseline: { n: 10, median: 100, dropped: [], cv: 0.03 },
    current: { n: 10, median: 100.5, dropped: [], cv: 0.03 },
    ...over
  }
}

const neutral = (metric: string, reason: string): MetricComparison =>
  mc(metric, {
    verdict: 'neutral',
    reason,
    change: null,
    ci: null,
    valueChange: null,
    pFail: null,
    pWarn: null,
    baseline: null,
    current: null
  })

const weakWarn = mc('ttft', {
  verdict: 'warn',
  reason: 'Δ +6.0 % (90 % CI +0.4 … +11.9 %) is past the 5 % warn budget',
  change: 0.06,
  pFail: 0.4,
  pWarn: 0.03
})

describe('gate: Benjamini–Hochberg on WARN', () => {
  it('downgrades a weak warn among 12 metrics to pass and says why', () => {
    const metrics = [weakWarn, ...Array.from({ length: 11 }, (_, i) => mc(`m${i}`))]
    const out = gate(metrics)
    expect(out.comparisons[0].verdict).toBe('pass')
    expect(out.comparisons[0].reason).toBe(
      `${weakWarn.reason}, but not significant after Benjamini–Hochberg over 12 metrics (p = 0.03)`
    )
    expect(out.verdict).toBe('pass')
    expect(out.route).toBe('B')
    expect(out.regressions).toBe(0)
    expect(out.unchanged).toBe(12)
    expect(weakWarn.verdict).toBe('warn') // input untouched
  })

  it('keeps the same warn when it is the only metric', () => {
    const out = gate([weakWarn])
    expect(out.verdict).toBe('warn')
    expect(out.reason).toBe('1 metric past the warn budget: bench/ttft +6.0 %')
  })

  it('keeps a strong warn among many', () => {
    const strong = { ...weakWarn, pWarn: 0.0004 }
    const out = gate([strong, ...Array.from({ length: 11 }, (_, i) => mc(`m${i}`))])
    expect(out.comparisons[0].verdict).toBe('warn')
    expect(out.verdict).toBe('warn')
  })

  it('never downgrades a FAIL', () => {
    const fail = mc('tps', { verdict: 'fail', change: 0.2, pFail: 0.04, pWarn: 0.2 })
    const out = gate([fail, ...Array.from({ length: 9 }, (_, i) => mc(`m${i}`))])
    expect(out.comparisons[0].verdict).toBe('fail')
    expect(out.verdict).toBe('fail')
    expect(out.route).toBe('A')
  })

  it('leaves neutral metrics out of the family', () => {
    const out = gate([
      weakWarn,
      neutral('a', 'need ≥ 5 samples per arm, have 3 (current) and 10 (baseline)')
    ])
    expect(out.comparisons[0].verdict).toBe('warn')
    expect(out.reason).toBe(
      '1 metric past the warn budget: bench/ttft +6.0 % (1 metric not compared)'
    )
  })
})

describe('gate: Holm on FAIL (opt-in)', () => {
  const fails = [
    mc('a', { verdict: 'fail', change: 0.3, pFail: 0.001, pWarn: 1e-5 }),
    mc('b', {
      verdict: 'fail',
      change: 0.12,
      pFail: 0.03,
      pWarn: 1e-5,
      reason: 'Δ +12.0 % is past the 10 % fail budget'
    })
  ]
  const family = [...fails, ...Array.from({ length: 8 }, (_, i) => mc(`m${i}`))]

  it('is off by default', () => {
    expect(
      gate(family)
        .comparisons.map((c) => c.verdict)
        .slice(0, 2)
    ).toEqual(['fail', 'fail'])
  })

  it('turns a FAIL Holm does not confirm into a WARN', () => {
    const out = gate(family, { holm: true })
    expect(out.comparisons.slice(0, 2).map((c) => c.verdict)).toEqual(['fail', 'warn'])
    expect(out.comparisons[1].reason).toBe(
      'Δ +12.0 % is past the 10 % fail budget, but not significant after Holm over 10 metrics (p = 0.03): warn only'
    )
    expect(out.verdict).toBe('fail')
    expect(out.reason).toBe(
      '1 regression past the fail budget: bench/a +30.0 %; 1 warning: bench/b +12.0 %'
    )
    expect(out.regressions).toBe(2)
  })
})

describe('gate: overall verdict, route and counts', () => {
  it('takes the worst verdict and counts regressions, improvements and the rest', () => {
    const out = gate([
      mc('slow', { verdict: 'fail', change: 0.201, pFail: 1e-4, pWarn: 1e-5 }),
      mc('slower', { verdict: 'fail', change: 0.35, pFail: 1e-4, pWarn: 1e-5 }),
      mc('faster', { improved: true, change: -0.2, pWarn: 0.9999 }),
      mc('same'),
      neutral('cold', 'current sample #2 is NaN: samples must be finite numbers')
    ])
    expect(out.verdict).toBe('fail')
    expect(out.route).toBe('A')
    expect([out.regressions, out.improvements, out.unchanged]).toEqual([2, 1, 1])
    expect(out.reason).toBe(
      '2 regressions past the fail budget: bench/slower +35.0 %, bench/slow +20.1 % (1 improved, 1 metric not compared)'
    )
  })

  it('passes when everything is within budget, noting inconclusive metrics', () => {
    const out = gate([mc('a'), mc('b', { inconclusive: true })])
    expect(out.verdict).toBe('pass')
    expect(out.route).toBe('B')
    expect(out.reason).toBe('all 2 metrics within budget (1 inconclusive)')
  })

  it('is neutral, with the reasons, when nothing could be compared', () => {
    const out = gate([
      neutral('a', 'need ≥ 5 samples per arm, have 3 (current) and 10 (baseline)'),
      neutral('b', 'baseline sample #1 is 0: samples must be > 0')
    ])
    expect(out.verdict).toBe('neutral')
    expect(out.route).toBe('none')
    expect(out.reason).toBe(
      'no metric could be compared: bench/a: need ≥ 5 samples per arm, have 3 (current) and 10 (baseline), bench/b: baseline sample #1 is 0: samples must be > 0'
    )
    expect([out.regressions, out.improvements, out.unchanged]).toEqual([0, 0, 0])
  })

  it('is neutral with no metrics at all', () => {
    const out = gate([])
    expect(out).toMatchObject({
      verdict: 'neutral',
      route: 'none',
      reason: 'no metrics to compare'
    })
  })
})

describe('gate over compareMetric (end to end, seeded)', () => {
  it('fails the regressed metric and leaves 11 unchanged ones alone', () => {
    const rng = mulberry32(42)
    const metrics = Array.from({ length: 12 }, (_, i) =>
      compareMetric({
        benchmark: 'llm',
        metric: `m${i}`,
        unit: 'ms',
        direction: 'lower',
        class: 'core',
        thresholds: { warn: 0.05, fail: 0.1 },
        current: lognormal(rng, 10, i === 0 ? 120 : 100, 0.03),
        baseline: lognormal(rng, 10, 100, 0.03)
      })
    )
    const out = gate(metrics)
    expect(out.verdict).toBe('fail')
    expect(out.regressions).toBe(1)
    expect(out.comparisons[0].verdict).toBe('fail')
    expect(out.reason).toMatch(/^1 regression past the fail budget: llm\/m0 \+\d+\.\d %$/)
  })
})
