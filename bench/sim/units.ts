import { sequentialLook, type SamplingPlan } from '../../src/stats/adaptive.js'
import type { Thresholds } from '../../src/stats/types.js'
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
export type Scenario = Family | 'multi12' | 'adaptive'

export type Unit =
  | { kind: 'single'; family: Family; cv: number; from: number; to: number }
  | { kind: 'multi12'; from: number; to: number }
  /** The A/A adaptive cell at another fail budget, kept out of the rows. */
  | { kind: 'aside'; fail: number; from: number; to: number }

export interface Job {
  unit: Unit
  seed: number
  thresholds: Thresholds
}

export interface Tally {
  fails: number
  alerts: number
  runs: number
}
export type Tallies = Record<string, Tally>

export const keyOf = (
  rule: RuleName,
  scenario: Scenario | 'aside',
  cv: number,
  delta: number,
  n: number
): string => `${rule}|${scenario}|${cv}|${delta}|${n}`

function count(tallies: Tallies, key: string, v: FamilyVerdict, runs: number): void {
  const t = (tallies[key] ??= { fails: 0, alerts: 0, runs: 0 })
  if (v.anyFail) t.fails++
  if (v.anyAlert) t.alerts++
  t.runs += runs
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
    } else {
      // The same draws as the lognormal CV 5 % cell, so the two budgets meet the same noise.
      const d = draw('lognormal', 0.05, seedOf(seed, familyIndex('lognormal'), 1, trial))
      const [v, runs] = adaptive(d, 0, 20, { warn: thresholds.warn, fail: unit.fail })
      count(tallies, keyOf('perf-gate', 'aside', 0.05, 0, 20), v, runs)
    }
  }
  return tallies
}
