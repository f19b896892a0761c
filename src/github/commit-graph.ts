import type { BaselineTarget, CommitGraph } from '../types/lineage.js'
import type { GitHubClient } from './client.js'
import type { RepoRef, WorkflowRun } from './context.js'
import { explainApiError } from './errors.js'
import { shortSha } from '../shared/text.js'

/*
 * The repository's history through the REST API, for choosing a pull request's baseline on a
 * runner whose checkout is shallow (actions/checkout fetches one commit by default). Needs only
 * `contents: read`, which a fork's read-only token has too.
 */

const PAGE = 100

export function githubCommitGraph(client: GitHubClient, repo: RepoRef): CommitGraph {
  return {
    source: 'the GitHub API',
    async mergeBase(base, head) {
      try {
        // One commit per page: only `merge_base_commit` is wanted, not the list of PR commits.
        const { data } = await client.rest.repos.compareCommitsWithBasehead({
          ...repo,
          basehead: `${base}...${head}`,
          per_page: 1
        })
        return data.merge_base_commit.sha || null
      } catch (e) {
        throw explainApiError(e, `comparing ${base}...${head}`)
      }
    },
    async ancestors(sha, limit) {
      const out: string[] = []
      if (limit <= 0) return out
      try {
        const pages = client.paginate.iterator(client.rest.repos.listCommits, {
          ...repo,
          sha,
          per_page: Math.min(PAGE, limit)
        })
        for await (const page of pages) {
          for (const c of page.data) {
            out.push(c.sha)
            if (out.length >= limit) return out
          }
        }
      } catch (e) {
        throw explainApiError(e, `listing the commits before ${shortSha(sha) ?? '?'}`)
      }
      return out
    }
  }
}

/**
 * What a run's baseline is chosen by: for a pull request (or mode report, about one) the
 * merge-base of its base branch and head, for a push or dispatch the run's own commit. Without a
 * client (no token, not on GitHub) the testbed's latest baseline, as before.
 */
export function githubLineage(opts: {
  client: GitHubClient | null
  wf: WorkflowRun
  /** The commit measured (for mode report, the PR head from the event). */
  sha: string | null
  /** True when the run is about a pull request even without a pull_request event (mode report). */
  aboutPull: boolean
  /** The branch that pull request merges into, when read from the API (mode report). */
  pullBase?: string | null
  maxDistance: number
  env?: NodeJS.ProcessEnv
}): { graph: CommitGraph | null; target: BaselineTarget; maxDistance: number } {
  const { client, wf, sha, maxDistance } = opts
  const env = opts.env ?? process.env
  if (!client || !wf.repository || !sha)
    return { graph: null, target: { kind: 'latest' }, maxDistance }
  const graph = githubCommitGraph(client, wf.repository)
  if (wf.pull || opts.aboutPull) {
    // GITHUB_BASE_REF is set for pull_request events; mode report reads the PR's base from the
    // API, since a workflow_run event does not carry it.
    const base = opts.pullBase || env.GITHUB_BASE_REF || wf.context.defaultBranch || 'main'
    return { graph, target: { kind: 'pull', base, head: wf.pull?.headSha ?? sha }, maxDistance }
  }
  return { graph, target: { kind: 'commit', sha }, maxDistance }
}
