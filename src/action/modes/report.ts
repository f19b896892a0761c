import * as core from '@actions/core'
import path from 'node:path'
import { UserError } from '../../errors.js'
import { planReport } from '../../github/report-mode.js'
import { runActionJob } from '../job.js'
import type { ActionRun } from '../run.js'

/**
 * `mode: report` (a `workflow_run` workflow): posts the results a pull request's run uploaded,
 * from a trusted context, once the artifact is checked against the PR's head.
 */
export async function reportMode(run: ActionRun): Promise<void> {
  const { client, posture, wf, inputs } = run
  if (!client || posture.kind !== 'write') {
    throw new UserError(
      `mode 'report' posts results, but ${posture.kind === 'files-only' ? posture.why : 'there is no token'}`
    )
  }
  const plan = await planReport(client, wf, path.resolve(run.workspace, inputs.resultsDir ?? ''))
  if (plan.kind === 'skip') {
    core.warning(`perf-gate: ${plan.why}`)
    core.setOutput('verdict', 'none')
    return
  }
  core.info(`perf-gate: reporting run ${plan.runKey} of ${plan.headSha} on #${plan.pull.number}`)
  await runActionJob(
    run,
    {
      commit: { sha: plan.headSha, ref: plan.headBranch },
      target: {
        repo: wf.repository ?? { owner: '', repo: '' },
        headSha: plan.headSha,
        pullNumber: plan.pull.number,
        runKey: plan.runKey,
        ...(plan.runUrl ? { detailsUrl: plan.runUrl } : {})
      },
      runId: plan.runKey,
      runUrl: plan.runUrl ?? undefined,
      resultsFiles: plan.files,
      pullBase: plan.pull.baseRef
    },
    { jobMode: 'gate', selection: null }
  )
}
