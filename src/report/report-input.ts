import type { AnalystSection, ComparisonSpec, WorkflowFacts } from '../types/report.js'
import type { ResultSet } from '../results/model.js'
import type { LogFinding } from './observations.js'
import type { GateReport } from '../types/report.js'

/** Everything the report file is rendered from; the renderer is a pure function of it. */
export interface ReportFileInput {
  report: GateReport
  current: ResultSet
  baseline: ResultSet | null
  comparisons?: ComparisonSpec[]
  workflow?: WorkflowFacts
  /** Links to the source files, relative to the report file. */
  rawData?: Array<{ label: string; path: string }>
  analyst?: AnalystSection | null
  /** Warning and error lines found in benchmark logs, when any were read. */
  logs?: LogFinding[]
}
