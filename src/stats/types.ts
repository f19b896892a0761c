import type { Direction, MetricClass } from '../results/model.js'

export type Verdict = 'pass' | 'warn' | 'fail' | 'neutral'
export type Route = 'A' | 'B' | 'none'

/** Relative budgets as fractions (0.05 = 5 %). `fail: null` means the metric can only warn. */
export interface Thresholds {
  warn: number
  fail: number | null
}

export interface ArmSummary {
  /** Samples used after the outlier screen. */
  n: number
  median: number
  /** Values the MAD screen dropped (original units). */
  dropped: number[]
  /** Coefficient of variation of the samples used (sample sd / mean), null when n < 2. */
  cv: number | null
}

export interface MetricComparison {
  benchmark: string
  metric: string
  unit: string
  direction: Direction
  class: MetricClass
  thresholds: Thresholds
  verdict: Verdict
  /** One short sentence on why: "CI lower bound +6.1 % is past the 5 % budget". */
  reason: string
  /**
   * Hodges-Lehmann estimate of the relative change, oriented so positive is worse
   * (+0.12 = 12 % slower, or 12 % less throughput). null when not computed.
   */
  change: number | null
  /** 90 % CI of `change`, same orientation; null when not computed. ±Infinity when unbounded. */
  ci: [number, number] | null
  /** Signed relative change of the metric's value (current/baseline − 1), for display. */
  valueChange: number | null
  /** One-sided p-values: H0 change ≤ warn budget (pFail) and change ≤ 0 (pWarn). */
  pFail: number | null
  pWarn: number | null
  /** The CI straddles the fail budget: more runs would decide it. */
  inconclusive: boolean
  /**
   * For an inconclusive metric, the runs per arm that would decide it 4 times in 5 if the change
   * is what it looks like now. Absent when decided, or when no number of runs would do.
   */
  runsToDecide?: number
  /** Confidently better by more than the warn budget. */
  improved: boolean
  /**
   * For a metric at 0 on one side (Go's allocs/op), where no ratio exists: current − baseline
   * median in the metric's unit, the change the report shows instead of a percentage.
   */
  absoluteChange?: number
  baseline: ArmSummary | null
  current: ArmSummary | null
  /**
   * The estimator's own centres, in the metric's units, where they are not the arms' medians
   * (paired and history-aware rules): current / baseline − 1 is `valueChange` exactly, so a report
   * that shows these beside Δ never contradicts it.
   */
  centres?: { baseline: number; current: number }
  /** What the history-aware stored-baseline rule used for this metric; absent for other rules. */
  history?: HistoryFacts
  /**
   * The metric's absolute target, judged on this run alone. `verdict` is then the worse of the
   * baseline's verdict and the target's, and `reason` leads with the target when it decided.
   */
  target?: TargetResult
  /**
   * The pairs a same-job A/B comparison used (the paired rule); absent for other rules. Its
   * `runsToDecide` then counts pairs, and the arms are the base's and the head's visits.
   */
  pairs?: number
}

/** An absolute bound on a metric, in its own unit, as the config declares it. */
export interface TargetSpec {
  metric: string
  op: '>=' | '<='
  bound: number
  /** As the config wrote it, for messages: ">= 45". */
  text: string
}

/** The test behind a target's p-value (see stats/targets.ts). */
export type TargetTest = 'log-t' | 'sign' | 'score'

/** An absolute target (`">= 45"`) judged on the CI of the metric's centre in this run. */
export interface TargetResult {
  op: '>=' | '<='
  bound: number
  /** FAIL: the whole CI on the wrong side; WARN: it straddles; PASS: wholly on the right side. */
  verdict: Verdict
  /** The metric's centre (the median; a fraction's proportion), in its unit. */
  centre: number | null
  /** Two-sided CI of the centre at `level`; ±Infinity when too few samples bound it. */
  ci: [number, number] | null
  level: number
  /** Samples the centre and CI come from. */
  n: number
  /**
   * One-sided p-value of "the target is met", the FAIL's evidence, which Benjamini–Hochberg
   * confirms over all targets of the run; null when not judged.
   */
  p: number | null
  /**
   * The test behind `p`: a t-test on the log samples ('log-t'), the sign test where a sample is
   * not above 0 ('sign'), the score test for a fraction ('score'); null when not judged.
   */
  test: TargetTest | null
  /** "decode_tps 41.2 tokens/s, target ≥ 45 (90 % CI 40.1 … 42.3)", or why it was not judged. */
  reason: string
}

/** The stored jobs behind a history-aware comparison, and the smallest regression they confirm. */
export interface HistoryFacts {
  /** Stored jobs used (J): after the latest change point, at most the cap. */
  jobs: number
  /** Stored jobs that had this metric, before the change-point cut and the cap. */
  found: number
  /** Jobs left out because a change point in the stored series came after them. */
  beforeChangePoint: number
  /** The prior τ₀ (`runner-drift`) and the shrunk job-to-job spread τ̃ (sd of ln job centre). */
  runnerDrift: number
  tau: number
  /** τ̂ from the stored jobs alone; null with fewer than 2. */
  tauHat: number | null
  /** Degrees of freedom of the t interval, ν₀ + J − 1. */
  df: number
  /**
   * The smallest regression (relative, positive = worse) these jobs FAIL 9 times in 10; NaN when
   * the comparison could not be made.
   */
  resolution: number
  /** The budget is finer than the history can resolve: same-job A/B would gate it. */
  budgetBelowResolution: boolean
  /** One stored job: the runner-drift prior carries the decision. */
  priorOnly: boolean
}

/** The verdict over all gated metrics of one run. */
export interface GateOutcome {
  verdict: Verdict
  /** A: a fix is needed (fail). B: within budget (pass/warn). none: nothing was decided (neutral). */
  route: Route
  reason: string
  comparisons: MetricComparison[]
  /** Metrics whose verdict is warn or fail. */
  regressions: number
  improvements: number
  /** Metrics compared that are neither regressions nor improvements. */
  unchanged: number
  /** Targets judged in this run, by their verdict; absent when the config sets none. */
  targets?: { met: number; missed: number; undecided: number; notJudged: number }
}
