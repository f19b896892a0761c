import type { GateOutcome, Verdict } from '../stats/types.js'

/*
 * The report model: what the engine decided and the renderers draw. Neither side owns it, so the
 * engine never imports a renderer to name a type and the renderers never import the engine.
 */

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
  /** Set when the base and the head were measured in this job, interleaved (A/B). */
  ab?: AbRun
  /** Where the history dashboard is published: metrics link to their charts there. */
  dashboardUrl?: string
  /** The matrix entries of this run, cell by cell, for the Scaling section. */
  sweeps?: SweepView[]
}

/** One matrix entry of the run: every cell with the centres of its metrics. */
export interface SweepView {
  entry: string
  /** Axes with more than one value, sorted by name. */
  axes: string[]
  cells: SweepCellView[]
}

export interface SweepCellView {
  benchmark: string
  axes: Record<string, string | number | boolean>
  /** Centre of each metric: its median, or a fraction's proportion. */
  values: Record<string, number>
  /** 90 % CI of each centre, where there are samples enough to bound one. */
  ci: Record<string, [number, number]>
  units: Record<string, string>
  /** Why the cell is not gated (partial offload, …). */
  invalid?: string
  /** Per GPU: VRAM the run added (MiB) and mean utilisation while measured (%). */
  gpus: Array<{ index: number; vramDeltaMiB?: number; utilMeanPct?: number }>
  /** The model sat on more than one GPU; null when no GPU was sampled. */
  split: boolean | null
}

/**
 * A same-job A/B run as the renderers show it: which commits, how many pairs in which order, and
 * what was not compared pair by pair.
 */
export interface AbRun {
  /** The base commit, and how it was found ("merge-base of origin/main and HEAD"). */
  base: { sha: string; how: string }
  /** The head: the checkout as it was, uncommitted changes included when `dirty`. */
  head: { sha: string | null; dirty: boolean }
  /** The seed of the visit order: passing it again replays the order. */
  seed: number
  order: 'balanced' | 'abba'
  /** The benchmarks measured in pairs, in config order, with the pairs each took. */
  benchmarks: Array<{ name: string; pairs: number }>
  /** `file` benchmarks, compared with the stored baseline: they cannot be re-run. */
  stored: string[]
  /** Benchmarks only in the head's config (new) or only in the base's (removed): never gated. */
  added: string[]
  removed: string[]
  /** Where the head's config judges differently ("core.fail 5 % → 20 %"); the base's was used. */
  budgetChanges: string[]
  /** `build:` commands per tree, in milliseconds; reported, never gated. */
  builds: Array<{ tree: 'base' | 'head'; benchmark: string | null; ms: number }>
}

/** The baseline chosen for a run, as the renderers show it. */
export interface BaselineUsed {
  how: 'merge-base' | 'ancestor' | 'latest'
  /** The baseline's commit. */
  commit: string | null
  /** Commits between the baseline's commit and `walkedFrom` (0: that commit itself). */
  distance: number | null
  walkedFrom: { kind: 'merge-base' | 'commit'; sha: string } | null
  /** When it was recorded (ISO) and how old it was at the run. */
  recordedAt: string
  ageMs: number | null
  testbed: string
  /** How the choice fell back, if it did ("no baseline on abc1234 …, so the latest was used"). */
  note?: string
}

/** One environment key whose value differs between the baseline and this run. */
export interface FingerprintDifference {
  key: string
  /** The values as compared (a driver's major version, a shortened digest); null: not recorded. */
  baseline: string | null
  current: string | null
  /** The benchmark the key belongs to; null for a machine-wide key. */
  benchmark: string | null
  /** A tool's setting (`go.gomaxprocs`): it concerns only the benchmarks read in this format. */
  format?: string
  /** `block`: the affected benchmarks are not compared unless allowed; `note`: shown only. */
  effect: 'block' | 'note'
  /** Listed in `allow-fingerprint-changes`. */
  allowed: boolean
}

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
