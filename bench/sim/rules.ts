import { mean, median, sampleVariance } from 'simple-statistics'
import { compareMetric, logBudget } from '../../src/stats/compare.js'
import { gate } from '../../src/stats/gate.js'
import { shiftTestP } from '../../src/stats/mann-whitney.js'
import { bhReject } from '../../src/stats/multiplicity.js'
import { tCdf, tQuantile } from '../../src/stats/student-t.js'
import type { Thresholds } from '../../src/stats/types.js'
import type { Arms } from './noise.js'

/*
 * The rules bench:decisions puts side by side. Each judges a family of metrics (one, or twelve in
 * `multi12`) and says whether any metric FAILs and whether any WARNs or FAILs. All use the same
 * warn/fail budgets; only how they decide differs.
 */

export type Verdict = 'pass' | 'warn' | 'fail'
export interface FamilyVerdict {
  anyFail: boolean
  anyAlert: boolean
}
export type Rule = (family: readonly Arms[], t: Thresholds) => FamilyVerdict

export const RULES = ['perf-gate', 'single-ratio', 'mean-ratio', 'mwu', 'oracle-t'] as const
export type RuleName = (typeof RULES)[number]

const ALPHA = 0.05

function summarize(verdicts: readonly Verdict[]): FamilyVerdict {
  return {
    anyFail: verdicts.includes('fail'),
    anyAlert: verdicts.some((v) => v !== 'pass')
  }
}

/** Relative change of a current/baseline ratio, positive = worse. */
function worse(ratio: number, arms: Arms): number {
  return arms.direction === 'lower' ? ratio - 1 : 1 - ratio
}

/** Magnitude-only verdict: what a ratio rule without any statistics does. */
function byMagnitude(change: number, t: Thresholds): Verdict {
  if (t.fail !== null && change > t.fail) return 'fail'
  return change > t.warn ? 'warn' : 'pass'
}

const perfGate: Rule = (family, t) => {
  const outcome = gate(
    family.map((a, i) =>
      compareMetric({
        benchmark: 'sim',
        metric: `m${i}`,
        unit: '',
        direction: a.direction,
        class: 'core',
        thresholds: t,
        current: a.current,
        baseline: a.baseline
      })
    )
  )
  return summarize(outcome.comparisons.map((c) => (c.verdict === 'neutral' ? 'pass' : c.verdict)))
}

/** github-action-benchmark: the newest value against the stored one. */
const singleRatio: Rule = (family, t) =>
  summarize(
    family.map((a) =>
      byMagnitude(worse((a.current.at(-1) ?? NaN) / (a.baseline.at(-1) ?? NaN), a), t)
    )
  )

const meanRatio: Rule = (family, t) =>
  summarize(family.map((a) => byMagnitude(worse(mean(a.current) / mean(a.baseline), a), t)))

/** benchstat: a two-sided Mann-Whitney p < 0.05, then the median ratio against the budgets. */
const mwu: Rule = (family, t) =>
  summarize(
    family.map((a) => {
      const up = shiftTestP(a.current, a.baseline, 0)
      const down = shiftTestP(a.baseline, a.current, 0)
      if (!(Math.min(1, 2 * Math.min(up, down)) < ALPHA)) return 'pass'
      return byMagnitude(worse(median(a.current) / median(a.baseline), a), t)
    })
  )

/**
 * Rule A with a Welch t interval on the log-badness instead of HL + Moses: the tightest interval
 * when the noise really is lognormal, so it bounds what any rule could reach on clean data. It
 * gets the same Benjamini–Hochberg step on WARN as perf-gate.
 */
const oracleT: Rule = (family, t) => {
  const judged = family.map((a) => {
    const sign = a.direction === 'lower' ? 1 : -1
    const y = a.current.map((v) => sign * Math.log(v))
    const x = a.baseline.map((v) => sign * Math.log(v))
    const vy = sampleVariance(y) / y.length
    const vx = sampleVariance(x) / x.length
    const se = Math.sqrt(vy + vx)
    const theta = mean(y) - mean(x)
    const tauWarn = logBudget(t.warn, a.direction)
    const tauFail = t.fail === null ? Infinity : logBudget(t.fail, a.direction)
    if (!(se > 0)) {
      const v: Verdict = theta > tauFail ? 'fail' : theta > tauWarn ? 'warn' : 'pass'
      return { verdict: v, pWarn: theta > 0 ? 0 : 1 }
    }
    const df = (vy + vx) ** 2 / (vy ** 2 / (y.length - 1) + vx ** 2 / (x.length - 1))
    const lo = theta - tQuantile(1 - ALPHA, df) * se
    const verdict: Verdict =
      lo > tauWarn && theta > tauFail ? 'fail' : theta > tauWarn && lo > 0 ? 'warn' : 'pass'
    return { verdict, pWarn: 1 - tCdf(theta / se, df) }
  })
  const keep = bhReject(
    judged.map((j) => j.pWarn),
    0.1
  )
  return summarize(judged.map((j, i) => (j.verdict === 'warn' && !keep[i] ? 'pass' : j.verdict)))
}

export const RULE_FNS: Record<RuleName, Rule> = {
  'perf-gate': perfGate,
  'single-ratio': singleRatio,
  'mean-ratio': meanRatio,
  mwu,
  'oracle-t': oracleT
}
