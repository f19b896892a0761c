import { mean, median } from 'simple-statistics'
import { pairedSequentialLook } from '../../src/stats/adaptive.js'
import { compareMetric } from '../../src/stats/compare.js'
import { gate } from '../../src/stats/gate.js'
import {
  compareHistory,
  recentHistory,
  summarizeJob,
  type JobSummary
} from '../../src/stats/history-rule.js'
import { exactUCdf, mannWhitneyU, normalUCdf } from '../../src/stats/mann-whitney.js'
import { comparePaired, PAIRED_PLAN } from '../../src/stats/paired.js'
import { tQuantile } from '../../src/stats/student-t.js'
import type { MetricComparison, Thresholds } from '../../src/stats/types.js'
import { logBudget } from '../../src/stats/verdict.js'
import { HISTORY, PAIRS, RUNS, type JobDraw } from './jobs.js'
import type { FamilyVerdict } from './rules.js'

/*
 * The rules bench:decisions puts side by side on between-job data (jobs.ts): today's rule and the
 * single ratio against the newest stored job, Bencher's t test over stored per-run values, the
 * history-aware rule over J stored jobs, the paired A/B rule, and asv's and Pinpoint's tests on
 * the same A/B job's samples, pooled as those tools pool them.
 */

export const JOB_RULES = [
  'perf-gate',
  'single-ratio',
  'bencher-t',
  'perf-gate-history',
  'perf-gate-ab',
  'asv',
  'pinpoint'
] as const
export type JobRuleName = (typeof JOB_RULES)[number]

/** Stored jobs the history rule is given. */
export const JS = [1, 2, 5, 10, 30]
/** Bencher's how-to: a max sample size of 64 stored values, upper boundary 0.99. */
export const BENCHER_VALUES = 64
const BENCHER_BOUNDARY = 0.99
export const BENCHER_JOBS = Math.ceil(BENCHER_VALUES / RUNS)
/** asv: `--factor 1.1` and a two-sided Mann-Whitney p below 0.002. */
const ASV_FACTOR = 1.1
const ASV_P = 0.002
/** Pinpoint: DIFFERENT when min(KS p, MWU p) ≤ 0.01. */
const PINPOINT_P = 0.01
/** The history rule's FAIL threshold is recorded on a grid of 0.25 % up to +100 %. */
export const FAIL_AT_STEP = 0.0025
export const FAIL_AT_BINS = 401

export interface JobOutcome {
  rule: JobRuleName
  /** Visits per arm (stored designs), or pairs (A/B: 10 fixed; 20 = 10 extended once to 20). */
  n: number
  jobs: number
  verdict: FamilyVerdict
  runs: number
  covered?: boolean
  open?: boolean
  resolution?: number
  jobsUsed?: number
  /** History rule at Δ = 0: the smallest relative change this trial would FAIL (its bin). */
  failAt?: number
}

function family(c: MetricComparison): FamilyVerdict {
  const v = gate([c]).comparisons[0].verdict
  return { anyFail: v === 'fail', anyAlert: v === 'fail' || v === 'warn' }
}

const alarm = (on: boolean): FamilyVerdict => ({ anyFail: on, anyAlert: on })

const exp = (a: ArrayLike<number>, shift = 0): number[] => Array.from(a, (v) => Math.exp(v + shift))

function metric(t: Thresholds) {
  return {
    benchmark: 'sim',
    metric: 'm',
    unit: '',
    direction: 'lower',
    class: 'core',
    thresholds: t
  } as const
}

/** Two-sided Mann-Whitney p: exact while the larger arm has ≤ 20 values (asv), normal beyond. */
function mwuTwoSided(y: readonly number[], x: readonly number[]): number {
  const n = y.length
  const m = x.length
  const u = mannWhitneyU(y, x)
  const cdf = Math.max(n, m) <= 20 ? exactUCdf(n, m) : normalUCdf(n, m)
  return Math.min(1, 2 * Math.min(cdf(n * m - u), cdf(u)))
}

/** Two-sample Kolmogorov-Smirnov p from the asymptotic distribution with Stephens' correction. */
export function ksTwoSided(y: readonly number[], x: readonly number[]): number {
  const a = [...y].sort((p, q) => p - q)
  const b = [...x].sort((p, q) => p - q)
  let i = 0
  let j = 0
  let d = 0
  while (i < a.length && j < b.length) {
    const v = Math.min(a[i], b[j])
    while (i < a.length && a[i] <= v) i++
    while (j < b.length && b[j] <= v) j++
    d = Math.max(d, Math.abs(i / a.length - j / b.length))
  }
  const en = Math.sqrt((a.length * b.length) / (a.length + b.length))
  const lambda = (en + 0.12 + 0.11 / en) * d
  if (lambda < 1.1e-16) return 1
  let p = 0
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda)
    p += (k % 2 === 1 ? 1 : -1) * term
    if (term <= 1e-16 * p) break
  }
  return Math.min(1, Math.max(0, 2 * p))
}

const bencherTs = new Map<number, number>()
const bencherT = (df: number): number => {
  let t = bencherTs.get(df)
  if (t === undefined) bencherTs.set(df, (t = tQuantile(BENCHER_BOUNDARY, df)))
  return t
}

/** What a draw gives every Δ alike: the stored jobs' summaries, cut, and Bencher's history. */
export interface Prepared {
  cut: JobSummary[]
  bencherMean: number
  bencherBound: number
}

