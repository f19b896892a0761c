import { compareMetric, type CompareInput } from './compare.js'
import { plural } from '../shared/text.js'
import { gate, type GateOptions } from './gate.js'
import { compareHistory, type HistoryCompareInput } from './history-rule.js'
import { comparePaired, type PairedCompareInput } from './paired.js'
import { compareStored, isHistoryInput, type StoredInput } from './stored-rule.js'
import type { GateOutcome, MetricComparison, Thresholds } from './types.js'

/*
 * Group-sequential sampling: look at the data after every batch of runs, stop as soon as every
 * metric is decided, and keep adding batches up to a cap while any is open. Re-running until the
 * answer is significant is the multiple-testing error benchstat warns about; here the FAIL test
 * at each of the K planned looks runs at alpha/K, so a FAIL anywhere in the sequence is still
 * wrong at most alpha of the time (Bonferroni over looks). Stopping because an actionable
 * regression is ruled out ("clear") can only make FAIL rarer, so it needs no correction.
 *
 * That freedom is what makes early stopping pay: at an interim look a metric is also clear when
 * the one-sided (1 − futilityAlpha) upper bound is under the fail budget, a non-binding futility
 * boundary. Requiring the full 95 % bound there would keep a no-change metric running until its
 * interval is narrower than the budget (about 10 runs per arm at CV 5 % against a 5 % budget);
 * the looser bound stops most of them at the first look. Its price is power for changes near the
 * budget, never extra false FAILs; `npm run bench:decisions` shows both.
 */

/** Runs per arm: the first look after `min`, then every `step`, never past `max`. */
export interface SamplingPlan {
  min: number
  max: number
  step: number
}

export interface SequentialOptions {
  /** One-sided level of the reported CI and of WARN. Default 0.05; FAIL is judged at alpha/K. */
  alpha?: number
  /** Passed to `gate`; with `holm`, its alpha is divided by K as well. */
  gate?: GateOptions
  /** Stop at the first metric that fails, leaving the others as they are. Default false. */
  stopOnFail?: boolean
  /**
   * The baseline does not grow with the looks (it comes from history rather than interleaved
   * runs), so a baseline with too few samples cannot be cured by running more. Default false.
   */
  fixedBaseline?: boolean
  /**
   * One-sided level of the futility bound at interim looks. Default 0.2 (an 80 % upper bound);
   * 0 turns futility stopping off, so only the alpha-level bound clears a metric.
   */
  futilityAlpha?: number
}

/**
 * `fail`: the regression is established (early: even the alpha/K CI is past the fail budget).
 * `clear`: the alpha CI rules out reaching the fail budget. `open`: more runs could change the
 * answer. `neutral`: not comparable, and more runs would not fix it — or, for the history rule,
 * open but beyond what more runs in this job could decide.
 */
export type LookStatus = 'fail' | 'clear' | 'open' | 'neutral'

export interface MetricLook {
  status: LookStatus
  /** The comparison as it would be reported if the runs stopped here. */
  comparison: MetricComparison
}

export interface Look {
  /** Runs per arm so far (pairs, for a paired look). */
  runs: number
  /** This look's number (1-based) and how many the plan has. */
  look: number
  looks: number
  final: boolean
  stop: boolean
  /** Runs per arm (pairs) to add before the next look; 0 once stopped. */
  nextRuns: number
  metrics: MetricLook[]
  /** Benchmarks with an open metric: the only ones more runs would help. */
  openBenchmarks: string[]
  /** The gate over this look's comparisons: the outcome to report when `stop`. */
  outcome: GateOutcome
  reason: string
}

function checkPlan(plan: SamplingPlan): void {
  const { min, max, step } = plan
  for (const [key, v] of Object.entries({ min, max, step })) {
    if (!(Number.isInteger(v) && v >= 1)) {
      throw new RangeError(`adaptive ${key} must be an integer ≥ 1, got ${v}`)
    }
  }
  if (max < min) throw new RangeError(`adaptive max (${max}) must be ≥ min (${min})`)
}

/** Runs per arm at each look: min, min + step, …, and max last even off the step. */
export function lookSchedule(plan: SamplingPlan): number[] {
  checkPlan(plan)
  const looks: number[] = []
  for (let n = plan.min; n < plan.max; n += plan.step) looks.push(n)
  looks.push(plan.max)
  return looks
}

interface LookLevels {
  final: boolean
  alpha: number
  failAlpha: number
  futilityAlpha: number
  fixedBaseline: boolean
}

/** What the looks need of a rule: its inputs carry budgets and levels, and it has a floor. */
interface LookInput {
  thresholds: Thresholds
  alpha?: number
  failAlpha?: number
}

/**
 * A per-metric rule the sequential design can drive: the two-sample rule (runs per arm) or the
 * paired rule (pairs). `minimum` is the size below which the rule answers neutral.
 */
