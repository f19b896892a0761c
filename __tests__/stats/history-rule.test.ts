import { describe, expect, it } from '@jest/globals'
import { historySequentialLook } from '../../src/stats/adaptive.js'
import { gate } from '../../src/stats/gate.js'
import {
  compareHistory,
  recentHistory,
  summarizeJob,
  type HistoryCompareInput,
  type JobSummary
} from '../../src/stats/history-rule.js'
import type { Thresholds } from '../../src/stats/types.js'
import { gaussian, mulberry32 } from '../helpers/random.js'

const CORE: Thresholds = { warn: 0.05, fail: 0.05 }

/**
 * J stored jobs of n samples: job offsets N(0, sigmaJob) on the log scale, samples N(0, sigmaRun)
 * around them, and a current job shifted by `ratio`.
 */
function seeded(seed: number, J: number, sigmaJob: number, ratio = 1, n = 10, sigmaRun = 0.02) {
  const rng = mulberry32(seed)
  const job = (shift: number, size: number): number[] => {
    const offset = sigmaJob * gaussian(rng)
    return Array.from(
      { length: size },
      () => 100 * Math.exp(shift + offset + sigmaRun * gaussian(rng))
    )
  }
  const stored = Array.from({ length: J }, () => job(0, n))
  return { stored, current: job(Math.log(ratio), n) }
}

/** Mean and sd of ln values, written out here rather than taken from the module. */
function logStats(values: number[]): JobSummary {
  const logs = values.map(Math.log)
  const m = logs.reduce((a, b) => a + b, 0) / logs.length
  const ss = logs.reduce((a, b) => a + (b - m) ** 2, 0)
  return { mean: m, n: logs.length, sd: Math.sqrt(ss / (logs.length - 1)) }
}

function input(
  history: JobSummary[],
  current: number[],
  extra: Partial<HistoryCompareInput> = {}
): HistoryCompareInput {
  return {
    benchmark: 'b',
    metric: 'm',
    unit: 'ms',
    direction: 'lower',
    class: 'core',
    thresholds: CORE,
    history,
    current,
    ...extra
  }
}

/** t₀.₉₅ by degrees of freedom (scipy.stats.t.ppf; the research note prints 2.132, 1.833). */
const T95: Record<number, number> = {
  4: 2.1318467863,
  8: 1.8595480375,
  9: 1.8331129327,
  13: 1.770933396,
  33: 1.692360309
}

