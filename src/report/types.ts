import type { GateOutcome, Verdict } from '../stats/types.js'
import type { BaselineUsed, FingerprintDifference } from './baseline-note.js'

/** A regression accepted on the pull request (Route B): who accepted it, and why. */
export interface Acceptance {
  /** The label that carries the acceptance, e.g. `perf-gate:accept`. */
  label: string
  /** Login of whoever applied the label, when GitHub recorded it. */
  by: string | null
  /** The justification written in the PR body. */
  reason: string
  /** The verdict before it was accepted. */
  was: Verdict
}

/** Everything a renderer needs; renderers are pure functions of this. */
export interface GateReport {
  outcome: GateOutcome
  testbed: string
  /** The run being gated. */
  current: { sha: string | null; createdAt: string }
  /** The baseline compared with, or null when there is none yet. */
  baseline: { sha: string | null; createdAt: string } | null
  /** Where the run can be seen (GitHub run URL), if any. */
  runUrl?: string
  /** Run id and attempt key the hop-log entry, so a rerun of the same attempt is not logged twice. */
  runId?: string
  /** ISO timestamp of this run. */
  timestamp: string
  /** Set when a regression was accepted: the outcome is then neutral, on Route B. */
  acceptance?: Acceptance
  /**
   * Trend over stored baselines, oldest first, ending with the current run: per metric key
   * (`benchmark / metric`) the median value of each point.
   */
  history?: Array<{ sha: string | null; createdAt: string; values: Record<string, number> }>
  /** How the baseline was chosen (merge-base, ancestor, latest), its age and testbed. */
  baselineUsed?: BaselineUsed
  /** Why no baseline was chosen, when baselines exist but none fits (e.g. none on the PR's history). */
  baselineMissing?: string
  /** Environment keys that differ between the baseline and this run. */
  fingerprint?: FingerprintDifference[]
  /** Where the history dashboard is published: metrics link to their charts there. */
  dashboardUrl?: string
}
