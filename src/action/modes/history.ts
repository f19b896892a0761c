import * as core from '@actions/core'
import path from 'node:path'
import { describeAssumed } from '../../config/defaults.js'
import { runHistoryJob } from '../../engine/history-mode.js'
import { fileRegressionIssues } from '../issues.js'
import { configPath, coreLog, type ActionRun } from '../run.js'
import { openActionStore } from '../store.js'

/** `mode: history`: change points over the stored baselines, reported and never failing. */
export async function historyMode(run: ActionRun): Promise<void> {
  const { inputs, workspace } = run
  const result = await runHistoryJob({
    configPath: configPath(run),
    store: openActionStore(inputs, workspace, coreLog),
    outDir: path.resolve(workspace, inputs.outputDir),
    ...(inputs.testbed ? { testbed: inputs.testbed } : {})
  })
  if (result.assumed) for (const line of describeAssumed(result.assumed)) core.info(line)
  core.setOutput('verdict', 'neutral')
  core.setOutput('route', 'none')
  core.setOutput('change-points', String(result.changePoints))
  core.setOutput('report-path', result.path)
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(result.markdown).write()
  core.info(
    `perf-gate: history of testbed ${result.report.testbed}: ${result.changePoints} change point(s) over ${result.report.baselines} baseline(s); report in ${result.path}`
  )
  await fileRegressionIssues(run, result.report, result.config)
}
