export type {
  ArmSummary,
  GateOutcome,
  MetricComparison,
  Route,
  Thresholds,
  Verdict
} from './types.js'
export { compareMetric, logBudget, type CompareInput } from './compare.js'
export { gate, type GateOptions } from './gate.js'
export { hodgesLehmann, pairwiseDifferences, type ShiftEstimate } from './hodges-lehmann.js'
export {
  EXACT_LIMIT,
  exactUCdf,
  exactUPmf,
  mosesK,
  normalCdf,
  normalUCdf,
  shiftTestP,
  uCdf,
  usesExactU
} from './mann-whitney.js'
export { bhReject, holmReject } from './multiplicity.js'
export { madScreen, type ScreenOptions, type ScreenResult } from './outliers.js'
