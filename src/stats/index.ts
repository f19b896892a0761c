export type {
  ArmSummary,
  GateOutcome,
  MetricComparison,
  Route,
  Thresholds,
  Verdict
} from './types.js'
export {
  lookSchedule,
  pairedSequentialLook,
  sequentialLook,
  type Look,
  type LookStatus,
  type MetricLook,
  type SamplingPlan,
  type SequentialOptions
} from './adaptive.js'
export {
  bestEnergySplit,
  detectChangePoints,
  type ChangePoint,
  type ChangePointOptions,
  type Split
} from './change-points.js'
export { compareMetric, logBudget, type CompareInput } from './compare.js'
export { gate, type GateOptions } from './gate.js'
export {
  hodgesLehmann,
  pairwiseDifferences,
  shiftEstimator,
  type MosesInterval,
  type ShiftEstimate,
  type ShiftEstimator
} from './hodges-lehmann.js'
export {
  EXACT_LIMIT,
  exactUCdf,
  exactUPmf,
  mannWhitneyU,
  mosesK,
  normalCdf,
  normalUCdf,
  shiftTestP,
  uCdf,
  upperTailP,
  usesExactU
} from './mann-whitney.js'
export {
  compareHistory,
  DEFAULT_MAX_JOBS,
  DEFAULT_PRIOR_JOBS,
  DEFAULT_RUNNER_DRIFT,
  recentHistory,
  summarizeJob,
  type HistoryComparison,
  type HistoryCompareInput,
  type JobSummary,
  type RecentHistory
} from './history-rule.js'
export { bhReject, holmReject } from './multiplicity.js'
export { madScreen, type ScreenOptions, type ScreenResult } from './outliers.js'
export {
  comparePaired,
  PAIRED_PLAN,
  type PairedComparison,
  type PairedCompareInput
} from './paired.js'
export {
  pairsToDecide,
  runsToDecide,
  type OpenComparison,
  type OpenPairedComparison
} from './planning.js'
export {
  exactSignedRankPmf,
  pairedHodgesLehmann,
  pairedShiftEstimator,
  SIGNED_RANK_EXACT_LIMIT,
  signedRankCdf,
  signedRankK,
  signedRankUpperTailP,
  usesExactSignedRank,
  walshAverages,
  type PairedShiftEstimate,
  type PairedShiftEstimator,
  type WalshInterval
} from './signed-rank.js'
export { incompleteBeta, normalQuantile, tCdf, tQuantile, tTwoSidedP } from './student-t.js'
