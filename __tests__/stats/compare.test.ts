import { describe, expect, it } from '@jest/globals'
import { compareMetric, logBudget, type CompareInput } from '../../src/stats/compare.js'
import type { MetricComparison, Verdict } from '../../src/stats/types.js'
import { lognormal, mulberry32 } from '../helpers/random.js'

const NON_CRITICAL = { warn: 0.05, fail: 0.1 }
const CORE = { warn: 0.05, fail: 0.05 }

function input(over: Partial<CompareInput> & Pick<CompareInput, 'baseline' | 'current'>) {
  return {
    benchmark: 'tokenizer',
    metric: 'wall-time',
    unit: 'ms',
    direction: 'lower',
    class: 'core',
    thresholds: NON_CRITICAL,
    ...over
  } satisfies CompareInput
}

/** Draws both arms (N = M = 10 unless told) with the current median scaled by `ratio`. */
function draw(seed: number, ratio: number, cv: number, n = 10) {
  const rng = mulberry32(seed)
  return { current: lognormal(rng, n, 100 * ratio, cv), baseline: lognormal(rng, n, 100, cv) }
}

function rate(verdicts: Verdict[], v: Verdict): number {
  return verdicts.filter((x) => x === v).length / verdicts.length
}

describe('compareMetric: acceptance checks', () => {
  it('fails a +20 % slowdown (lower is better, CV 3 %, 10 samples per arm)', () => {
    for (const thresholds of [NON_CRITICAL, CORE]) {
      const r = compareMetric(input({ ...draw(1, 1.2, 0.03), thresholds }))
      expect(r.verdict).toBe('fail')
      expect(r.change).toBeGreaterThan(0.15)
      expect(r.change).toBeLessThan(0.25)
      expect(r.valueChange).toBeCloseTo(r.change!, 12)
      expect(r.ci![0]).toBeGreaterThan(0.05)
      expect(r.ci![0]).toBeLessThanOrEqual(r.change!)
      expect(r.ci![1]).toBeGreaterThanOrEqual(r.change!)
      expect(r.pFail).toBeLessThanOrEqual(0.05)
      expect(r.reason).toMatch(
        /^Δ \+\d+\.\d % \(90 % CI \+\d+\.\d … \+\d+\.\d %\) is past the \d+ % fail budget$/
      )
    }
  })

  it('fails a −20 % throughput drop (higher is better), reported as +20 % worse', () => {
    const r = compareMetric(input({ ...draw(2, 0.8, 0.03), direction: 'higher', unit: 'tok/s' }))
    expect(r.verdict).toBe('fail')
    expect(r.change).toBeGreaterThan(0.15)
    expect(r.change).toBeLessThan(0.25)
    expect(r.valueChange).toBeCloseTo(-r.change!, 12)
    expect(r.ci![0]).toBeLessThan(r.ci![1])
  })

  it('passes A/A comparisons: no false FAIL in 200 seeds at CV 3 %', () => {
    const verdicts = Array.from(
      { length: 200 },
      (_, s) => compareMetric(input(draw(100 + s, 1, 0.03))).verdict
    )
    expect(rate(verdicts, 'fail')).toBeLessThanOrEqual(0.01)
    expect(rate(verdicts, 'pass')).toBeGreaterThanOrEqual(0.95)
  })

  it('keeps false FAIL under 1.5 % in 2000 A/A seeds at CV 10 % (interval null)', () => {
    const verdicts = Array.from(
      { length: 2000 },
      (_, s) => compareMetric(input(draw(5000 + s, 1, 0.1))).verdict
    )
    expect(rate(verdicts, 'fail')).toBeLessThanOrEqual(0.015)
  })

  it('flags a +20 % improvement as improved and passes it', () => {
    for (const direction of ['lower', 'higher'] as const) {
      const ratio = direction === 'lower' ? 1 / 1.2 : 1.2
      const r = compareMetric(input({ ...draw(3, ratio, 0.03), direction }))
      expect(r.verdict).toBe('pass')
      expect(r.improved).toBe(true)
      expect(r.change).toBeLessThan(-0.1)
      // Reasons use the metric's own terms: latency down, throughput up.
      expect(r.reason).toMatch(
        direction === 'lower' ? /^improved: Δ -1\d\.\d %/ : /^improved: Δ \+\d\d\.\d %/
      )
    }
  })

  it('fails a deterministic metric (all values equal) at +12 %', () => {
    const r = compareMetric(
      input({ baseline: Array(10).fill(1000), current: Array(10).fill(1120), unit: 'MB' })
    )
    expect(r.verdict).toBe('fail')
    expect(r.change).toBeCloseTo(0.12, 12)
    expect(r.ci![0]).toBeCloseTo(0.12, 12)
    expect(r.ci![1]).toBeCloseTo(0.12, 12)
    expect(r.current).toEqual({ n: 10, median: 1120, dropped: [], cv: 0 })
  })

  it('passes a deterministic metric at +3 %', () => {
    const r = compareMetric(
      input({ baseline: Array(10).fill(1000), current: Array(10).fill(1030) })
    )
    expect(r.verdict).toBe('pass')
    expect(r.reason).toMatch(/^within budget: Δ \+3\.0 %/)
  })

  it('is neutral with the counts when an arm has too few samples', () => {
    const { baseline } = draw(4, 1, 0.03)
    const r = compareMetric(input({ baseline, current: [100, 101, 99] }))
    expect(r.verdict).toBe('neutral')
    expect(r.reason).toBe('need ≥ 5 samples per arm, have 3 (current) and 10 (baseline)')
    expect([r.change, r.ci, r.pFail, r.pWarn]).toEqual([null, null, null, null])
    expect(r.current?.n).toBe(3)
    expect(r.baseline?.n).toBe(10)
  })

  it('never screens an arm below the samples it needs: it compares it with the outlier', () => {
    const baseline = [100, 101, 99, 100, 102, 98]
    const atMinimum = compareMetric(input({ baseline, current: [100, 101, 99, 100, 500] }))
    expect(atMinimum.verdict).toBe('pass')
    expect(atMinimum.current).toMatchObject({ n: 5, dropped: [] })
    // The rank-based estimate shrugs the ×5 off; only the CI's upper end feels it.
    expect(Math.abs(atMinimum.change!)).toBeLessThan(0.02)
    expect(atMinimum.ci![1]).toBeGreaterThan(0.5)

    const oneSpare = compareMetric(input({ baseline, current: [100, 101, 99, 100, 102, 500] }))
    expect(oneSpare.current).toMatchObject({ n: 5, dropped: [500] })
    expect(oneSpare.ci![1]).toBeLessThan(0.05)
  })

  it('honours minSamples', () => {
    const r = compareMetric(input({ ...draw(5, 1, 0.03, 6), minSamples: 8 }))
    expect(r.reason).toBe('need ≥ 8 samples per arm, have 6 (current) and 6 (baseline)')
  })

  it.each([
    [[100, NaN, 100, 100, 100], /^current sample #2 is NaN: samples must be finite/],
    [[100, 100, 0, 100, 100], /^current sample #3 is 0: samples must be > 0 .*log/],
    [[100, 100, 100, -4, 100], /^current sample #4 is -4: samples must be > 0/],
    [[100, 100, 100, 100, Infinity], /^current sample #5 is Infinity/]
  ])('is neutral, not a throw, on bad values %p', (current, reason) => {
    const r = compareMetric(input({ baseline: [100, 100, 100, 100, 100], current }))
    expect(r.verdict).toBe('neutral')
    expect(r.reason).toMatch(reason)
  })

  it('names the baseline when the bad value is there', () => {
    const r = compareMetric(input({ baseline: [1, 2, 0, 3, 4], current: [1, 2, 3, 4, 5] }))
    expect(r.reason).toMatch(/^baseline sample #3 is 0/)
  })

  it('does not fail an A/A comparison with one ×5 cold start in an arm', () => {
    const verdicts: Verdict[] = []
    for (let s = 0; s < 200; s++) {
      const rng = mulberry32(9000 + s)
      const current = lognormal(rng, 10, 100, 0.05)
      const baseline = lognormal(rng, 10, 100, 0.05)
      const arm = s % 2 === 0 ? current : baseline
      const at = Math.floor(rng() * 10)
      arm[at] *= 5
      const r = compareMetric(input({ current, baseline, thresholds: CORE }))
      verdicts.push(r.verdict)
      const summary = s % 2 === 0 ? r.current : r.baseline
      expect(summary?.dropped).toContain(arm[at])
    }
    expect(rate(verdicts, 'fail')).toBe(0)
  })
})

describe('compareMetric: rule A', () => {
  it('warns on a significant change between the warn and fail budgets', () => {
    const r = compareMetric(input(draw(6, 1.07, 0.01)))
    expect(r.verdict).toBe('warn')
    expect(r.reason).toMatch(/is past the 5 % warn budget$/)
    expect(r.pWarn).toBeLessThanOrEqual(0.05)
  })

  it('fails a core metric (warn = fail = 5 %) once the CI clears 5 %', () => {
    const r = compareMetric(input({ ...draw(6, 1.07, 0.01), thresholds: CORE }))
    expect(r.verdict).toBe('fail')
  })

  it('never fails a warn-only metric (fail: null)', () => {
    const r = compareMetric(
      input({ ...draw(7, 1.5, 0.03), thresholds: { warn: 0.05, fail: null } })
    )
    expect(r.verdict).toBe('warn')
    expect(r.inconclusive).toBe(false)
  })

  it('calls a noisy maybe-regression inconclusive rather than failing it', () => {
    const r = compareMetric(
      input({
        current: [80, 95, 105, 115, 125, 140, 90, 110, 130, 100],
        baseline: [100, 85, 120, 95, 105, 90, 115, 110, 98, 102]
      })
    )
    expect(r.verdict).toBe('pass')
    expect(r.inconclusive).toBe(true)
    // CV ~15 %: deciding it would take over 100 runs per arm, which is not advice.
    expect(r.runsToDecide).toBeGreaterThan(100)
    expect(r.reason).toMatch(
      /^may be worse: Δ \+\d+\.\d % \(90 % CI -\d+\.\d … \+\d+\.\d %\) reaches past the 10 % fail budget; it cannot be decided at this noise \(over 100 runs per arm\): same-job A\/B \(ab: true\), a quieter runner or more work per run \(e\.g\. more requests\) would help$/
    )
  })

  it('says how many runs would decide a maybe-regression when a sane number would', () => {
    const r = compareMetric(input({ ...draw(15, 1.04, 0.04), thresholds: CORE }))
    expect(r.inconclusive).toBe(true)
    expect(r.runsToDecide).toBeLessThanOrEqual(100)
    expect(r.reason).toMatch(/; about \d+ runs per arm would decide$/)
  })

  it('is deterministic', () => {
    const a = compareMetric(input(draw(10, 1.08, 0.05)))
    const b = compareMetric(input(draw(10, 1.08, 0.05)))
    expect(a).toEqual(b)
  })

  it('mirrors lower- and higher-is-better: same log-badness, same verdict and p-values', () => {
    const { current, baseline } = draw(12, 1.12, 0.05)
    const lower = compareMetric(input({ current, baseline }))
    const higher = compareMetric(
      input({
        current: current.map((v) => 1e4 / v),
        baseline: baseline.map((v) => 1e4 / v),
        direction: 'higher'
      })
    )
    expect(higher.verdict).toBe(lower.verdict)
    expect(higher.pWarn).toBeCloseTo(lower.pWarn!, 12)
    // Same θ, different mapping: lower reports e^θ − 1, higher 1 − e^−θ.
    expect(Math.log1p(lower.change!)).toBeCloseTo(-Math.log1p(-higher.change!), 10)
  })

  it('maps budgets to log-badness, with T ≥ 1 unreachable for higher-is-better', () => {
    expect(logBudget(0.1, 'lower')).toBeCloseTo(Math.log(1.1), 14)
    expect(logBudget(0.1, 'higher')).toBeCloseTo(-Math.log(0.9), 14)
    expect(logBudget(1, 'higher')).toBe(Infinity)
    const r = compareMetric(
      input({ ...draw(13, 0.3, 0.03), direction: 'higher', thresholds: { warn: 1, fail: 1.5 } })
    )
    expect(r.verdict).toBe('pass')
    expect(r.pFail).toBe(1)
  })

  it('has an unbounded CI when minSamples allows too few samples for alpha', () => {
    const r = compareMetric(input({ current: [110, 111], baseline: [100, 101], minSamples: 2 }))
    expect(r.ci).toEqual([-Infinity, Infinity])
    expect(r.verdict).toBe('pass')
    expect(r.inconclusive).toBe(true)
  })

  it('reports arm summaries in original units', () => {
    const r = compareMetric(
      input({ current: [10, 11, 12, 13, 14], baseline: [20, 20, 20, 20, 30] })
    )
    expect(r.current).toMatchObject({ n: 5, median: 12, dropped: [] })
    expect(r.current!.cv).toBeCloseTo(Math.sqrt(2.5) / 12, 12)
    expect(r.baseline!.median).toBe(20)
  })

  it('handles 200 samples per arm (normal approximation)', () => {
    const r: MetricComparison = compareMetric(input(draw(14, 1.2, 0.1, 200)))
    expect(r.verdict).toBe('fail')
    expect(r.ci![1] - r.ci![0]).toBeLessThan(0.06)
  })

  it('judges FAIL at failAlpha while reporting the CI at alpha', () => {
    // CI +5.0 … +9.1 %: past the 5 % budget at 90 %, not at the 97.5 % a four-look design uses.
    const data = draw(17, 1.08, 0.03)
    const plain = compareMetric(input({ ...data, thresholds: CORE }))
    const strict = compareMetric(input({ ...data, thresholds: CORE, failAlpha: 0.0125 }))
    expect(plain.verdict).toBe('fail')
    expect(plain.pFail).toBeGreaterThan(0.0125)
    expect(strict.verdict).toBe('warn')
    expect(strict.ci).toEqual(plain.ci)
    expect(strict.pFail).toBe(plain.pFail)
    // Still open: its FAIL test can go either way with more runs.
    expect(strict.inconclusive).toBe(true)
    expect(strict.runsToDecide).toBeGreaterThan(10)
  })

  it('says how many runs would decide exactly the inconclusive metrics', () => {
    let open = 0
    for (let s = 0; s < 300; s++) {
      const r = compareMetric(input({ ...draw(700 + s, 1.03, 0.1), thresholds: CORE }))
      if (r.inconclusive) {
        open++
        expect(r.runsToDecide).toBeGreaterThan(10)
        if (r.verdict === 'pass' && (r.runsToDecide ?? 0) <= 100) {
          expect(r.reason).toMatch(/; about [\d,]+ runs per arm would decide$/)
        } else if (r.verdict === 'pass') {
          expect(r.reason).toMatch(/; it cannot be decided at this noise \(over 100 runs per arm\)/)
        }
      } else {
        expect(r.runsToDecide).toBeUndefined()
      }
    }
    // Both kinds occur, so both branches were checked.
    expect(open).toBeGreaterThan(30)
    expect(open).toBeLessThan(290)
  })

  it('rejects invalid options loudly', () => {
    const base = draw(15, 1, 0.03)
    expect(() => compareMetric(input({ ...base, alpha: 0.7 }))).toThrow(RangeError)
    expect(() => compareMetric(input({ ...base, failAlpha: 0 }))).toThrow(/failAlpha/)
    expect(() => compareMetric(input({ ...base, thresholds: { warn: -0.1, fail: 0.1 } }))).toThrow(
      RangeError
    )
    expect(() => compareMetric(input({ ...base, thresholds: { warn: 0.05, fail: NaN } }))).toThrow(
      RangeError
    )
  })
})
