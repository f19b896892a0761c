import { coefficientOfVariation, mean, median, medianAbsoluteDeviation } from 'simple-statistics'
import type { Direction, MetricClass } from '../results/model.js'
import { detectChangePoints, type ChangePointOptions } from './change-points.js'
import { neutralComparison } from './compare.js'
import { plural } from '../shared/text.js'
import { budgetPct } from './format.js'
import { madScreen } from './outliers.js'
import { MAX_ADVISED_RUNS, UNDECIDABLE_HELP } from './planning.js'
import { normalQuantile, tCdf, tQuantile } from './student-t.js'
import type { ArmSummary, MetricComparison, Thresholds } from './types.js'
import { judgeShift, logBudget, relativeChange, withJudgement } from './verdict.js'

/*
 * Rule B: the current job against the stored baselines of the last J jobs, with the job as the
 * unit of replication. A runner drifts from one job to the next, so the two-sample rule (samples
 * of one stored job against samples of this one) reads that drift as change. Here the job means
 * of ln values follow the one-way random-effects model ln y_jk = μ + b_j + e_jk:
 *
 *   τ² = Var(job mean) = σ_b² + σ_w²/n, estimated from the stored job means (τ̂²) and shrunk toward
 *   a prior τ₀ (`runner-drift`) worth ν₀ pseudo-jobs — the scaled-inverse-χ² conjugate prior
 *   (Gelman et al., BDA3 §3.2–3.3), so the predictive is Student t with df = ν₀ + J − 1:
 *     τ̃² = (ν₀τ₀² + (J − 1)τ̂²)/(ν₀ + J − 1)
 *   Var(m_new − m̄) = σ_b² + σ_w²/n_new + τ̃²/J,   σ_b² = max(0, τ̃² − σ_w²/n̄)
 *   which is τ̃²(1 + 1/J) when the new job has as many samples as the stored ones.
 *
 * The 90 % interval Δ̂ ± t·√V is judged by the same budgets as the other rules (verdict.ts). With
 * one stored job τ̂ does not exist and the prior alone carries the decision (`priorOnly`).
 */

/** One stored job of one metric: what Rule B keeps per job instead of its samples. */
export interface JobSummary {
  /** Mean of ln(sample) over the job's samples after the MAD screen. */
  mean: number
  /** Samples behind `mean`. */
  n: number
  /** Within-job sample sd of ln(sample); 0 when n < 2. */
  sd: number
}

/** Prior spread of job centres (sd of ln job mean) when the config sets no `runner-drift`. */
export const DEFAULT_RUNNER_DRIFT = 0.05
/** Pseudo-jobs the prior is worth. */
export const DEFAULT_PRIOR_JOBS = 4
/** Stored jobs used at most. */
export const DEFAULT_MAX_JOBS = 30
/** Power the printed resolution is for: the regression FAILed 9 times in 10. */
const RESOLUTION_POWER = 0.9
/** Power "runs to decide" aims for, as in planning.ts. */
const DECIDE_POWER = 0.8

/**
 * A job's summary from its samples (values > 0, in the metric's units): the same MAD screen on
 * log values as the two-sample rule, then the mean and sd of the kept logs. Throws on a sample
 * that is not a finite positive number, naming it; null for no samples.
 */
export function summarizeJob(values: readonly number[]): JobSummary | null {
  return screenJob(values).job
}

interface ScreenedJob {
  job: JobSummary | null
  /** What the two-sample rule reports of an arm: the kept values' median, CV and the dropped. */
  arm: ArmSummary | null
}

function screenJob(values: readonly number[]): ScreenedJob {
  values.forEach((v, i) => {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new RangeError(`sample #${i + 1} is ${v}: samples must be finite numbers > 0`)
    }
  })
  if (values.length === 0) return { job: null, arm: null }
  const screen = madScreen(values.map(Math.log))
  const kept = screen.kept
  const m = mean(kept)
  const n = kept.length
  const ss = kept.reduce((acc, v) => acc + (v - m) ** 2, 0)
  const used = screen.keptIndices.map((i) => values[i])
  return {
    job: { mean: m, n, sd: n >= 2 ? Math.sqrt(ss / (n - 1)) : 0 },
    arm: {
      n,
      median: median(used),
      dropped: screen.dropped.map((d) => values[d.index]),
      cv: n >= 2 ? coefficientOfVariation(used) : null
    }
  }
}

