import * as core from '@actions/core'
import path from 'node:path'
import { githubLineage } from '../github/commit-graph.js'
import { REPORT_HINT } from '../github/posture.js'
import type { AbRequest } from '../engine/ab/index.js'
import type { JobMode, JobOptions } from '../engine/job.js'
import { shardArtifactName, type ShardSelection } from '../engine/shard.js'
import { actionOutput } from '../outputs/action.js'
import { filesOutput } from '../outputs/files.js'
import { Publisher, type PublishTarget } from '../outputs/github.js'
import { runWithOutputs, type JobResult, type Output } from '../outputs/index.js'
import { terminalText } from '../report/escape.js'
import type { Commit, ResultSet } from '../results/model.js'
import { runHistoryJob } from '../engine/history-mode.js'
import { uploadShard } from './artifacts.js'
import { fileRegressionIssues } from './issues.js'
import { configPath, coreLog, coreReporter, repositoryPath, type ActionRun } from './run.js'
import { openActionStore } from './store.js'

/*
 * What the gate, baseline, report and merge modes share: the job through the engine, with the
 * outputs this run can have, and the step failed when the verdict reaches fail-on.
 */

/** What the job runs on and posts to: this run, or in mode report the measured run of a PR. */
export interface Subject {
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

/** The subject of a gate or baseline run: this workflow run and its pull request. */
export function thisRun({ wf }: ActionRun): Subject {
  return {
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
}

export interface ActionJob {
  jobMode: JobMode
  /** A shard job: runs part of the benchmarks, uploads them for the merge, and posts nothing. */
  selection: ShardSelection | null
  /** mode gate: an A/B run in this job, always or as the config says. */
  ab?: AbRequest | undefined
}

export async function runActionJob(
  run: ActionRun,
  subject: Subject,
  { jobMode, selection, ab }: ActionJob
): Promise<JobResult> {
  const { inputs, wf, client, posture, workspace } = run
  const posting = jobMode !== 'baseline' && !selection && (inputs.comment || inputs.checkRun)
  const outputs: Output[] = [
    filesOutput({
      outDir: path.resolve(workspace, inputs.outputDir),
      rawDir: inputs.rawDir,
      reporter: coreReporter,
      configPath: repositoryPath(inputs.config, workspace)
    })
  ]
  let publisher: Publisher | null = null
  if (client && subject.target && posting) {
    publisher = new Publisher(
      client,
      subject.target,
      {
        comment: inputs.comment,
        checkRun: inputs.checkRun,
        acceptLabel: inputs.acceptLabel,
        configPath: repositoryPath(inputs.config, workspace),
        settleMs: 1000 * run.api.tuning.timeScale,
        promoteDraft: inputs.promoteDraft
      },
      coreReporter
    )
    outputs.push(publisher)
  } else if (posting && posture.kind === 'files-only') {
    const say = posture.warn ? core.warning : core.notice
    say(
      `perf-gate: the ledger and check run are written to files, not posted: ${posture.why}.` +
        (posture.warn ? ` ${REPORT_HINT}` : '')
    )
  }
  const fork = inputs.mode === 'gate' && wf.pull?.fromFork
  outputs.push(
    actionOutput(
      {
        setOutput: (name, value) => core.setOutput(name, value),
        summary: async (markdown) => {
          if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write()
        }
      },
      fork
        ? {
            summaryNote: `\n> This pull request comes from a fork, so this run could not post the ledger or the check run. ${REPORT_HINT}\n`
          }
        : {}
    )
  )

  const job: Omit<JobOptions, 'onStart' | 'review'> = {
    mode: jobMode,
    configPath: configPath(run),
    ...(inputs.results && !subject.resultsFiles ? { resultsGlob: inputs.results } : {}),
    ...(subject.resultsFiles ? { resultsFiles: subject.resultsFiles } : {}),
    ...(subject.mergeShards ? { resultSet: subject.mergeShards } : {}),
    ...(selection ? { select: selection } : {}),
    store: openActionStore(inputs, workspace, coreLog),
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
    ...(ab ? { ab } : {}),
    ...(inputs.dashboardUrl ? { dashboardUrl: inputs.dashboardUrl } : {})
  }
  const result = await runWithOutputs(job, outputs)

  core.info(terminalText(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`))
  if (selection) {
    const name = shardArtifactName(result.config.testbed, selection)
    const file = result.files?.paths.results
    if (file && (await uploadShard(name, file, (m) => core.warning(m)))) {
      core.info(`perf-gate: uploaded the shard results as artifact ${name}`)
    }
    return result
  }
  if (jobMode === 'baseline' && result.baselineWritten && inputs.openIssues) {
    // The history now ends with this baseline: a regression it completes becomes an issue.
    const history = await runHistoryJob({
      configPath: configPath(run),
      store: openActionStore(inputs, workspace, coreLog),
      outDir: path.resolve(workspace, inputs.outputDir),
      testbed: result.config.testbed
    })
    await fileRegressionIssues(run, history.report, result.config)
  }
  const problems = result.published?.problems ?? []
  if (inputs.mode === 'report' && problems.length > 0) {
    core.setFailed(`perf-gate: could not post the report: ${problems.join(' ')}`)
  } else if (result.failed) {
    core.setFailed(terminalText(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`))
  }
  return result
}
