import type { PerfGateConfig } from '../config/types.js'
import type { DecidedJob, Review } from '../engine/job.js'
import type { CheckRunPayload } from '../report/check-run.js'

/*
 * The contract every output adapter keeps, and what adapters hand on to the ones listed after
 * them. Adding an output is one adapter that returns an Output, listed where the front lists its
 * outputs.
 */

/** What the outputs listed earlier hand on to the later ones (the files' paths, say). */
export interface Delivered {
  files?: WrittenFiles
  published?: Published
}

export interface Output {
  /** Before any benchmark runs or is read: a check run goes in progress. */
  start?(config: PerfGateConfig): Promise<void>
  /** Before the verdict is final: may amend it (a regression accepted on the pull request). */
  review?: Review
  /** After the verdict: show it. Returns `before` with whatever this output adds. */
  deliver(job: DecidedJob, before: Delivered): Promise<Delivered>
  /** The job failed before it could deliver: a check run left in progress would block a PR. */
  abort?(message: string): Promise<void>
}

export interface FilePaths {
  results: string
  /** The copy in the output folder (`report.md`). */
  report: string
  ledger: string
  checkRun: string
  /** `benchmarks/results/reports/<date>_<sha7>.md`; `report` holds the same content. */
  reportFile: string
  /** docs/models/models-registry.md, when this trusted baseline run updated it. */
  registry: string | null
}

export interface WrittenFiles {
  paths: FilePaths
  /** The ledger as written. */
  ledger: string
  checkRun: CheckRunPayload
}

export interface Published {
  commentId: number | null
  commentUrl: string | null
  checkRunId: number | null
  checkRunUrl: string | null
  /** The draft pull request was marked ready for review by this run. */
  promoted: boolean
  problems: string[]
}
