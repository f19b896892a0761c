import * as core from '@actions/core'
import path from 'node:path'
import { openStore } from './baseline/index.js'
import { readInputs } from './config/inputs.js'
import { errorMessage, isUserError, UserError } from './errors.js'
import { runJob } from './engine/job.js'
import { readWorkflowRun } from './github/context.js'
import type { Reporter } from './runners/progress.js'

const coreReporter: Reporter = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  group: (title, fn) => core.group(title, fn)
}

/**
 * The action. It reads the inputs, runs the shared engine, and publishes what the engine decided
 * as outputs, job summary and files. It is the only place that fails the step.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    if (inputs.mode === 'compare' || inputs.mode === 'report' || inputs.mode === 'merge') {
      throw new UserError(
        `mode '${inputs.mode}' is not available in this version of the action; use mode 'gate' or 'baseline' (the CLI has 'perf-gate compare')`
      )
    }
    if (inputs.githubToken) core.setSecret(inputs.githubToken)
    const wf = readWorkflowRun()
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
    const store = openStore(inputs.baselineStore, {
      cwd: workspace,
      onWarning: (m) => core.warning(m)
    })
    const result = await runJob({
      mode: inputs.mode,
      configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
      ...(inputs.results ? { resultsGlob: inputs.results } : {}),
      store,
      outDir: path.resolve(workspace, inputs.outputDir),
      rawDir: inputs.rawDir,
      failOn: inputs.failOn,
      commit: wf.commit,
      context: wf.context,
      reporter: coreReporter,
      ...(inputs.testbed ? { testbed: inputs.testbed } : {}),
      ...(inputs.repetitions !== undefined ? { repetitions: inputs.repetitions } : {}),
      ...(inputs.note ? { note: inputs.note } : {}),
      ...(wf.runId ? { runId: wf.runId } : {}),
      ...(wf.runUrl ? { runUrl: wf.runUrl } : {})
    })
    const { outcome } = result
    core.setOutput('verdict', outcome.verdict)
    core.setOutput('route', outcome.route)
    core.setOutput('regressions', String(outcome.regressions))
    core.setOutput('improvements', String(outcome.improvements))
    core.setOutput('report-path', result.paths.report)
    core.setOutput('results-path', result.paths.results)
    core.setOutput('ledger-path', result.paths.ledger)
    core.setOutput('check-run-path', result.paths.checkRun)
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(result.summary).write()
    if (inputs.comment || inputs.checkRun) {
      core.notice(
        `The ledger and check-run payload were written to ${result.paths.ledger} and ${result.paths.checkRun}; posting them to the pull request is not part of this version.`
      )
    }
    core.info(`perf-gate: ${outcome.verdict}: ${outcome.reason}`)
    if (result.failed) core.setFailed(`perf-gate: ${outcome.verdict}: ${outcome.reason}`)
  } catch (e) {
    // A user error is one actionable line; anything else is a bug, so keep the stack in the debug log.
    if (!isUserError(e) && e instanceof Error && e.stack) core.debug(e.stack)
    core.setFailed(`perf-gate: ${errorMessage(e)}`)
  }
}

/** `perf-gate.yml` rather than `/home/runner/work/app/app/perf-gate.yml` in error messages. */
function relativeToCwd(file: string): string {
  const rel = path.relative(process.cwd(), file)
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel
}
