import { describe, expect, it } from '@jest/globals'
import { storedSequentialLook } from '../../src/stats/adaptive.js'
import {
  compareResultSets,
  lookAt,
  type CompareOptions,
  type StoredHistory
} from '../../src/stats/compare-sets.js'
import { compareHistory, summarizeJob } from '../../src/stats/history-rule.js'
import type { ResultSet } from '../../src/results/model.js'
import { gaussian, lognormal, mulberry32 } from '../helpers/random.js'
import { resultSet, timeBench } from '../helpers/results.js'

/*
 * The history-aware rule as the gate runs it: stored result sets become jobs, per metric, after
 * the fingerprint screen and the change-point cut, and the comparisons carry what the rule used.
 */

const CORE = { warn: 0.05, fail: 0.05 }

/**
 * `jobs` stored result sets and a current one: each job's level is 100 × e^(offset) with offsets
 * N(0, sigmaJob) (plus `step` from job `stepAt` on), 10 runs of CV 2 % around it. The current job
 * is `ratio` × 100 with its own offset `currentOffset`.
 */
function seededHistory(
  seed: number,
  jobs: number,
  sigmaJob: number,
  opts: { ratio?: number; currentOffset?: number; step?: number; stepAt?: number } = {}
) {
  const rng = mulberry32(seed)
  const set = (level: number, i: number): ResultSet =>
    resultSet([timeBench('work', lognormal(rng, 10, level, 0.02))], {
      commit: { sha: i.toString(16).padStart(40, '0') },
      createdAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString()
    })
  const stored = Array.from({ length: jobs }, (_, i) => {
    const step = opts.stepAt !== undefined && i >= opts.stepAt ? (opts.step ?? 0) : 0
    return set(100 * Math.exp(sigmaJob * gaussian(rng) + step), i)
  })
  const current = set(100 * (opts.ratio ?? 1) * Math.exp(opts.currentOffset ?? 0), jobs)
  return { stored, current }
}

function history(sets: ResultSet[], over: Partial<StoredHistory> = {}): CompareOptions {
  return { history: { sets, runnerDrift: 0.05, ...over } }
}

