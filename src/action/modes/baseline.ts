import { runActionJob, thisRun } from '../job.js'
import type { ActionRun } from '../run.js'
import { shardSelection } from './gate.js'

/**
 * `mode: baseline`: record this run as the baseline (trusted events only, refused in the engine
 * otherwise). A shard of a baseline run only uploads: the merge job records the whole set.
 */
export async function baselineMode(run: ActionRun): Promise<void> {
  const selection = shardSelection(run.inputs)
  await runActionJob(run, thisRun(run), { jobMode: selection ? 'gate' : 'baseline', selection })
}
