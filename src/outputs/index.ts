import type { PerfGateConfig } from '../config/types.js'
import { runJob, type DecidedJob, type JobOptions, type Review } from '../engine/job.js'
import type { GateOutcome } from '../stats/types.js'
import type { Published } from './github.js'
import type { WrittenFiles } from './files.js'

/*
 * The one output step. The engine decides; each output is an adapter that shows what it decided
 * in one place (files, GitHub, the action's outputs and job summary, the terminal). A front lists
 * the outputs it wants, in order, and runs the job through runWithOutputs.
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

export type JobResult = DecidedJob & Delivered

/** Runs the job, then hands what it decided to each output in order. */
export async function runWithOutputs(
  job: Omit<JobOptions, 'onStart' | 'review'>,
  outputs: readonly Output[]
): Promise<JobResult> {
  let decided: DecidedJob
  try {
    decided = await runJob({
      ...job,
      onStart: async (config) => {
        for (const o of outputs) await o.start?.(config)
      },
      review: (outcome: GateOutcome) => {
        for (const o of outputs) {
          const amended = o.review?.(outcome)
          if (amended) return amended
        }
        return null
      }
    })
  } catch (e) {
    const message = `perf-gate: ${e instanceof Error ? e.message : String(e)}`
    for (const o of outputs) await o.abort?.(message)
    throw e
  }
  let delivered: Delivered = {}
  for (const o of outputs) delivered = await o.deliver(decided, delivered)
  return { ...decided, ...delivered }
}
