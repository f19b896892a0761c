import * as core from '@actions/core'
import { mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { openActionStore } from './baseline/action-store.js'
import { baselineWriteDecision } from './baseline/trust.js'
import { readInputs, type ActionInputs } from './config/inputs.js'
import { errorMessage, isUserError, UserError } from './errors.js'
import { runJob, type JobResult } from './engine/job.js'
import { mergeForConfig } from './engine/merge.js'
import { describeSelection, shardArtifactName, type ShardSelection } from './engine/shard.js'
import {
  defaultArtifactClient,
  downloadShardResults,
  scratchRoot,
  shardFilesInDir,
  uploadShard
} from './github/artifacts.js'
import { runHistoryJob } from './engine/history-mode.js'
import { describeDashboard, repoUrlFromEnv, runDashboardJob } from './dashboard/job.js'
import { createClient } from './github/client.js'
import { githubLineage } from './github/commit-graph.js'
import { readApiSettings, readWorkflowRun, type WorkflowRun } from './github/context.js'
import { decidePosture, REPORT_HINT } from './github/posture.js'
import { Publisher, repositoryPath, type Published, type PublishTarget } from './github/publish.js'
import { planReport } from './github/report-mode.js'
import type { Reporter } from './runners/progress.js'
import type { Commit, ResultSet } from './results/model.js'

const coreLog = { warning: (m: string) => core.warning(m), info: (m: string) => core.info(m) }

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
  /** mode report: the branch the reported PR merges into. */
  pullBase?: string | null
  /** mode merge: reads the shards once the job has started, so a failure shows on the check run. */
  mergeShards?: () => Promise<ResultSet>
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
    if (inputs.mode === 'compare') {
      throw new UserError(
        `mode '${inputs.mode}' is not available in this version of the action; use mode 'gate', 'baseline', 'report' or 'merge' (the CLI has 'perf-gate compare')`
      )
    }
    if (inputs.githubToken) core.setSecret(inputs.githubToken)
    if (inputs.mode === 'history') return await historyMode(inputs)
    if (inputs.mode === 'dashboard') return await dashboardMode(inputs)
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
        resultsFiles: plan.files,
        pullBase: plan.pull.baseRef
      }
      core.info(
        `perf-gate: reporting run ${plan.runKey} of ${plan.headSha} on #${plan.pull.number}`
      )
    }

    const selection: ShardSelection | null = inputs.shard
      ? { kind: 'shard', shard: inputs.shard }
      : inputs.benchmarks
        ? { kind: 'list', names: inputs.benchmarks }
        : null
    // A merge on the default branch records the shards as one baseline; elsewhere it gates.
    const jobMode =
      inputs.mode === 'merge'
        ? !wf.pull && baselineWriteDecision(wf.context).allowed
          ? 'baseline'
          : 'gate'
        : inputs.mode === 'baseline' && !selection
          ? 'baseline'
          : 'gate'
    if (inputs.mode === 'merge') {
      const scratch = scratchRoot()
      subject.mergeShards = async () => {
        const merged = await mergeForConfig({
          configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
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
    }
    if (selection) {
      core.info(
        `perf-gate: ${describeSelection(selection)}: this job uploads its results for the merge job (mode: merge), which gates all shards and posts the ledger and check run once; this job posts nothing and does not fail on its partial verdict`
      )
    }

    const posting = jobMode !== 'baseline' && !selection && (inputs.comment || inputs.checkRun)
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
      mode: jobMode,
      configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
      ...(inputs.results && !subject.resultsFiles ? { resultsGlob: inputs.results } : {}),
      ...(subject.resultsFiles ? { resultsFiles: subject.resultsFiles } : {}),
      ...(subject.mergeShards ? { resultSet: subject.mergeShards } : {}),
      ...(selection ? { select: selection } : {}),
      store: openActionStore(inputs, workspace, coreLog),
      outDir: path.resolve(workspace, inputs.outputDir),
      rawDir: inputs.rawDir,
      failOn: inputs.failOn,
      commit: subject.commit,
      context: wf.context,
      reporter: coreReporter,
      ...(inputs.testbed ? { testbed: inputs.testbed } : {}),
      ...(inputs.repetitions !== undefined ? { repetitions: inputs.repetitions } : {}),
      ...(inputs.note ? { note: inputs.note } : {}),
      ...(inputs.analystModel ? { analyst: { model: inputs.analystModel } } : {}),
      ...(subject.runId ? { runId: subject.runId } : {}),
      ...(subject.runUrl ? { runUrl: subject.runUrl } : {}),
      ...(pub ? { onStart: () => pub.start(), review: (o) => pub.review(o) } : {}),
      // A baseline is recorded whatever it would be compared with; a fork's run calls no API.
      lineage: githubLineage({
        client: jobMode === 'baseline' ? null : client,
        wf,
        sha: subject.commit.sha,
        aboutPull: inputs.mode === 'report',
        pullBase: subject.pullBase ?? null,
        maxDistance: inputs.baselineMaxDistance
      }),
      allowFingerprintChanges: inputs.allowFingerprintChanges,
      ...(inputs.dashboardUrl ? { dashboardUrl: inputs.dashboardUrl } : {})
    })
    const published = pub ? await pub.finish(result) : null
    setOutputs(result, published)
    await writeSummary(result, wf, inputs)

    core.info(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`)
    if (selection) {
      const name = shardArtifactName(result.config.testbed, selection)
      if (await uploadShard(name, result.paths.results, (m) => core.warning(m))) {
        core.info(`perf-gate: uploaded the shard results as artifact ${name}`)
      }
      return
    }
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

/** `mode: history`: change points over the stored baselines, reported and never failing. */
async function historyMode(inputs: ActionInputs): Promise<void> {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
  const result = await runHistoryJob({
    configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
    store: openActionStore(inputs, workspace, coreLog),
    outDir: path.resolve(workspace, inputs.outputDir),
    ...(inputs.testbed ? { testbed: inputs.testbed } : {})
  })
  core.setOutput('verdict', 'neutral')
  core.setOutput('route', 'none')
  core.setOutput('change-points', String(result.changePoints))
  core.setOutput('report-path', result.path)
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(result.markdown).write()
  core.info(
    `perf-gate: history of testbed ${result.report.testbed}: ${result.changePoints} change point(s) over ${result.report.baselines} baseline(s); report in ${result.path}`
  )
}

/** `mode: dashboard`: the history site from the baseline store, in output-dir/dashboard. */
async function dashboardMode(inputs: ActionInputs): Promise<void> {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
  const result = await runDashboardJob({
    store: openActionStore(inputs, workspace, coreLog),
    outDir: path.resolve(workspace, inputs.outputDir, 'dashboard'),
    configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
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
