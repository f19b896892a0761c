import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'
import { UserError } from '../errors.js'
import type { GitHubClient } from './client.js'
import type { WorkflowRun } from './context.js'
import { findPullForRun, type PullState } from './pulls.js'

/*
 * `mode: report` runs in a `workflow_run` workflow: the trusted side of the fork flow. Its inputs
 * are untrusted data: the artifact supplies measurements only. Which PR, which commit and which
 * run come from the event GitHub delivered, and the PR is checked to still be at that commit.
 */

/** Artifacts are measurements, not archives of anything: a results file is far below this. */
const MAX_FILE_BYTES = 32 * 1024 * 1024
const MAX_FILES = 200

export type ReportPlan =
  | { kind: 'skip'; why: string }
  | {
      kind: 'report'
      pull: PullState
      headSha: string
      headBranch: string | null
      /** `id.attempt` of the measured run: keys its hop entry and check run. */
      runKey: string
      runUrl: string | null
      files: string[]
    }

/** The JSON files of the downloaded artifact; refuses links and oversized files. */
export async function artifactFiles(dir: string): Promise<string[] | null> {
  let top
  try {
    top = await lstat(dir)
  } catch {
    return null
  }
  if (!top.isDirectory()) throw new UserError(`results-dir '${dir}' is not a directory`)
  const out: string[] = []
  const walk = async (d: string, depth: number): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name)
      if (entry.isSymbolicLink()) {
        throw new UserError(`the results artifact holds a symbolic link (${file}); refusing it`)
      }
      if (entry.isDirectory() && depth < 4) await walk(file, depth + 1)
      else if (entry.isFile() && entry.name.endsWith('.json')) {
        const { size } = await lstat(file)
        if (size > MAX_FILE_BYTES) {
          throw new UserError(
            `${file} is ${size} bytes; a results file is at most ${MAX_FILE_BYTES}`
          )
        }
        out.push(file)
        if (out.length > MAX_FILES) {
          throw new UserError(`the results artifact holds more than ${MAX_FILES} JSON files`)
        }
      }
    }
  }
  await walk(dir, 0)
  return out.sort()
}

export async function planReport(
  client: GitHubClient,
  wf: WorkflowRun,
  resultsDir: string
): Promise<ReportPlan> {
  if (wf.context.eventName !== 'workflow_run' || !wf.upstream || !wf.repository) {
    throw new UserError(
      `mode 'report' runs from a workflow_run event (this is '${wf.context.eventName ?? 'unknown'}'); it posts what a pull_request run measured`
    )
  }
  const run = wf.upstream
  if (run.event !== 'pull_request' && run.event !== 'pull_request_target') {
    return {
      kind: 'skip',
      why: `the measured run was started by '${run.event ?? 'unknown'}', not by a pull request; there is nothing to report`
    }
  }
  const files = await artifactFiles(resultsDir)
  if (!files || files.length === 0) {
    return {
      kind: 'skip',
      why: `no results in '${resultsDir}' (the measuring run uploaded none, or the artifact expired); nothing was posted`
    }
  }
  const found = await findPullForRun(client, wf.repository, run)
  if (!found.pull || !run.headSha) {
    return { kind: 'skip', why: `not posting: ${found.why}` }
  }
  return {
    kind: 'report',
    pull: found.pull,
    headSha: run.headSha,
    headBranch: run.headBranch,
    runKey: `${run.id}.${run.attempt}`,
    runUrl: run.htmlUrl,
    files
  }
}
