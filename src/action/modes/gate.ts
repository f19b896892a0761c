import * as core from '@actions/core'
import { describeSelection, type ShardSelection } from '../../engine/shard.js'
import type { ActionInputs } from '../inputs.js'
import { runActionJob, thisRun } from '../job.js'
import type { AbRequest } from '../../engine/ab/index.js'
import type { ActionRun } from '../run.js'

/**
 * `mode: gate`: run (or import) the benchmarks and gate them against the stored baseline, or with
 * `ab: true` (input or config) against the pull request's merge-base measured in the same job.
 */
export async function gateMode(run: ActionRun): Promise<void> {
  const selection = shardSelection(run.inputs)
  await runActionJob(run, thisRun(run), { jobMode: 'gate', selection, ab: abRequest(run) })
}

/**
 * The base of an A/B run: for a pull request, its merge-base with the base branch (git finds it
 * in the checkout, which needs the history: fetch-depth 0); for any other event, the commit before.
 */
export function abRequest({ inputs, wf }: ActionRun): AbRequest | undefined {
  if (inputs.ab === false) return undefined
  const pull = wf.pull
  return {
    base: pull?.baseSha
      ? { kind: 'pull', baseSha: pull.baseSha, headSha: pull.headSha }
      : { kind: 'parent' },
    when: inputs.ab ? 'always' : 'config'
  }
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