describe('summarizeJob', () => {
  it('is the mean and sd of the log samples', () => {
    const values = [90, 100, 110, 95, 105]
    const s = summarizeJob(values)
    const expected = logStats(values)
    expect(s?.n).toBe(5)
    expect(s?.mean).toBeCloseTo(expected.mean, 14)
    expect(s?.sd).toBeCloseTo(expected.sd, 14)
  })

  it('screens a cold start out, as the two-sample rule does, and names a bad sample', () => {
    const s = summarizeJob([100, 101, 99, 100, 102, 98, 100, 500])
    expect(s?.n).toBe(7)
    expect(summarizeJob([])).toBeNull()
    expect(() => summarizeJob([1, -2])).toThrow(/sample #2 is -2/)
  })
})

describe('compareHistory', () => {
  it('shrinks the spread of the job centres toward the prior with ν₀ = 4 pseudo-jobs', () => {
    for (const [seed, J] of [
      [1, 5],
      [2, 10],
      [3, 30]
    ]) {
      const { stored, current } = seeded(seed, J, 0.03)
      const history = stored.map(logStats)
      const c = compareHistory(input(history, current, { runnerDrift: 0.05 }))
      // τ̂² = sample variance of the job means; τ̃² = (4·0.05² + (J − 1)τ̂²)/(4 + J − 1).
      const means = history.map((h) => h.mean)
      const mBar = means.reduce((a, b) => a + b, 0) / J
      const tauHat2 = means.reduce((a, b) => a + (b - mBar) ** 2, 0) / (J - 1)
      const tau2 = (4 * 0.05 ** 2 + (J - 1) * tauHat2) / (4 + J - 1)
      expect(c.jobs).toBe(J)
      expect(c.df).toBe(J + 3)
      expect(c.tauHat).toBeCloseTo(Math.sqrt(tauHat2), 12)
      expect(c.tau).toBeCloseTo(Math.sqrt(tau2), 12)
      expect(c.priorOnly).toBe(false)
      // Equal job sizes: V = σ_b² + σ_w²/n + τ̃²/J with σ_b² = τ̃² − σ_w²/n is τ̃²(1 + 1/J).
      const cur = logStats(current)
      const v = tau2 * (1 + 1 / J)
      const theta = cur.mean - mBar
      const t = T95[J + 3] ?? NaN
      if (Number.isFinite(t)) {
        expect(Math.log1p(c.ci?.[0] ?? NaN)).toBeCloseTo(theta - t * Math.sqrt(v), 5)
        expect(Math.log1p(c.ci?.[1] ?? NaN)).toBeCloseTo(theta + t * Math.sqrt(v), 5)
      }
      expect(Math.log1p(c.change ?? NaN)).toBeCloseTo(theta, 12)
    }
  })

  it('lets the prior carry the decision with one stored job', () => {
    const { stored, current } = seeded(4, 1, 0)
    const c = compareHistory(input([logStats(stored[0])], current))
    expect(c).toMatchObject({ jobs: 1, tauHat: null, df: 4, priorOnly: true, tau: 0.05 })
    // V = 2τ₀² with equal sizes: half-width t₀.₉₅,₄ · √2 · 0.05.
    const half = (Math.log1p(c.ci?.[1] ?? NaN) - Math.log1p(c.ci?.[0] ?? NaN)) / 2
    expect(half).toBeCloseTo(T95[4] * Math.SQRT2 * 0.05, 5)
    expect(c.reason).toMatch(/one stored job: the 5 % runner-drift prior carries the decision/)
  })

  it('uses σ_b² + σ_w²/n_new + τ̃²/J when this job has a different number of samples', () => {
    const { stored } = seeded(5, 5, 0.02)
    const { current } = seeded(6, 1, 0.02, 1, 40)
    const history = stored.map(logStats)
    const c = compareHistory(input(history, current))
    const J = 5
    const means = history.map((h) => h.mean)
    const mBar = means.reduce((a, b) => a + b, 0) / J
    const tauHat2 = means.reduce((a, b) => a + (b - mBar) ** 2, 0) / (J - 1)
    const tau2 = (4 * 0.05 ** 2 + (J - 1) * tauHat2) / (4 + J - 1)
    const cur = logStats(current)
    const all = [...history, cur]
    const within2 =
      all.reduce((a, h) => a + (h.n - 1) * h.sd ** 2, 0) / all.reduce((a, h) => a + h.n - 1, 0)
    const between2 = Math.max(0, tau2 - within2 / 10)
    const v = between2 + within2 / 40 + tau2 / J
    const half = (Math.log1p(c.ci?.[1] ?? NaN) - Math.log1p(c.ci?.[0] ?? NaN)) / 2
    expect(half).toBeCloseTo(T95[8] * Math.sqrt(v), 5)
  })

  it('estimates τ̂ by the MAD when asked, so one wild job does not widen everything', () => {
    const { stored, current } = seeded(7, 10, 0.01)
    const history = stored.map(logStats)
    history[3] = { ...history[3], mean: history[3].mean + 0.5 }
    const plain = compareHistory(input(history, current))
    const robust = compareHistory(input(history, current, { robust: true }))
    expect(robust.tauHat ?? NaN).toBeLessThan((plain.tauHat ?? NaN) / 3)
    const means = history.map((h) => h.mean).sort((a, b) => a - b)
    const med = (means[4] + means[5]) / 2
    const dev = means.map((m) => Math.abs(m - med)).sort((a, b) => a - b)
    expect(robust.tauHat).toBeCloseTo(1.4826 * ((dev[4] + dev[5]) / 2), 12)
  })

  it('passes an unchanged job, fails a large regression, and knows its resolution', () => {
    const same = seeded(8, 30, 0.01)
    const pass = compareHistory(input(same.stored.map(logStats), same.current))
    expect(pass.verdict).toBe('pass')
    const slow = seeded(8, 30, 0.01, 1.3)
    const fail = compareHistory(input(slow.stored.map(logStats), slow.current))
    expect(fail.verdict).toBe('fail')
    // resolution = max(τ_f, τ_w + t·√V) + z₀.₉·√V; with warn = fail it is τ + (t + 1.2816)·√V.
    const se = (Math.log1p(fail.ci?.[1] ?? NaN) - Math.log1p(fail.ci?.[0] ?? NaN)) / 2 / T95[33]
    expect(Math.log1p(fail.resolution)).toBeCloseTo(
      Math.log(1.05) + (T95[33] + 1.2815515655) * se,
      5
    )
    expect(fail.budgetBelowResolution).toBe(false)
  })

  it('says when the budget is finer than the history can resolve', () => {
    const { stored, current } = seeded(9, 2, 0.05)
    const c = compareHistory(input(stored.map(logStats), current))
    expect(c.budgetBelowResolution).toBe(true)
    expect(c.resolution).toBeGreaterThan(0.15)
    expect(c.reason).toMatch(/stored baselines on this runner can confirm regressions past \d/)
    expect(c.reason).toMatch(/\(ab: true\) would decide it$/)
  })

  it("gives the estimator's own centres: the geometric means that Δ compares", () => {
    for (const direction of ['lower', 'higher'] as const) {
      const { stored, current } = seeded(10, 5, 0.03, 1.07)
      const c = compareHistory(input(stored.map(logStats), current, { direction }))
      const { baseline, current: now } = c.centres ?? { baseline: NaN, current: NaN }
      expect(now / baseline - 1).toBeCloseTo(c.valueChange ?? NaN, 12)
      expect(c.baseline?.median).toBe(baseline)
    }
  })

  it('is neutral without stored jobs or with bad samples, and the gate takes it as it is', () => {
    const none = compareHistory(input([], [1, 2, 3]))
    expect(none.verdict).toBe('neutral')
    expect(none.reason).toMatch(/no stored job to compare with/)
    const bad = compareHistory(input([{ mean: 0, n: 5, sd: 0.1 }], [1, NaN]))
    expect(bad.reason).toBe('current sample #2 is NaN: samples must be finite numbers > 0')
    const slow = seeded(11, 30, 0.01, 1.3)
    expect(gate([compareHistory(input(slow.stored.map(logStats), slow.current))]).verdict).toBe(
      'fail'
    )
  })
})

describe('recentHistory', () => {
  it('keeps the jobs after the latest change point, and at most maxJobs of them', () => {
    const rng = mulberry32(12)
    const jobs: JobSummary[] = Array.from({ length: 40 }, (_, j) => ({
      mean: Math.log(100) + (j >= 25 ? Math.log(1.2) : 0) + 0.005 * gaussian(rng),
      n: 10,
      sd: 0.02
    }))
    const r = recentHistory(jobs)
    expect(r.cutAt).toBe(25)
    expect(r.jobs).toEqual(jobs.slice(25))
    expect(recentHistory(jobs, { maxJobs: 5 }).jobs).toEqual(jobs.slice(35))
    const flat = jobs.slice(0, 25)
    expect(recentHistory(flat)).toEqual({ jobs: flat.slice(-30), cutAt: null })
  })
})

describe('historySequentialLook', () => {
  const PLAN = { min: 5, max: 20, step: 5 }

  it('stops at once when more runs in this job could not decide the metric', () => {
    const { stored, current } = seeded(13, 1, 0.05, 1.08)
    const look = historySequentialLook([input([logStats(stored[0])], current.slice(0, 5))], 5, PLAN)
    const m = look.metrics[0]
    expect(m.comparison.inconclusive).toBe(true)
    expect(m.comparison.runsToDecide).toBeUndefined()
    expect(m.status).toBe('neutral')
    expect(look.stop).toBe(true)
    expect(look.reason).toBe(
      'after 5 runs in this job, every metric is decided or beyond what more runs could decide (1 metric)'
    )
  })

  it('adds runs when the within-job noise is what keeps the metric open', () => {
    // A steady runner (τ₀ 0.5 %) and a noisy metric: this job's few runs are the uncertainty.
    const { stored, current } = seeded(14, 30, 0, 1.03, 20, 0.1)
    const look = historySequentialLook(
      [input(stored.map(logStats), current.slice(0, 5), { runnerDrift: 0.005 })],
      5,
      PLAN
    )
    expect(look.metrics[0].status).toBe('open')
    expect(look.metrics[0].comparison.runsToDecide).toBeGreaterThan(5)
    expect(look).toMatchObject({ stop: false, nextRuns: 5 })
    expect(look.reason).toMatch(/still open after 5 runs in this job \(b\/m\): 5 more runs$/)
  })
})