interface LookRule<I extends LookInput> {
  compare(input: I): MetricComparison
  minimum(input: I): number
  /** An open comparison that no number of further runs could decide (default: none is). */
  undecidable?(c: MetricComparison): boolean
  /**
   * Whether more runs of this job can cure a neutral comparison; without it, the two-sample
   * reading (an arm that grows is short of `minimum`).
   */
  curable?(input: I, c: MetricComparison): boolean
}

const TWO_SAMPLE: LookRule<CompareInput> = {
  compare: compareMetric,
  minimum: (input) => input.minSamples ?? 5
}

const PAIRED: LookRule<PairedCompareInput> = {
  compare: comparePaired,
  minimum: (input) => input.minPairs ?? 6
}

const HISTORY: LookRule<HistoryCompareInput> = {
  compare: compareHistory,
  minimum: (input) => input.minSamples ?? 1,
  // The rule leaves runsToDecide out exactly when the job-to-job spread alone is too wide.
  undecidable: (c) => c.inconclusive && c.runsToDecide === undefined
}

/**
 * The looks of a gate against stored baselines: the history-aware rule where stored jobs speak
 * for a metric, the two-sample rule elsewhere, both through `compareStored`, as the final
 * comparison is made. Only this job's runs grow; the stored side is what it is.
 */
const STORED: LookRule<StoredInput> = {
  compare: compareStored,
  minimum: (input) => input.minSamples ?? (isHistoryInput(input) ? 1 : 5),
  // As HISTORY: the history rule leaves runsToDecide out exactly when the stored jobs' spread
  // alone keeps the metric open.
  undecidable: (c) => c.history !== undefined && c.inconclusive && c.runsToDecide === undefined,
  curable(input, c) {
    const min = STORED.minimum(input)
    if (c.current === null || c.current.n >= min) return false
    // The stored side must already be enough: no run of this job adds to it.
    return isHistoryInput(input)
      ? input.history.length > 0
      : c.baseline !== null && c.baseline.n >= min
  }
}

function statusOf<I extends LookInput>(
  rule: LookRule<I>,
  input: I,
  c: MetricComparison,
  at: LookLevels
): LookStatus {
  const { final, alpha, failAlpha, fixedBaseline } = at
  if (c.verdict === 'neutral') {
    // Too few samples is the one neutral cause more runs cure (bad values or a missing arm are
    // not), and only in the arms that grow.
    const min = rule.minimum(input)
    if (rule.curable) return !final && rule.curable(input, c) ? 'open' : 'neutral'
    if (final || c.current === null || c.baseline === null) return 'neutral'
    const curShort = c.current.n < min
    const baseShort = c.baseline.n < min
    if (baseShort && fixedBaseline) return 'neutral'
    return curShort || baseShort ? 'open' : 'neutral'
  }
  const fail = input.thresholds.fail
  if (fail === null) return 'clear'
  if (c.ci !== null && c.ci[1] < fail) return 'clear'
  if (final) return c.verdict === 'fail' ? 'fail' : 'open'
  if (c.verdict !== 'fail' && rule.undecidable?.(c)) return 'neutral'
  if (c.verdict !== 'fail') {
    if (at.futilityAlpha <= alpha) return 'open'
    const futility = rule.compare({ ...input, alpha: at.futilityAlpha, failAlpha })
    return futility.ci !== null && futility.ci[1] < fail ? 'clear' : 'open'
  }
  if (fail === input.thresholds.warn) return 'fail'
  // An early FAIL needs the alpha/K lower bound past the fail budget, not just the warn budget:
  // re-judging "estimate past the fail budget" at every look would let a change sitting at the
  // budget fail far more often than half the time. Rule A with warn raised to fail is that test.
  const strict = rule.compare({
    ...input,
    alpha,
    failAlpha,
    thresholds: { warn: fail, fail }
  })
  return strict.verdict === 'fail' ? 'fail' : 'open'
}

function label(c: MetricComparison): string {
  return `${c.benchmark}/${c.metric}`
}

/**
 * One look of the sequential design: compares every metric with the runs so far and says whether
 * to stop or how many runs per arm to add. The runner calls it after each batch, with `runs` the
 * runs per arm completed; following `nextRuns` keeps the looks on the plan's schedule, which the
 * alpha/K spending assumes.
 */
export function sequentialLook(
  inputs: readonly CompareInput[],
  runs: number,
  plan: SamplingPlan,
  opts: SequentialOptions = {}
): Look {
  return look(TWO_SAMPLE, inputs, runs, plan, opts, 'run')
}

/**
 * `sequentialLook` for a same-job A/B run: `pairs` is the pairs completed, every input holds that
 * many per-visit centres per arm, and `nextRuns` is the pairs to add. The same alpha spending and
 * futility stop apply; `fixedBaseline` has no meaning here (both arms grow). PAIRED_PLAN (10,
 * extended once to 20) is the recommended plan.
 */
