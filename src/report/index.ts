export type { GateReport } from '../types/report.js'
export {
  DEFAULT_MAX_LENGTH,
  codeSpanText,
  escapeCode,
  escapeMarkdown,
  sanitizeText,
  truncateCodePoints
} from './escape.js'
export type { EscapeOptions } from './escape.js'
export {
  countsPhrase,
  formatCi,
  formatDate,
  formatPercent,
  formatTimestamp,
  formatValue,
  verdictIcon,
  verdictLabel
} from './format.js'
export { plural, shortSha } from '../shared/text.js'
export {
  DELTA_TABLE_HEADER,
  baselineLine,
  byMagnitude,
  largestFitting,
  renderDeltaTable,
  routeLine,
  sortBySignificance,
  valueCi,
  valueDelta
} from './tables.js'
export { mermaidLabel, renderTrendChart } from './chart.js'
export {
  DETAILS_END,
  DETAILS_START,
  GATES_END,
  GATES_START,
  HOPLOG_END,
  HOPLOG_START,
  LEDGER_MARKER,
  MAX_COMMENT_LENGTH,
  isLedger,
  perfEvidence,
  renderLedger
} from './ledger.js'
export {
  CHECK_RUN_NAME,
  MAX_CHECK_OUTPUT_BYTES,
  renderCheckRun,
  truncateToBytes
} from './check-run.js'
export type { CheckRunConclusion, CheckRunPayload } from './check-run.js'
export { renderHeadline, renderReport } from './summary.js'
export { renderTerminalTable } from './terminal.js'