describe('compareResultSets with stored jobs (the history-aware rule)', () => {
  it('uses every stored job, shrinks their spread toward runner-drift and says so', () => {
    for (const J of [3, 10, 30]) {
      const { stored, current } = seededHistory(J, J, 0.03)
      const out = compareResultSets(stored[J - 1], current, history(stored))
      const c = out.comparisons[0]
      expect(c.history).toMatchObject({
        jobs: J,
        found: J,
        beforeChangePoint: 0,
        runnerDrift: 0.05
      })
      // The same numbers as the rule applied by hand to the jobs' summaries.
      const jobs = stored.map((s) => summarizeJob(s.benchmarks[0].metrics[0].samples))
      const direct = compareHistory({
        benchmark: 'work',
        metric: 'time',
        unit: 'ms',
        direction: 'lower',
        class: 'core',
        thresholds: CORE,
        history: jobs.filter((j) => j !== null),
        current: current.benchmarks[0].metrics[0].samples,
        runnerDrift: 0.05,
        minSamples: 5
      })
      expect(c.history?.tau).toBeCloseTo(direct.tau, 12)
      expect(c.ci).toEqual(direct.ci)
      // τ̃² = (ν₀τ₀² + (J − 1)τ̂²)/(ν₀ + J − 1) with ν₀ = 4.
      const tauHat = c.history?.tauHat ?? NaN
      expect(c.history?.tau).toBeCloseTo(
        Math.sqrt((4 * 0.05 ** 2 + (J - 1) * tauHat ** 2) / (4 + J - 1)),
        12
      )
      expect(c.history?.df).toBe(J + 3)
      expect(c.history?.priorOnly).toBe(false)
    }
  })

  it('does not fail an unchanged job that drifted, where the within-job rule fails it', () => {
    // Ten stored jobs of a runner drifting 5 % from job to job; this job of the same code landed
    // 9 % slow. Its own runs agree closely, so the two-sample rule calls it a regression.
    const { stored, current } = seededHistory(21, 10, 0.05, { currentOffset: Math.log(1.09) })
    const old = compareResultSets(stored[9], current)
    expect(old.verdict).toBe('fail')
    const drift0 = compareResultSets(stored[9], current, history(stored, { runnerDrift: 0 }))
    expect(drift0).toEqual(old)
    const now = compareResultSets(stored[9], current, history(stored))
    // Δ +10.8 % against the stored jobs' centre: past the warn budget, but the interval that
    // includes the runner's drift reaches back to +2 %, far from confirming a regression.
    expect(now.verdict).toBe('warn')
    expect(now.comparisons[0].ci?.[0]).toBeLessThan(0.05)
    expect(now.comparisons[0].history?.jobs).toBe(10)
  })

  it('still fails a large regression', () => {
    const { stored, current } = seededHistory(22, 10, 0.03, { ratio: 1.4 })
    const out = compareResultSets(stored[9], current, history(stored))
    expect(out.verdict).toBe('fail')
    expect(out.comparisons[0].history?.budgetBelowResolution).toBe(true)
  })

  it('lets the prior carry a single stored job, and says so', () => {
    const { stored, current } = seededHistory(23, 1, 0)
    const c = compareResultSets(stored[0], current, history(stored)).comparisons[0]
    expect(c.history).toMatchObject({ jobs: 1, priorOnly: true, tauHat: null, tau: 0.05 })
    expect(c.reason).toContain('one stored job: the 5 % runner-drift prior carries the decision')
  })

  it('leaves out the jobs before the latest change point in the stored series', () => {
    // A lasting +25 % landed on the base branch at job 12 of 24.
    const { stored, current } = seededHistory(24, 24, 0.01, {
      step: Math.log(1.25),
      stepAt: 12,
      ratio: 1.25
    })
    const c = compareResultSets(stored[23], current, history(stored)).comparisons[0]
    expect(c.history).toMatchObject({ found: 24, jobs: 12, beforeChangePoint: 12 })
    // Centred on the new regime, this job (at it) passes; across both it would read as a change.
    expect(c.verdict).toBe('pass')
  })

  it('keeps at most maxJobs, the newest', () => {
    const { stored, current } = seededHistory(25, 40, 0.02)
    const c = compareResultSets(stored[39], current, history(stored)).comparisons[0]
    expect(c.history).toMatchObject({ found: 40, jobs: 30 })
    const five = compareResultSets(stored[39], current, history(stored, { maxJobs: 5 }))
    expect(five.comparisons[0].history?.jobs).toBe(5)
  })

  it('uses only the stored jobs the fingerprint screen lets stand for the benchmark', () => {
    const { stored, current } = seededHistory(26, 8, 0.02)
    const usable = (i: number, benchmark: string) => benchmark === 'work' && i % 2 === 1
    const c = compareResultSets(stored[7], current, history(stored, { usable })).comparisons[0]
    expect(c.history?.found).toBe(4)
  })

  it("falls back to the two-sample rule's reason when no stored job has readable samples", () => {
    const bad = resultSet([timeBench('work', [0, 0, 0, 0, 0])])
    const { current } = seededHistory(27, 1, 0)
    const c = compareResultSets(bad, current, history([bad])).comparisons[0]
    expect(c.verdict).toBe('neutral')
    expect(c.reason).toMatch(/^baseline sample #1 is 0/)
    expect(c.history).toBeUndefined()
  })
})

describe('adaptive looks against stored jobs', () => {
  const PLAN = { min: 5, max: 20, step: 5 }

  it('stops at the first look a metric that only the stored jobs keep open', () => {
    // One stored job: ±15 % is what the prior allows, so a +12 % job stays open however many
    // runs this job adds, and the looks stop rather than running to the cap.
    const { stored, current } = seededHistory(28, 1, 0, { ratio: 1.12 })
    const look = lookAt(stored[0], current.benchmarks, 5, PLAN, history(stored))
    expect(look.metrics[0].status).toBe('neutral')
    expect(look.reason).toMatch(/beyond what more runs could decide \(1 metric\)$/)
    expect(look.stop).toBe(true)
    expect(look.outcome.comparisons[0].inconclusive).toBe(true)
  })

  it('adds runs while this job is too short, and judges unchanged jobs clear', () => {
    const { stored, current } = seededHistory(29, 10, 0.01)
    const three = { ...current.benchmarks[0] }
    three.metrics = [{ ...three.metrics[0], samples: three.metrics[0].samples.slice(0, 3) }]
    const short = lookAt(stored[9], [three], 5, PLAN, history(stored))
    expect(short.metrics[0].status).toBe('open')
    const full = lookAt(stored[9], current.benchmarks, 10, PLAN, history(stored))
    expect(full.metrics[0].status).toBe('clear')
  })

  it('is the two-sample look with runner-drift 0', () => {
    const { stored, current } = seededHistory(30, 3, 0.02)
    const zero = lookAt(
      stored[2],
      current.benchmarks,
      10,
      PLAN,
      history(stored, { runnerDrift: 0 })
    )
    const plain = lookAt(stored[2], current.benchmarks, 10, PLAN)
    expect(zero).toEqual(plain)
    expect(zero.metrics[0].comparison.history).toBeUndefined()
  })

  it('mixes both rules in one look', () => {
    const { stored, current } = seededHistory(31, 4, 0.02)
    const look = storedSequentialLook(
      [
        {
          benchmark: 'a',
          metric: 'm',
          unit: 'ms',
          direction: 'lower',
          class: 'core',
          thresholds: CORE,
          baseline: stored[3].benchmarks[0].metrics[0].samples,
          current: current.benchmarks[0].metrics[0].samples
        },
        {
          benchmark: 'b',
          metric: 'm',
          unit: 'ms',
          direction: 'lower',
          class: 'core',
          thresholds: CORE,
          history: stored.map((s) => summarizeJob(s.benchmarks[0].metrics[0].samples)!),
          current: current.benchmarks[0].metrics[0].samples
        }
      ],
      10,
      PLAN
    )
    expect(look.metrics.map((m) => m.comparison.history === undefined)).toEqual([true, false])
  })
})
