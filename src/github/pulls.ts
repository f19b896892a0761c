import type { GitHubClient } from './client.js'
import { explainApiError } from './errors.js'
import type { RepoRef, UpstreamRun } from './context.js'
import { shortSha } from '../shared/text.js'

/** The pull request as it is now, not as the event that started the run saw it. */
export interface PullState {
  number: number
  /** The GraphQL node id (`markPullRequestReadyForReview` takes it). */
  nodeId: string
  open: boolean
  headSha: string
  headRepo: string | null
  /** The branch the PR merges into: its baseline is chosen on that branch's history. */
  baseRef: string | null
  draft: boolean
  body: string
  labels: string[]
}

type PullData = {
  number: number
  node_id: string
  state: string
  draft?: boolean
  body: string | null
  head: { sha: string; repo: { full_name: string } | null }
  base?: { ref: string }
  labels: Array<{ name?: string } | string>
}

function toState(p: PullData): PullState {
  return {
    number: p.number,
    nodeId: p.node_id,
    open: p.state === 'open',
    headSha: p.head.sha,
    headRepo: p.head.repo?.full_name ?? null,
    baseRef: p.base?.ref ?? null,
    draft: p.draft ?? false,
    body: p.body ?? '',
    labels: p.labels
      .map((l) => (typeof l === 'string' ? l : (l.name ?? '')))
      .filter((n) => n !== '')
  }
}

export async function getPull(
  client: GitHubClient,
  repo: RepoRef,
  number: number
): Promise<PullState> {
  try {
    const { data } = await client.rest.pulls.get({ ...repo, pull_number: number })
    return toState(data)
  } catch (e) {
    throw explainApiError(e, `reading pull request #${number}`)
  }
}

/** Who most recently put `label` on the issue, from its event history; null when not recorded. */
export async function labeledBy(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  label: string
): Promise<string | null> {
  let who: string | null = null
  const pages = client.paginate.iterator(client.rest.issues.listEvents, {
    ...repo,
    issue_number: number,
    per_page: 100
  })
  for await (const page of pages) {
    for (const ev of page.data) {
      if (!('label' in ev) || ev.label?.name !== label) continue
      if (ev.event === 'labeled') who = ev.actor?.login ?? null
      else if (ev.event === 'unlabeled') who = null
    }
  }
  return who
}

/**
 * The open pull request a `workflow_run` measured, found from the run's own head (sha, branch,
 * repository) as GitHub reports it in the event, never from anything the measured run uploaded.
 * GitHub leaves `pull_requests` empty for forks, so the open PRs of the head branch are listed and
 * the one whose head is still that sha is taken. Null when the PR is closed or has moved on.
 */
export async function findPullForRun(
  client: GitHubClient,
  repo: RepoRef,
  run: UpstreamRun
): Promise<{ pull: PullState | null; why: string }> {
  if (!run.headSha) return { pull: null, why: 'the workflow_run event has no head_sha' }
  const candidates = new Map<number, PullState>()
  try {
    for (const n of run.pullRequests) candidates.set(n, await getPull(client, repo, n))
    if (run.headRepo && run.headBranch) {
      const owner = run.headRepo.split('/')[0] ?? ''
      const pages = client.paginate.iterator(client.rest.pulls.list, {
        ...repo,
        state: 'open',
        head: `${owner}:${run.headBranch}`,
        per_page: 100
      })
      for await (const page of pages) {
        for (const p of page.data) {
          if (p.head.repo?.full_name !== run.headRepo) continue
          candidates.set(p.number, toState(p))
        }
      }
    }
  } catch (e) {
    throw explainApiError(e, 'finding the pull request of the measured run')
  }
  const open = [...candidates.values()].filter((p) => p.open)
  const match = open.filter((p) => p.headSha === run.headSha)
  if (match.length === 1 && match[0]) return { pull: match[0], why: `#${match[0].number}` }
  if (match.length > 1) {
    return {
      pull: null,
      why: `several open pull requests (${match.map((p) => `#${p.number}`).join(', ')}) have head ${run.headSha}; not guessing`
    }
  }
  if (open.length > 0) {
    return {
      pull: null,
      why: `the pull request's head moved on (${open.map((p) => `#${p.number} is at ${shortSha(p.headSha) ?? '?'}`).join(', ')}) since ${shortSha(run.headSha) ?? '?'} was measured`
    }
  }
  return {
    pull: null,
    why: `no open pull request has head ${shortSha(run.headSha) ?? '?'} on ${run.headRepo ?? '?'}:${run.headBranch ?? '?'} (closed, or not a pull request)`
  }
}
