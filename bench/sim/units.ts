import { sequentialLook, type SamplingPlan } from '../../src/stats/adaptive.js'
import type { Thresholds } from '../../src/stats/types.js'
import { FAIL_AT_BINS, judgeJobs, prepare, type JobRuleName } from './job-rules.js'
import { drawJobs, JOB_SETTINGS, type JobScenario } from './jobs.js'
import { arms, draw, MULTI12_CV, multi12, seedOf, type Draw, type Family } from './noise.js'
import { RULE_FNS, RULES, type FamilyVerdict, type RuleName } from './rules.js'

/*
 * bench:decisions split into units of work that can run on any thread in any order: each unit
 * seeds every trial from (seed, unit, trial) and returns plain counts, so the merged result is the
 * same whatever the scheduling.
 */

export const CVS = [0.02, 0.05, 0.1, 0.3]
export const DELTAS = [0, 0.05, 0.1, 0.15]
export const SIZES = [5, 10, 20]
export const CAPS = [10, 20]
export const FAMILIES: ReadonlyArray<{ family: Family; cvs: number[] }> = [
  { family: 'lognormal', cvs: CVS },
  // Both have a σ = 0.05 lognormal core: CV 5 % before the spikes or the cold start.
  { family: 'heavy-tail', cvs: [0.05] },
  { family: 'cold-start', cvs: [0.05] }
]
export type Scenario = Family | 'multi12' | 'adaptive' | JobScenario
/** Run-to-run CVs of the between-job scenarios, and their true changes. */
export const JOB_CVS = [0.02, 0.05]
export const JOB_DELTAS = [0, 0.05, 0.1, 0.2]

export type Unit =
  | { kind: 'single'; family: Family; cv: number; from: number; to: number }
  | { kind: 'multi12'; from: number; to: number }
  /** The A/A adaptive cell at another fail budget, kept out of the rows. */
  | { kind: 'aside'; fail: number; from: number; to: number }
  /** A between-job setting (index into JOB_SETTINGS) at one CV. */
  | { kind: 'jobs'; setting: number; cv: number; from: number; to: number }

export interface Job {
  unit: Unit
  seed: number
  thresholds: Thresholds
}

export interface Tally {
  fails: number
  alerts: number
  runs: number
  /** Trials whose CI covered the true change (perf-gate-ab). */
  covered?: number
  /** Trials left inconclusive. */
  open?: number
  /** Sum of the printed resolutions, and of the stored jobs used (perf-gate-history). */
  resolution?: number
  jobsUsed?: number
  /** Histogram of the smallest change each A/A trial would FAIL at (perf-gate-history). */
  failAt?: number[]
}
export type Tallies = Record<string, Tally>

export const keyOf = (
  rule: RuleName | JobRuleName,
  scenario: Scenario | 'aside',
  cv: number,
  delta: number,
  n: number,
  sigmaJob = 0,
  jobs = 1
): string => `${rule}|${scenario}|${cv}|${delta}|${n}|${sigmaJob}|${jobs}`

function count(tallies: Tallies, key: string, v: FamilyVerdict, runs: number): Tally {
  const t = (tallies[key] ??= { fails: 0, alerts: 0, runs: 0 })
  if (v.anyFail) t.fails++
  if (v.anyAlert) t.alerts++
  t.runs += runs
  return t
}

/** Adds b into a, field by field (arrays element-wise): how workers' counts merge. */
export function addTally(a: Tally, b: Tally): void {
  a.fails += b.fails
  a.alerts += b.alerts
  a.runs += b.runs
  for (const k of ['covered', 'open', 'resolution', 'jobsUsed'] as const) {
    if (b[k] !== undefined) a[k] = (a[k] ?? 0) + b[k]
  }
  if (b.failAt) {
    const into = (a.failAt ??= new Array<number>(b.failAt.length).fill(0))
    b.failAt.forEach((c, i) => (into[i] += c))
  }
}

