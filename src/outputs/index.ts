import { runJob, type DecidedJob, type JobOptions } from '../engine/job.js'
import type { GateOutcome } from '../stats/types.js'
import type { Delivered, Output } from './output.js'

export type { Delivered, FilePaths, Output, Published, WrittenFiles } from './output.js'

/*
 * The one output step. The engine decides; each output is an adapter that shows what it decided
 * in one place (files, GitHub, the action's outputs and job summary, the terminal). A front lists
 * the outputs it wants, in order, and runs the job through runWithOutputs.
 */

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