export function prepare(d: JobDraw): Prepared {
  const summaries = d.stored.map((runs) => summarizeJob(exp(runs)) as JobSummary)
  const { jobs: cut } = recentHistory(summaries)
  // Newest first, as Bencher reads them: the newest job's runs, then the one before, …
  const values: number[] = []
  for (let j = HISTORY - 1; j >= 0 && values.length < BENCHER_VALUES; j--) {
    const runs = exp(d.stored[j]).reverse()
    values.push(...runs.slice(0, BENCHER_VALUES - values.length))
  }
  const m = mean(values)
  const sd = Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (values.length - 1))
  const n = values.length
  const bound = m + bencherT(n - 1) * sd * Math.sqrt(1 + 1 / n)
  return { cut, bencherMean: m, bencherBound: bound }
}

/** The paired sequential design: 10 pairs, extended once to 20 while the metric is open. */
function sequentialAb(base: number[], head: number[], t: Thresholds) {
  for (let n: number = PAIRED_PLAN.min; ;) {
    const look = pairedSequentialLook(
      [{ ...metric(t), baseline: base.slice(0, n), current: head.slice(0, n) }],
      n,
      PAIRED_PLAN
    )
    if (look.stop) return { look, pairs: n }
    n += look.nextRuns
  }
}

function covers(c: MetricComparison, theta: number): boolean {
  return c.ci !== null && Math.log1p(c.ci[0]) <= theta && theta <= Math.log1p(c.ci[1])
}

export function judgeJobs(d: JobDraw, p: Prepared, delta: number, t: Thresholds): JobOutcome[] {
  const shift = Math.log1p(delta)
  const out: JobOutcome[] = []
  const current = exp(d.current, shift)
  const newest = exp(d.stored[HISTORY - 1])

  const today = compareMetric({ ...metric(t), current, baseline: newest })
  out.push({ rule: 'perf-gate', n: RUNS, jobs: 1, verdict: family(today), runs: RUNS })

  const ratio = (current.at(-1) ?? NaN) / (newest.at(-1) ?? NaN) - 1
  const single: FamilyVerdict = {
    anyFail: t.fail !== null && ratio > t.fail,
    anyAlert: ratio > t.warn || (t.fail !== null && ratio > t.fail)
  }
  out.push({ rule: 'single-ratio', n: RUNS, jobs: 1, verdict: single, runs: RUNS })

  out.push({
    rule: 'bencher-t',
    n: RUNS,
    jobs: BENCHER_JOBS,
    verdict: alarm(mean(current) > p.bencherBound),
    runs: RUNS
  })

  const tauWarn = logBudget(t.warn, 'lower')
  const tauFail = t.fail === null ? Infinity : logBudget(t.fail, 'lower')
  for (const J of JS) {
    const history = p.cut.slice(Math.max(0, p.cut.length - J))
    const c = compareHistory({ ...metric(t), history, current })
    const o: JobOutcome = {
      rule: 'perf-gate-history',
      n: RUNS,
      jobs: J,
      verdict: family(c),
      runs: RUNS,
      open: c.inconclusive,
      resolution: c.resolution,
      jobsUsed: history.length
    }
    if (delta === 0 && c.ci !== null && c.change !== null) {
      // FAIL ⇔ θ̂ + ln(1 + δ) > max(τ_f, τ_w + t·√V); V does not move with δ.
      const theta = Math.log1p(c.change)
      const half = theta - Math.log1p(c.ci[0])
      const needed = Math.max(tauFail, tauWarn + half) - theta
      const bin = Math.ceil(Math.max(0, Math.expm1(needed)) / FAIL_AT_STEP)
      o.failAt = Math.min(FAIL_AT_BINS - 1, bin)
    }
    out.push(o)
  }

  const base = exp(d.base)
  const head = exp(d.head, shift)
  const fixed = comparePaired({
    ...metric(t),
    baseline: base.slice(0, PAIRS),
    current: head.slice(0, PAIRS)
  })
  out.push({
    rule: 'perf-gate-ab',
    n: PAIRS,
    jobs: 0,
    verdict: family(fixed),
    runs: PAIRS,
    covered: covers(fixed, shift),
    open: fixed.inconclusive
  })
  const seq = sequentialAb(base, head, t)
  const seqC = seq.look.outcome.comparisons[0]
  const v = seq.look.outcome.verdict
  out.push({
    rule: 'perf-gate-ab',
    n: PAIRED_PLAN.max,
    jobs: 0,
    verdict: { anyFail: v === 'fail', anyAlert: v === 'fail' || v === 'warn' },
    runs: seq.pairs,
    covered: covers(seqC, shift),
    open: seq.look.metrics[0].status === 'open'
  })

  const basePool = Array.from(d.basePool)
  const headPool = Array.from(d.headPool, (v) => v + shift)
  const worse = median(headPool) - median(basePool)
  const asvP = mwuTwoSided(headPool, basePool)
  out.push({
    rule: 'asv',
    n: PAIRS,
    jobs: 0,
    verdict: alarm(Math.exp(worse) > ASV_FACTOR && asvP < ASV_P),
    runs: PAIRS
  })
  const pinP = Math.min(ksTwoSided(headPool, basePool), asvP)
  out.push({
    rule: 'pinpoint',
    n: PAIRS,
    jobs: 0,
    verdict: alarm(pinP <= PINPOINT_P && worse > 0),
    runs: PAIRS
  })
  return out
}