export function pairedSequentialLook(
  inputs: readonly PairedCompareInput[],
  pairs: number,
  plan: SamplingPlan,
  opts: Omit<SequentialOptions, 'fixedBaseline'> = {}
): Look {
  return look(PAIRED, inputs, pairs, plan, opts, 'pair')
}

/**
 * `sequentialLook` for the history-aware rule: `runs` is this job's runs so far, and the stored
 * jobs are the baseline, which never grows. More runs only shrink this job's share of the
 * variance, so most metrics are decided (or known to be undecidable here) at the first look.
 */
export function historySequentialLook(
  inputs: readonly HistoryCompareInput[],
  runs: number,
  plan: SamplingPlan,
  opts: Omit<SequentialOptions, 'fixedBaseline'> = {}
): Look {
  return look(HISTORY, inputs, runs, plan, { ...opts, fixedBaseline: true }, 'job')
}

/**
 * `sequentialLook` against stored baselines as the gate makes it: each input is judged by the
 * history-aware rule (a `StoredHistoryInput`, the stored jobs' summaries) or by the two-sample rule
 * (a `CompareInput` with the chosen baseline's runs), as `compareResultSets` will judge it. The
 * stored side never grows; a metric only the stored jobs' spread keeps open stops the looks.
 */
export function storedSequentialLook(
  inputs: readonly StoredInput[],
  runs: number,
  plan: SamplingPlan,
  opts: Omit<SequentialOptions, 'fixedBaseline'> = {}
): Look {
  return look(STORED, inputs, runs, plan, { ...opts, fixedBaseline: true }, 'job')
}

function look<I extends LookInput>(
  rule: LookRule<I>,
  inputs: readonly I[],
  runs: number,
  plan: SamplingPlan,
  opts: SequentialOptions,
  unit: 'run' | 'pair' | 'job'
): Look {
  const schedule = lookSchedule(plan)
  if (!(Number.isInteger(runs) && runs >= plan.min)) {
    throw new RangeError(`runs must be an integer ≥ adaptive min (${plan.min}), got ${runs}`)
  }
  const alpha = opts.alpha ?? 0.05
  const looks = schedule.length
  const failAlpha = alpha / looks
  const futilityAlpha = opts.futilityAlpha ?? 0.2
  if (!(futilityAlpha >= 0 && futilityAlpha < 0.5)) {
    throw new RangeError(`futilityAlpha must be in [0, 0.5), got ${futilityAlpha}`)
  }
  const look = schedule.filter((n) => n <= runs).length
  const final = runs >= plan.max

  const metrics = inputs.map((input): MetricLook => {
    const comparison = rule.compare({ ...input, alpha, failAlpha })
    const status = statusOf(rule, input, comparison, {
      final,
      alpha,
      failAlpha,
      futilityAlpha,
      fixedBaseline: !!opts.fixedBaseline
    })
    return { status, comparison }
  })
  const open = metrics.filter((m) => m.status === 'open')
  const failed = metrics.filter((m) => m.status === 'fail')
  const stop = final || open.length === 0 || (opts.stopOnFail === true && failed.length > 0)
  const nextLook = schedule.find((n) => n > runs) ?? plan.max
  const nextRuns = stop ? 0 : nextLook - runs
  const gateOpts: GateOptions = opts.gate?.holm
    ? { ...opts.gate, alpha: (opts.gate.alpha ?? alpha) / looks }
    : (opts.gate ?? {})
  const outcome = gate(
    metrics.map((m) => m.comparison),
    gateOpts
  )

  const at = {
    run: `${plural(runs, 'run')} per arm`,
    pair: plural(runs, 'pair'),
    job: `${plural(runs, 'run')} in this job`
  }[unit]
  const more = {
    run: `${nextRuns} more per arm`,
    pair: `${nextRuns} more pairs`,
    job: `${nextRuns} more runs`
  }[unit]
  let reason: string
  if (!stop) {
    const names = open.map((m) => label(m.comparison))
    const shown =
      names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '')
    reason = `${plural(open.length, 'metric')} still open after ${at} (${shown}): ${more}`
  } else if (open.length === 0) {
    const stuck = metrics.filter((m) => m.status === 'neutral' && m.comparison.inconclusive)
    reason =
      stuck.length === 0
        ? `every metric decided after ${at}`
        : `after ${at}, every metric is decided or beyond what more runs could decide (${plural(stuck.length, 'metric')})`
  } else if (failed.length > 0 && !final) {
    reason = `stopped at the first failure after ${at}; ${plural(open.length, 'metric')} left open`
  } else {
    reason = `stopped at the cap of ${at}; ${plural(open.length, 'metric')} still open`
  }

  const openBenchmarks = [...new Set(open.map((m) => m.comparison.benchmark))]
  return { runs, look, looks, final, stop, nextRuns, metrics, openBenchmarks, outcome, reason }
}
