import { readFileSync } from 'node:fs'
import type { RunContext } from '../baseline/trust.js'
import { UserError } from '../errors.js'
import type { Commit } from '../results/model.js'

/** The parts of the workflow run the gate needs, read from the runner's environment. */
export interface WorkflowRun {
  context: RunContext
  commit: Commit
  runId: string | undefined
  runUrl: string | undefined
  pullRequest: number | undefined
}

interface EventPayload {
  repository?: { default_branch?: string; full_name?: string }
  pull_request?: { number?: number; head?: { sha?: string; repo?: { full_name?: string } } }
}

/**
 * Reads GITHUB_* variables and the event payload. For a pull request the commit is the PR head,
 * not GITHUB_SHA: that is the temporary merge commit, and nothing attached to it shows on the PR.
 */
export function readWorkflowRun(env: NodeJS.ProcessEnv = process.env): WorkflowRun {
  const onGitHub = env.GITHUB_ACTIONS === 'true'
  let payload: EventPayload = {}
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload
    } catch (e) {
      throw new UserError(
        `cannot read the event payload at GITHUB_EVENT_PATH (${(e as Error).message})`
      )
    }
  }
  const pr = payload.pull_request
  const repo = env.GITHUB_REPOSITORY ?? payload.repository?.full_name
  const headRepo = pr?.head?.repo?.full_name
  const sha = pr?.head?.sha ?? env.GITHUB_SHA ?? null
  const runId = env.GITHUB_RUN_ID
    ? `${env.GITHUB_RUN_ID}.${env.GITHUB_RUN_ATTEMPT ?? '1'}`
    : undefined
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  return {
    context: {
      onGitHub,
      ...(env.GITHUB_EVENT_NAME ? { eventName: env.GITHUB_EVENT_NAME } : {}),
      ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
      ...(payload.repository?.default_branch
        ? { defaultBranch: payload.repository.default_branch }
        : {}),
      fromFork: Boolean(headRepo && repo && headRepo !== repo)
    },
    commit: { sha, ref: env.GITHUB_HEAD_REF || env.GITHUB_REF || null },
    runId,
    runUrl:
      env.GITHUB_RUN_ID && repo ? `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    pullRequest: pr?.number
  }
}
