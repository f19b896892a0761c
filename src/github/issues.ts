import {
  issueTitle,
  parseIssueMarker,
  REGRESSION_LABEL,
  REGRESSION_LABEL_COLOR,
  REGRESSION_LABEL_DESCRIPTION,
  renderIssueBody,
  renderRecoveryComment,
  seriesKey,
  type IssueLinks,
  type LikelyCommits,
  type RegressionFinding
} from '../report/regression-issue.js'
import type { RunContext } from '../types/run-context.js'
import { shortSha } from '../shared/text.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './context.js'
import { explainApiError, statusOf } from './errors.js'

/*
 * Regressions that slipped through, as issues labelled `perf-regression`: one per change point,
 * found again by its hidden marker so a rerun updates it; a recovery comments and closes it. Only
 * trusted runs of the default branch write issues, decided here, so no caller can forget it: an
 * issue opened from a pull request's run would let any PR file issues under the repository's name.
 */

export interface IssueTrust {
  allowed: boolean
  reason: string
}

/** Events that run the default branch's own code, never a pull request's. */
const TRUSTED_EVENTS = new Set(['push', 'workflow_dispatch', 'schedule'])

export function issueWriteDecision(ctx: RunContext): IssueTrust {
  if (!ctx.onGitHub) return { allowed: false, reason: 'issues are opened only on GitHub Actions' }
  const event = ctx.eventName ?? '(unknown)'
  if (!TRUSTED_EVENTS.has(event)) {
    return {
      allowed: false,
      reason: `issues are opened only by push, schedule or workflow_dispatch runs of the default branch; this run is a '${event}' event`
    }
  }
  if (ctx.fromFork) {
    return {
      allowed: false,
      reason: 'the code comes from a fork; issues are opened only by the repository itself'
    }
  }
  // A schedule always runs the default branch's latest commit, and its payload names no branch.
  if (event !== 'schedule') {
    if (!ctx.defaultBranch) {
      return {
        allowed: false,
        reason: 'the default branch is unknown (no repository in the event payload)'
      }
    }
    const expected = `refs/heads/${ctx.defaultBranch}`
    if (ctx.ref !== expected) {
      return {
        allowed: false,
        reason: `issues are opened only from the default branch (${expected}); this run is on ${ctx.ref ?? '(no ref)'}`
      }
    }
  }
  return { allowed: true, reason: `${event} on the default branch` }
}

interface KnownIssue {
  number: number
  open: boolean
  title: string
  body: string
  series: string
  sha: string | null
}

export interface IssueSync {
  opened: number[]
  updated: number[]
  closed: number[]
  /** Set when the run may not write issues: nothing was sent. */
  refused: string | null
}

export interface IssueSyncOptions {
  /** `https://github.com` (GITHUB_SERVER_URL), for compare and commit links. */
  serverUrl: string
  log?: (message: string) => void
  /** Commits looked up for the pull requests that merged them, at most. */
  maxCommits?: number
}

const MAX_COMMITS = 30

async function knownIssues(client: GitHubClient, repo: RepoRef): Promise<KnownIssue[]> {
  const out: KnownIssue[] = []
  const pages = client.paginate.iterator(client.rest.issues.listForRepo, {
    ...repo,
    labels: REGRESSION_LABEL,
    state: 'all',
    per_page: 100
  })
  for await (const page of pages) {
    for (const issue of page.data) {
      if (issue.pull_request) continue
      const marker = parseIssueMarker(issue.body ?? '')
      if (!marker) continue
      out.push({
        number: issue.number,
        open: issue.state === 'open',
        title: issue.title,
        body: issue.body ?? '',
        ...marker
      })
    }
  }
  return out.sort((a, b) => a.number - b.number)
}

async function ensureLabel(client: GitHubClient, repo: RepoRef): Promise<void> {
  try {
    await client.rest.issues.getLabel({ ...repo, name: REGRESSION_LABEL })
  } catch (e) {
    if (statusOf(e) !== 404) throw e
    try {
      await client.rest.issues.createLabel({
        ...repo,
        name: REGRESSION_LABEL,
        color: REGRESSION_LABEL_COLOR,
        description: REGRESSION_LABEL_DESCRIPTION
      })
    } catch (e2) {
      // Another run created it first.
      if (statusOf(e2) !== 422) throw e2
    }
  }
}

/** The first commit of the range and the pull requests that merged its commits. */
async function likelyCommits(
  client: GitHubClient,
  repo: RepoRef,
  base: string,
  head: string,
  maxCommits: number
): Promise<LikelyCommits> {
  const { data } = await client.rest.repos.compareCommitsWithBasehead({
    ...repo,
    basehead: `${base}...${head}`,
    per_page: 100
  })
  const commits = data.commits
  const first = commits[0]
  const pulls = new Map<number, LikelyCommits['pulls'][number]>()
  for (const c of commits.slice(0, maxCommits)) {
    const found = await client.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: c.sha,
      per_page: 100
    })
    for (const p of found.data) {
      if (!p.merged_at || pulls.has(p.number)) continue
      pulls.set(p.number, {
        number: p.number,
        title: p.title,
        url: p.html_url,
        author: p.user?.login ?? null
      })
    }
  }
  return {
    first: first ? { sha: first.sha, message: first.commit.message, url: first.html_url } : null,
    total: data.total_commits,
    pulls: [...pulls.values()].sort((a, b) => a.number - b.number)
  }
}

