import type { ResultSet } from '../results/model.js'
import type { LogFinding } from './observations.js'
import type { GateReport } from './types.js'

/** A side-by-side comparison the config declares between two benchmarks of the same run. */
export interface ComparisonSpec {
  name: string
  a: string
  b: string
}

/** Where the time went and what was read, for the Workflow summary. */
export interface WorkflowFacts {
  /** Files read, counted by type ("perf-gate.yml", "hyperfine JSON", …). */
  filesRead: Array<{ type: string; count: number }>
  /** Milliseconds per phase; a phase that did not happen is left out. */
  phasesMs: Partial<Record<'ingesting' | 'benchmarking' | 'analysing' | 'reporting', number>>
}

/** One sentence the analyst's answer lost, kept only as a count by reason. */
export type DropReason = 'number' | 'entity' | 'script'

/** The analyst's call, measured like any Ollama benchmark. */
export interface AnalystCallMetrics {
  ttftMs?: number
  e2eMs: number
  decodeTps?: number
  outputTokens?: number
  promptTokens?: number
  loadMs?: number
  promptEvalMs?: number
  evalMs?: number
  totalMs?: number
}

/** What the report shows of the analyst narrative; produced by src/analyst. */
export interface AnalystSection {
  /** `model`: written by the model and grounded; `deterministic`: computed, no model involved. */
  source: 'model' | 'deterministic'
  model?: string
  /** Why the deterministic summary stands in, or what else a reader should know. */
  note?: string
  summary: string
  recommendations: Array<{ focus: string; text: string }>
  risks: Array<{ risk: string; mitigation: string }>
  /** Sentences dropped from the model's answer, by reason. */
  dropped: Record<DropReason, number>
  /** Sentences of the model's answer that were kept. */
  kept: number
  /** Recommendations or risk rows filled in from the rules because too few survived grounding. */
  filled: number
  metrics?: AnalystCallMetrics
}

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
