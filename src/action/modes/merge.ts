import * as core from '@actions/core'
import { mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { baselineWriteDecision } from '../../baseline/trust.js'
import { mergeForConfig } from '../../engine/merge.js'
import {
  defaultArtifactClient,
  downloadShardResults,
  scratchRoot,
  shardFilesInDir
} from '../artifacts.js'
import { runActionJob, thisRun } from '../job.js'
import { configPath, type ActionRun } from '../run.js'

/**
 * `mode: merge`: the shards' results become one set, gated once. A merge on the default branch
 * (a trusted push) records them as one baseline; elsewhere it gates.
 */
export async function mergeMode(run: ActionRun): Promise<void> {
  const { inputs, wf, workspace } = run
  const jobMode = !wf.pull && baselineWriteDecision(wf.context).allowed ? 'baseline' : 'gate'
  const subject = thisRun(run)
  const scratch = scratchRoot()
  subject.mergeShards = async () => {
    const merged = await mergeForConfig({
      configPath: configPath(run),
      ...(inputs.testbed ? { testbed: inputs.testbed } : {}),
      ...(inputs.shards !== undefined ? { expected: inputs.shards } : {}),
      allow: inputs.allowFingerprintChanges,
      sha: subject.commit.sha,
      fetch: async (prefix) =>
        inputs.resultsDir
          ? shardFilesInDir(path.resolve(workspace, inputs.resultsDir))
          : downloadShardResults(
              await defaultArtifactClient(),
              prefix,
              await mkdtemp(path.join(scratch, 'perf-gate-merge-'))
            )
    })
    core.info(
      `perf-gate: merged ${merged.benchmarks.length} benchmark(s) from the shards; ${jobMode === 'baseline' ? 'recording them as the baseline' : 'gating them once'}`
    )
    return merged
  }
  await runActionJob(run, subject, { jobMode, selection: null })
}