/** t quantiles by (p, df): a gate asks for the same few many times, and each costs a root search. */
const tCache = new Map<string, number>()
function tq(p: number, df: number): number {
  const key = `${p}|${df}`
  let t = tCache.get(key)
  if (t === undefined) {
    t = tQuantile(p, df)
    tCache.set(key, t)
  }
  return t
}

export interface RecentHistory {
  /** The jobs to use, oldest first: after the latest change point, at most `maxJobs`. */
  jobs: JobSummary[]
  /** Index (into the input) of the first job of the latest regime, null when none was found. */
  cutAt: number | null
}

/**
 * The stored jobs Rule B may use: the latest regime of the series (change points by
 * change-points.ts on the job centres, oldest first), then its last `maxJobs` jobs. A regression
 * that landed on the base branch mid-history would otherwise inflate τ̂ and centre the history
 * between two regimes.
 */
export function recentHistory(
  jobs: readonly JobSummary[],
  opts: { maxJobs?: number; changePoints?: ChangePointOptions } = {}
): RecentHistory {
  const maxJobs = opts.maxJobs ?? DEFAULT_MAX_JOBS
  if (!(Number.isInteger(maxJobs) && maxJobs >= 1)) {
    throw new RangeError(`maxJobs must be an integer ≥ 1, got ${maxJobs}`)
  }
  const points = detectChangePoints(
    jobs.map((j) => Math.exp(j.mean)),
    opts.changePoints
  )
  const cutAt = points.length > 0 ? points[points.length - 1].index : null
  const regime = jobs.slice(cutAt ?? 0)
  return { jobs: regime.slice(Math.max(0, regime.length - maxJobs)), cutAt }
}

export interface HistoryCompareInput {
  benchmark: string
  metric: string
  unit: string
  direction: Direction
  class: MetricClass
  /** Relative budgets as fractions (0.05 = 5 %). */
  thresholds: Thresholds
  /** The stored jobs, oldest first, already cut by `recentHistory`. */
  history: readonly JobSummary[]
  /** This job's samples, in the metric's units. */
  current: readonly number[]
  /**
   * The prior τ₀: sd of ln(job centre) from one job to the next on this runner (`runner-drift`;
   * 0.05 reads as "about 5 %"). Default 0.05.
   */
  runnerDrift?: number
  /** ν₀, the pseudo-jobs the prior is worth. Default 4. */
  priorJobs?: number
  /** Estimate τ̂ by 1.4826·MAD of the job centres instead of their sd. Default false. */
  robust?: boolean
  /** Fewest samples in this job, after the screen. Default 1 (the within-job noise is pooled). */
  minSamples?: number
  /** One-sided level: the interval is (1 − 2·alpha) two-sided. Default 0.05 (90 %). */
  alpha?: number
  /** One-sided level of the FAIL test. Default `alpha`. */
  failAlpha?: number
}

/** A Rule B comparison: the shared shape plus what the history could resolve. */
export interface HistoryComparison extends MetricComparison {
  /** Stored jobs used (J). */
  jobs: number
  /** The shrunk job-to-job spread τ̃ (sd of ln job centre, reads as a fraction). */
  tau: number
  /** τ̂ from the stored jobs alone; null with fewer than 2. */
  tauHat: number | null
  /** Degrees of freedom of the t interval, ν₀ + J − 1. */
  df: number
  /**
   * The smallest regression (relative, positive = worse) this history FAILs 9 times in 10: the
   * FAIL threshold max(τ_fail, τ_warn + t·√V) plus z₀.₉·√V, read as a relative change. Against
   * the warn budget for a metric that cannot fail.
   */
  resolution: number
  /**
   * The budget is finer than the history can resolve: the interval's half-width t·√V exceeds the
   * budget (so even a coin-flip detection needs twice the budget). A/B would gate it.
   */
  budgetBelowResolution: boolean
  /** One stored job: τ̂ does not exist and the runner-drift prior carries the decision. */
  priorOnly: boolean
}

