import * as core from '@actions/core'
import path from 'node:path'
import { openActionStore } from '../store.js'
import { describeDashboard, repoUrlFromEnv, runDashboardJob } from '../../dashboard/job.js'
import { configPath, coreLog, type ActionRun } from '../run.js'

/** `mode: dashboard`: the history site from the baseline store, in output-dir/dashboard. */
export async function dashboardMode(run: ActionRun): Promise<void> {
  const { inputs, workspace } = run
  const result = await runDashboardJob({
    store: openActionStore(inputs, workspace, coreLog),
    outDir: path.resolve(workspace, inputs.outputDir, 'dashboard'),
    configPath: configPath(run),
    configRequired: false,
    storeLabel: inputs.baselineStore,
    ...(inputs.testbed ? { testbed: inputs.testbed } : {}),
    ...(process.env.GITHUB_REPOSITORY
      ? { title: `${process.env.GITHUB_REPOSITORY} benchmarks` }
      : {}),
    repoUrl: repoUrlFromEnv(process.env),
    onWarning: (m) => core.warning(m)
  })
  core.setOutput('verdict', 'neutral')
  core.setOutput('route', 'none')
  core.setOutput('dashboard-path', result.outDir)
  core.info(`perf-gate: ${describeDashboard(result)}`)
}
