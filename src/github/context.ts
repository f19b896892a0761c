import { readFileSync } from 'node:fs'
import type { RunContext } from '../types/run-context.js'
import { UserError } from '../errors.js'
import type { Commit } from '../results/model.js'
import { GITHUB_TUNING, type ApiTuning } from './client.js'

/** The parts of the workflow run the gate needs, read from the runner's environment. */
export interface WorkflowRun {
  context: RunContext
  commit: Commit
  runId: string | undefined
  runUrl: string | undefined
  pullRequest: number | undefined
  /** The repository the workflow runs in, where comments and check runs go. */
  repository: RepoRef | null
  /** The pull request of a `pull_request` event, as the event saw it. */
  pull: PullInfo | null
  /** The run a `workflow_run` event reports on (mode `report`). */
  upstream: UpstreamRun | null
  /** Who started the run (`GITHUB_ACTOR`). */
  actor: string | null
}

export interface RepoRef {
  owner: string
  repo: string
}

export interface PullInfo {
  number: number
  headSha: string | null
  /** `owner/name` of the repository the head branch lives in. */
  headRepo: string | null
  fromFork: boolean
  /** The base branch's commit when the event was sent (an A/B run's base is found from it). */
  baseSha: string | null
}

/** The measuring run a `workflow_run` event is about. Nothing here comes from its artifact. */
export interface UpstreamRun {
  id: number
  attempt: number
  /** The event that started it: `pull_request` for the fork flow. */
  event: string | null
  headSha: string | null
  headBranch: string | null
  headRepo: string | null
  htmlUrl: string | null
  /** PR numbers GitHub attached; always empty for PRs from forks. */
  pullRequests: number[]
}

interface EventPayload {
  repository?: { default_branch?: string; full_name?: string }
  pull_request?: {
    number?: number
    head?: { sha?: string; repo?: { full_name?: string } | null }
    base?: { sha?: string }
  }
  workflow_run?: {
    id?: number
    run_attempt?: number
    event?: string
    head_sha?: string
    head_branch?: string | null
    html_url?: string
    head_repository?: { full_name?: string } | null
    pull_requests?: Array<{ number?: number }>
  }
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
  // A fork deleted after the PR was opened leaves `head.repo: null`: still not this repository.
  const headRepo = pr?.head?.repo === null ? '(deleted fork)' : pr?.head?.repo?.full_name
  const sha = pr?.head?.sha ?? env.GITHUB_SHA ?? null
  const runId = env.GITHUB_RUN_ID
    ? `${env.GITHUB_RUN_ID}.${env.GITHUB_RUN_ATTEMPT ?? '1'}`
    : undefined
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const [owner, name] = (repo ?? '').split('/')
  return {
    repository: owner && name ? { owner, repo: name } : null,
    pull:
      pr?.number !== undefined
        ? {
            number: pr.number,
            headSha: pr.head?.sha ?? null,
            headRepo: headRepo ?? null,
            fromFork: Boolean(headRepo && repo && headRepo !== repo),
            baseSha: pr.base?.sha ?? null
          }
        : null,
    upstream: upstreamRun(payload),
    actor: env.GITHUB_ACTOR ?? null,
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

function upstreamRun(payload: EventPayload): UpstreamRun | null {
  const wr = payload.workflow_run
  if (wr?.id === undefined) return null
  return {
    id: wr.id,
    attempt: wr.run_attempt ?? 1,
    event: wr.event ?? null,
    headSha: wr.head_sha ?? null,
    headBranch: wr.head_branch ?? null,
    headRepo: wr.head_repository?.full_name ?? null,
    htmlUrl: wr.html_url ?? null,
    pullRequests: (wr.pull_requests ?? [])
      .map((p) => p.number)
      .filter((n): n is number => typeof n === 'number')
  }
}

export interface ApiSettings {
  baseUrl: string
  tuning: ApiTuning
}

/**
 * Where the API is (`GITHUB_API_URL`: GitHub Enterprise Server, or a test's stand-in) and how
 * patient to be with it. `PERF_GATE_API_TUNING` is a test hook: JSON overriding `ApiTuning` fields,
 * for running the built action against a loopback stand-in without waiting out GitHub's pacing.
 */
export function readApiSettings(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  let tuning = GITHUB_TUNING
  if (env.PERF_GATE_API_TUNING) {
    try {
      tuning = { ...GITHUB_TUNING, ...(JSON.parse(env.PERF_GATE_API_TUNING) as Partial<ApiTuning>) }
    } catch {
      throw new UserError('PERF_GATE_API_TUNING must be a JSON object')
    }
  }
  return { baseUrl: env.GITHUB_API_URL || 'https://api.github.com', tuning }
}