/** Our rule with sequential sampling: looks every 5 runs per arm from 5 up to `cap`. */
function adaptive(d: Draw, delta: number, cap: number, t: Thresholds): [FamilyVerdict, number] {
  const plan: SamplingPlan = { min: 5, max: cap, step: 5 }
  for (let runs = plan.min; ;) {
    const a = arms(d, runs, delta)
    const look = sequentialLook(
      [
        {
          benchmark: 'sim',
          metric: 'm',
          unit: '',
          direction: a.direction,
          class: 'core',
          thresholds: t,
          current: a.current,
          baseline: a.baseline
        }
      ],
      runs,
      plan
    )
    if (look.stop) {
      const v = look.outcome.verdict
      return [{ anyFail: v === 'fail', anyAlert: v === 'fail' || v === 'warn' }, runs]
    }
    runs += look.nextRuns
  }
}

function familyIndex(family: Family): number {
  return FAMILIES.findIndex((f) => f.family === family)
}

export function runJob({ unit, seed, thresholds }: Job): Tallies {
  const tallies: Tallies = {}
  for (let trial = unit.from; trial < unit.to; trial++) {
    if (unit.kind === 'single') {
      const { family, cv } = unit
      const d = draw(family, cv, seedOf(seed, familyIndex(family), CVS.indexOf(cv), trial))
      for (const delta of DELTAS) {
        for (const n of SIZES) {
          const a = [arms(d, n, delta)]
          for (const rule of RULES) {
            count(tallies, keyOf(rule, family, cv, delta, n), RULE_FNS[rule](a, thresholds), n)
          }
        }
        if (family !== 'lognormal') continue
        for (const cap of CAPS) {
          const [v, runs] = adaptive(d, delta, cap, thresholds)
          count(tallies, keyOf('perf-gate', 'adaptive', cv, delta, cap), v, runs)
        }
      }
    } else if (unit.kind === 'multi12') {
      for (const delta of DELTAS) {
        for (const n of SIZES) {
          // Same seed for every change and size: the twelve metrics differ only by them.
          const family = multi12(seedOf(seed, 99, trial), n, delta)
          for (const rule of RULES) {
            count(
              tallies,
              keyOf(rule, 'multi12', MULTI12_CV, delta, n),
              RULE_FNS[rule](family, thresholds),
              n
            )
          }
        }
      }
    } else if (unit.kind === 'jobs') {
      const setting = JOB_SETTINGS[unit.setting]
      const d = drawJobs(
        setting,
        unit.cv,
        seedOf(seed, 200 + unit.setting, JOB_CVS.indexOf(unit.cv), trial)
      )
      const prepared = prepare(d)
      for (const delta of JOB_DELTAS) {
        for (const o of judgeJobs(d, prepared, delta, thresholds)) {
          const key = keyOf(o.rule, setting.scenario, unit.cv, delta, o.n, setting.sigmaJob, o.jobs)
          const t = count(tallies, key, o.verdict, o.runs)
          if (o.covered !== undefined) t.covered = (t.covered ?? 0) + (o.covered ? 1 : 0)
          if (o.open !== undefined) t.open = (t.open ?? 0) + (o.open ? 1 : 0)
          if (o.resolution !== undefined) t.resolution = (t.resolution ?? 0) + o.resolution
          if (o.jobsUsed !== undefined) t.jobsUsed = (t.jobsUsed ?? 0) + o.jobsUsed
          if (o.failAt !== undefined) {
            ;(t.failAt ??= new Array<number>(FAIL_AT_BINS).fill(0))[o.failAt]++
          }
        }
      }
    } else {
      // The same draws as the lognormal CV 5 % cell, so the two budgets meet the same noise.
      const d = draw('lognormal', 0.05, seedOf(seed, familyIndex('lognormal'), 1, trial))
      const [v, runs] = adaptive(d, 0, 20, { warn: thresholds.warn, fail: unit.fail })
      count(tallies, keyOf('perf-gate', 'aside', 0.05, 0, 20), v, runs)
    }
  }
  return tallies
}
