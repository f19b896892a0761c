import * as core from '@actions/core'
import { describeSelection, type ShardSelection } from '../../engine/shard.js'
import type { ActionInputs } from '../inputs.js'
import { runActionJob, thisRun } from '../job.js'
import type { ActionRun } from '../run.js'

/** `mode: gate`: run (or import) the benchmarks and gate them against the stored baseline. */
export async function gateMode(run: ActionRun): Promise<void> {
  const selection = shardSelection(run.inputs)
  await runActionJob(run, thisRun(run), { jobMode: 'gate', selection })
}

/**
 * A shard job of a matrix (input `shard` or `benchmarks`): it runs its part and uploads it for
 * the merge job, which gates all shards and posts once.
 */
export function shardSelection(inputs: ActionInputs): ShardSelection | null {
  const selection: ShardSelection | null = inputs.shard
    ? { kind: 'shard', shard: inputs.shard }
    : inputs.benchmarks
      ? { kind: 'list', names: inputs.benchmarks }
      : null
  if (selection) {
    core.info(
      `perf-gate: ${describeSelection(selection)}: this job uploads its results for the merge job (mode: merge), which gates all shards and posts the ledger and check run once; this job posts nothing and does not fail on its partial verdict`
    )
  }
  return selection
}