function shaIndex(f: RegressionFinding, sha: string | null): number {
  return sha ? f.metric.points.findIndex((p) => p.sha?.startsWith(sha) ?? false) : -1
}

/**
 * The issue of this change point: the one with its marker, else an issue of the same series whose
 * change point sits within a few baselines of it with no other step between (more baselines can
 * move the point found by one or two).
 */
function issueFor(f: RegressionFinding, known: KnownIssue[]): KnownIssue | undefined {
  const series = seriesKey(f.testbed, f.metric.benchmark, f.metric.metric)
  const mine = known.filter((k) => k.series === series)
  const exact = mine.find((k) => k.sha !== null && k.sha === f.step.sha)
  if (exact) return exact
  return mine.find((k) => {
    const at = shaIndex(f, k.sha)
    if (at < 0 || Math.abs(at - f.step.index) > 3) return false
    const [lo, hi] = [Math.min(at, f.step.index), Math.max(at, f.step.index)]
    return !f.metric.steps.some((s) => s !== f.step && s.index >= lo && s.index <= hi)
  })
}

export async function syncRegressionIssues(
  client: GitHubClient,
  repo: RepoRef,
  context: RunContext,
  findings: readonly RegressionFinding[],
  opts: IssueSyncOptions
): Promise<IssueSync> {
  const result: IssueSync = { opened: [], updated: [], closed: [], refused: null }
  const trust = issueWriteDecision(context)
  if (!trust.allowed) return { ...result, refused: trust.reason }
  const log = opts.log ?? (() => undefined)
  const server = opts.serverUrl.replace(/\/+$/, '')
  const web = `${server}/${repo.owner}/${repo.repo}`
  let what = 'listing the perf-regression issues'
  try {
    const known = await knownIssues(client, repo)
    let labelled = false
    for (const f of findings) {
      const issue = issueFor(f, known)
      const links: IssueLinks = {
        compareUrl:
          f.previous?.sha && f.step.sha ? `${web}/compare/${f.previous.sha}...${f.step.sha}` : null,
        commitUrl: (sha) => `${web}/commit/${sha}`
      }
      if (f.recovery) {
        if (!issue?.open) continue
        what = `closing issue #${issue.number}`
        await client.rest.issues.createComment({
          ...repo,
          issue_number: issue.number,
          body: renderRecoveryComment(f, links)
        })
        await client.rest.issues.update({
          ...repo,
          issue_number: issue.number,
          state: 'closed',
          state_reason: 'completed'
        })
        issue.open = false
        result.closed.push(issue.number)
        log(`issue #${issue.number}: recovered at ${shortSha(f.recovery.sha) ?? '?'}, closed`)
        continue
      }
      let likely: LikelyCommits | null = null
      if (f.previous?.sha && f.step.sha) {
        what = `reading the commits ${shortSha(f.previous.sha) ?? '?'}...${shortSha(f.step.sha) ?? '?'}`
        likely = await likelyCommits(
          client,
          repo,
          f.previous.sha,
          f.step.sha,
          opts.maxCommits ?? MAX_COMMITS
        ).catch((e: unknown) => {
          // The range may be gone (a rewritten history): the issue is still worth opening.
          log(`${what}: ${(explainApiError(e, what) as Error).message}`)
          return null
        })
      }
      const title = issueTitle(f)
      const body = renderIssueBody(f, likely, links)
      if (issue) {
        if (issue.body === body && issue.title === title) continue
        what = `updating issue #${issue.number}`
        await client.rest.issues.update({ ...repo, issue_number: issue.number, title, body })
        Object.assign(issue, { body, title, sha: f.step.sha })
        result.updated.push(issue.number)
        log(`issue #${issue.number} updated: ${title}`)
        continue
      }
      if (!labelled) {
        what = `creating the label ${REGRESSION_LABEL}`
        await ensureLabel(client, repo)
        labelled = true
      }
      what = `opening the issue '${title}'`
      // Never retried blindly: a second POST after a lost answer would open a second issue.
      const { data } = await client.rest.issues.create({
        ...repo,
        title,
        body,
        labels: [REGRESSION_LABEL],
        request: { retries: 0 }
      })
      known.push({
        number: data.number,
        open: true,
        title,
        body,
        series: seriesKey(f.testbed, f.metric.benchmark, f.metric.metric),
        sha: f.step.sha
      })
      result.opened.push(data.number)
      log(`issue #${data.number} opened: ${title}`)
    }
  } catch (e) {
    throw explainApiError(e, what)
  }
  return result
}