function checkOptions(input: HistoryCompareInput, o: Required<Levels>): void {
  const { warn, fail } = input.thresholds
  if (!(Number.isFinite(warn) && warn >= 0)) {
    throw new RangeError(`warn threshold must be a fraction ≥ 0, got ${warn}`)
  }
  if (fail !== null && !(Number.isFinite(fail) && fail >= 0)) {
    throw new RangeError(`fail threshold must be a fraction ≥ 0 or null, got ${fail}`)
  }
  if (!(o.alpha > 0 && o.alpha < 0.5)) {
    throw new RangeError(`alpha must be in (0, 0.5), got ${o.alpha}`)
  }
  if (!(o.failAlpha > 0 && o.failAlpha < 0.5)) {
    throw new RangeError(`failAlpha must be in (0, 0.5), got ${o.failAlpha}`)
  }
  if (!(Number.isFinite(o.runnerDrift) && o.runnerDrift >= 0)) {
    throw new RangeError(`runner-drift must be a fraction ≥ 0, got ${o.runnerDrift}`)
  }
  if (!(Number.isFinite(o.priorJobs) && o.priorJobs > 0)) {
    throw new RangeError(`priorJobs must be > 0, got ${o.priorJobs}`)
  }
  if (!(Number.isInteger(o.minSamples) && o.minSamples >= 1)) {
    throw new RangeError(`minSamples must be an integer ≥ 1, got ${o.minSamples}`)
  }
}

interface Levels {
  alpha?: number
  failAlpha?: number
  runnerDrift?: number
  priorJobs?: number
  minSamples?: number
}

function invalidJob(history: readonly JobSummary[]): string | null {
  for (let j = 0; j < history.length; j++) {
    const { mean: m, n, sd } = history[j]
    if (!(Number.isFinite(m) && Number.isInteger(n) && n >= 1 && Number.isFinite(sd) && sd >= 0)) {
      return `stored job #${j + 1} has an invalid summary (mean ${m}, n ${n}, sd ${sd})`
    }
  }
  return null
}

/** P(T > x) for Student t, with a degenerate interval (V = 0) read as certainty. */
function upperT(x: number, df: number): number {
  if (Number.isNaN(x)) return 1
  return tCdf(-x, df)
}

/**
 * Rule B on one metric: this job's samples against the stored jobs' summaries. Bad data, no
 * stored job or too few samples give `neutral` with the reason; only invalid options throw.
 */
