import * as core from '@actions/core'
import path from 'node:path'
import { openStore } from './baseline/index.js'
import { readInputs, type ActionInputs } from './config/inputs.js'
import { errorMessage, isUserError, UserError } from './errors.js'
import { runJob, type JobResult } from './engine/job.js'
import { createClient } from './github/client.js'
import { readApiSettings, readWorkflowRun, type WorkflowRun } from './github/context.js'
import { decidePosture, REPORT_HINT } from './github/posture.js'
import { Publisher, repositoryPath, type Published, type PublishTarget } from './github/publish.js'
import { planReport } from './github/report-mode.js'
import type { Reporter } from './runners/progress.js'
import type { Commit } from './results/model.js'

const coreReporter: Reporter = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  group: (title, fn) => core.group(title, fn)
}

/** What the job runs on and posts to: this run, or in mode report the measured run of a PR. */
interface Subject {
  commit: Commit
  target: PublishTarget | null
  runId: string | undefined
  runUrl: string | undefined
  resultsFiles?: string[]
}

/**
 * The action. It reads the inputs, runs the shared engine, publishes what the engine decided as
 * outputs, job summary, files, check run and ledger comment. It is the only place that fails the
 * step; posting problems fail it only in mode report, whose whole job is to post.
 */
export async function run(): Promise<void> {
  let publisher: Publisher | null = null
  try {
    const inputs = readInputs()
    if (inputs.mode === 'compare' || inputs.mode === 'merge') {
      throw new UserError(
        `mode '${inputs.mode}' is not available in this version of the action; use mode 'gate', 'baseline' or 'report' (the CLI has 'perf-gate compare')`
      )
    }
    if (inputs.githubToken) core.setSecret(inputs.githubToken)
    const wf = readWorkflowRun()
    const api = readApiSettings()
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
    const posture = decidePosture(wf, inputs.githubToken)
    const client =
      posture.kind === 'write' && inputs.githubToken
        ? createClient(inputs.githubToken, {
            baseUrl: api.baseUrl,
            tuning: api.tuning,
            log: (m) => core.info(m)
          })
        : null

    let subject: Subject = {
      commit: wf.commit,
      target: wf.repository
        ? {
            repo: wf.repository,
            headSha: wf.commit.sha,
            pullNumber: wf.pull?.number ?? null,
            runKey: wf.runId ?? null,
            ...(wf.runUrl ? { detailsUrl: wf.runUrl } : {})
          }
        : null,
      runId: wf.runId,
      runUrl: wf.runUrl
    }
    if (inputs.mode === 'report') {
      if (!client || posture.kind !== 'write') {
        throw new UserError(
          `mode 'report' posts results, but ${posture.kind === 'files-only' ? posture.why : 'there is no token'}`
        )
      }
      const plan = await planReport(client, wf, path.resolve(workspace, inputs.resultsDir ?? ''))
      if (plan.kind === 'skip') {
        core.warning(`perf-gate: ${plan.why}`)
        core.setOutput('verdict', 'none')
        return
      }
      subject = {
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
        resultsFiles: plan.files
      }
      core.info(
        `perf-gate: reporting run ${plan.runKey} of ${plan.headSha} on #${plan.pull.number}`
      )
    }

    const posting = inputs.mode !== 'baseline' && (inputs.comment || inputs.checkRun)
    if (client && subject.target && posting) {
      publisher = new Publisher(
        client,
        subject.target,
        {
          comment: inputs.comment,
          checkRun: inputs.checkRun,
          acceptLabel: inputs.acceptLabel,
          configPath: repositoryPath(inputs.config, workspace),
          settleMs: 1000 * api.tuning.timeScale
        },
        coreReporter
      )
    } else if (posting && posture.kind === 'files-only') {
      const say = posture.warn ? core.warning : core.notice
      say(
        `perf-gate: the ledger and check run are written to files, not posted: ${posture.why}.` +
          (posture.warn ? ` ${REPORT_HINT}` : '')
      )
    }

    const pub = publisher
    const result = await runJob({
      mode: inputs.mode === 'report' ? 'gate' : inputs.mode,
      configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
      ...(inputs.results && !subject.resultsFiles ? { resultsGlob: inputs.results } : {}),
      ...(subject.resultsFiles ? { resultsFiles: subject.resultsFiles } : {}),
      store: openStore(inputs.baselineStore, { cwd: workspace, onWarning: (m) => core.warning(m) }),
      outDir: path.resolve(workspace, inputs.outputDir),
      rawDir: inputs.rawDir,
      failOn: inputs.failOn,
      commit: subject.commit,
      context: wf.context,
      reporter: coreReporter,
      ...(inputs.testbed ? { testbed: inputs.testbed } : {}),
      ...(inputs.repetitions !== undefined ? { repetitions: inputs.repetitions } : {}),
      ...(inputs.note ? { note: inputs.note } : {}),
      ...(subject.runId ? { runId: subject.runId } : {}),
      ...(subject.runUrl ? { runUrl: subject.runUrl } : {}),
      ...(pub ? { onStart: () => pub.start(), review: (o) => pub.review(o) } : {})
    })
    const published = pub ? await pub.finish(result) : null
    setOutputs(result, published)
    await writeSummary(result, wf, inputs)

    core.info(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`)
    if (inputs.mode === 'report' && published && published.problems.length > 0) {
      core.setFailed(`perf-gate: could not post the report: ${published.problems.join(' ')}`)
    } else if (result.failed) {
      core.setFailed(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`)
    }
  } catch (e) {
    // A user error is one actionable line; anything else is a bug, so keep the stack in the debug log.
    if (!isUserError(e) && e instanceof Error && e.stack) core.debug(e.stack)
    await publisher?.abort(`perf-gate: ${errorMessage(e)}`)
    core.setFailed(`perf-gate: ${errorMessage(e)}`)
  }
}

function setOutputs(result: JobResult, published: Published | null): void {
  const { outcome } = result
  core.setOutput('verdict', outcome.verdict)
  core.setOutput('route', outcome.route)
  core.setOutput('regressions', String(outcome.regressions))
  core.setOutput('improvements', String(outcome.improvements))
  core.setOutput('accepted', String(result.report.acceptance !== undefined))
  core.setOutput('report-path', result.paths.report)
  core.setOutput('results-path', result.paths.results)
  core.setOutput('ledger-path', result.paths.ledger)
  core.setOutput('check-run-path', result.paths.checkRun)
  core.setOutput('comment-id', published?.commentId?.toString() ?? '')
  core.setOutput('comment-url', published?.commentUrl ?? '')
  core.setOutput('check-run-id', published?.checkRunId?.toString() ?? '')
  core.setOutput('check-run-url', published?.checkRunUrl ?? '')
}

async function writeSummary(result: JobResult, wf: WorkflowRun, inputs: ActionInputs) {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const fork = inputs.mode === 'gate' && wf.pull?.fromFork
  const note = fork
    ? `\n> This pull request comes from a fork, so this run could not post the ledger or the check run. ${REPORT_HINT}\n`
    : ''
  await core.summary.addRaw(result.summary + note).write()
}

/** `perf-gate.yml` rather than `/home/runner/work/app/app/perf-gate.yml` in error messages. */
function relativeToCwd(file: string): string {
  const rel = path.relative(process.cwd(), file)
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel
}