export function compareHistory(input: HistoryCompareInput): HistoryComparison {
  const o: Required<Levels> = {
    alpha: input.alpha ?? 0.05,
    failAlpha: input.failAlpha ?? input.alpha ?? 0.05,
    runnerDrift: input.runnerDrift ?? DEFAULT_RUNNER_DRIFT,
    priorJobs: input.priorJobs ?? DEFAULT_PRIOR_JOBS,
    minSamples: input.minSamples ?? 1
  }
  checkOptions(input, o)
  const { direction, thresholds, history } = input
  const J = history.length
  const df = o.priorJobs + Math.max(0, J - 1)
  const nothing = {
    jobs: J,
    tau: o.runnerDrift,
    tauHat: null,
    df,
    resolution: NaN,
    budgetBelowResolution: false,
    priorOnly: J === 1
  }
  const neutral = (reason: string, current: ArmSummary | null = null): HistoryComparison => ({
    ...neutralComparison(input, reason, null, current),
    ...nothing
  })

  const badJob = invalidJob(history)
  if (badJob) return neutral(badJob)
  let screened: ScreenedJob
  try {
    screened = screenJob(input.current)
  } catch (e) {
    return neutral(`current ${(e as Error).message}`)
  }
  if (J === 0)
    return neutral('no stored job to compare with: same-job A/B (ab: true) would gate it')
  const { job, arm: current } = screened
  if (job === null || job.n < o.minSamples) {
    return neutral(
      `need ≥ ${plural(o.minSamples, 'sample')} in this job, have ${job?.n ?? 0}`,
      current
    )
  }

  // Log-badness: larger is worse in both directions.
  const sign = direction === 'lower' ? 1 : -1
  const centres = history.map((h) => sign * h.mean)
  const centre = mean(centres)
  let tauHat2: number | null = null
  if (J >= 2) {
    tauHat2 = input.robust
      ? (1.4826 * medianAbsoluteDeviation(centres)) ** 2
      : centres.reduce((acc, v) => acc + (v - centre) ** 2, 0) / (J - 1)
  }
  const tau2 = (o.priorJobs * o.runnerDrift ** 2 + (J - 1) * (tauHat2 ?? 0)) / df
  // Pooled within-job variance of the stored jobs and this one, and the stored jobs' typical size
  // (harmonic: σ_w²/n̄ is then the mean of their σ_w²/n_j).
  let ss = (job.n - 1) * job.sd ** 2
  let dfw = job.n - 1
  for (const h of history) {
    ss += (h.n - 1) * h.sd ** 2
    dfw += h.n - 1
  }
  const within2 = dfw > 0 ? ss / dfw : 0
  const nBar = J / history.reduce((acc, h) => acc + 1 / h.n, 0)
  const between2 = Math.max(0, tau2 - within2 / nBar)
  const floor2 = between2 + tau2 / J
  const v = floor2 + within2 / job.n
  const se = Math.sqrt(v)

  const theta = sign * job.mean - centre
  const tAlpha = tq(1 - o.alpha, df)
  const tFail = tq(1 - o.failAlpha, df)
  const lo = theta - tAlpha * se
  const hi = theta + tAlpha * se
  const failLo = theta - tFail * se
  const tauWarn = logBudget(thresholds.warn, direction)
  const tauFail = thresholds.fail === null ? Infinity : logBudget(thresholds.fail, direction)
  const zRes = normalQuantile(RESOLUTION_POWER)
  const threshold =
    thresholds.fail === null
      ? Math.max(tauWarn, tAlpha * se)
      : Math.max(tauFail, tauWarn + tFail * se)
  const resolution = relativeChange(threshold + zRes * se, direction)
  const budget = thresholds.fail ?? thresholds.warn
  const budgetBelowResolution = tAlpha * se > logBudget(budget, direction)
  const resolutionText = `stored baselines on this runner can confirm regressions past ${budgetPct(Number(resolution.toFixed(3)))}`

  const judged = judgeShift({
    direction,
    thresholds,
    alpha: o.alpha,
    estimate: theta,
    lo,
    hi,
    failLo,
    advise() {
      // More runs in this job only shrink σ_w²/n_new; the job-to-job part stays. Deciding 4
      // times in 5 needs (z_α + z_0.8)·√V ≤ the distance to the nearer decision.
      const distances: Array<[number, number]> = []
      if (tauFail - theta > 0) distances.push([tauFail - theta, tAlpha])
      if (theta > tauFail && theta - tauWarn > 0) distances.push([theta - tauWarn, tFail])
      let runs: number | null = null
      for (const [distance, t] of distances) {
        const target = (distance / (t + normalQuantile(DECIDE_POWER))) ** 2
        if (target > floor2 && within2 > 0) {
          const n = Math.max(job.n + 1, Math.ceil(within2 / (target - floor2)))
          runs = runs === null ? n : Math.min(runs, n)
        }
      }
      if (runs !== null && runs > MAX_ADVISED_RUNS) {
        return {
          text: `it cannot be decided at this noise (over ${MAX_ADVISED_RUNS} runs in this job): ${UNDECIDABLE_HELP}`,
          runs
        }
      }
      if (runs !== null)
        return { text: `about ${plural(runs, 'run')} in this job would decide`, runs }
      return { text: `${resolutionText}: same-job A/B (ab: true) would decide it`, runs: null }
    }
  })

  const notes: string[] = []
  if (J === 1) {
    notes.push(
      `one stored job: the ${budgetPct(o.runnerDrift)} runner-drift prior carries the decision`
    )
  }
  if (budgetBelowResolution && !judged.inconclusive) {
    notes.push(
      `${resolutionText}, coarser than the ${budgetPct(budget)} budget: use ab: true to gate at it`
    )
  }
  const reason = notes.length > 0 ? `${judged.reason} (${notes.join('; ')})` : judged.reason
  const baseCentre = Math.exp(sign * centre)
  const out = withJudgement(
    neutralComparison(
      input,
      reason,
      {
        n: history.reduce((acc, h) => acc + h.n, 0),
        median: baseCentre,
        dropped: [],
        cv: null
      },
      current
    ),
    { ...judged, reason },
    se > 0 ? upperT((theta - tauWarn) / se, df) : theta > tauWarn ? 0 : 1,
    se > 0 ? upperT(theta / se, df) : theta > 0 ? 0 : 1
  )
  return {
    ...out,
    centres: { baseline: baseCentre, current: Math.exp(job.mean) },
    jobs: J,
    tau: Math.sqrt(tau2),
    tauHat: tauHat2 === null ? null : Math.sqrt(tauHat2),
    df,
    resolution,
    budgetBelowResolution,
    priorOnly: J === 1
  }
}
