import type { Account, GitHubStandin, Handler, HandlerContext } from './github-standin.js'
import { StandinError, userJson } from './github-standin.js'

/*
 * The issues part of the stand-in: issues (numbered with the pull requests, as GitHub numbers
 * them), labels, and the pull requests associated with a commit. Listing filters by label and
 * state and pages with Link headers; a pull request is listed among the issues with its
 * `pull_request` key, as GitHub lists it. Shapes follow the OpenAPI description, which checks
 * every response.
 */

export interface StoredIssue {
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  stateReason: 'completed' | 'not_planned' | 'reopened' | null
  labels: string[]
  user: Account
  createdAt: string
  updatedAt: string
  closedAt: string | null
}

export interface StoredLabel {
  name: string
  color: string
  description: string | null
}

function repoApi(s: GitHubStandin): string {
  return `${s.url}/repos/${s.owner}/${s.repo}`
}

function hash(text: string): number {
  let h = 7
  for (const ch of text) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 1_000_000_007
  return h
}

export function labelJson(s: GitHubStandin, name: string): Record<string, unknown> {
  const stored = s.labels.get(name.toLowerCase())
  return {
    id: hash(name),
    node_id: `LA_${hash(name)}`,
    url: `${repoApi(s)}/labels/${encodeURIComponent(name)}`,
    name: stored?.name ?? name,
    description: stored?.description ?? null,
    color: stored?.color ?? 'ededed',
    default: false
  }
}

function issueJson(s: GitHubStandin, i: StoredIssue): Record<string, unknown> {
  const api = `${repoApi(s)}/issues/${i.number}`
  return {
    id: i.number * 1000 + 3,
    node_id: `I_${i.number}`,
    url: api,
    repository_url: repoApi(s),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `https://github.com/${s.owner}/${s.repo}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: userJson(i.user),
    labels: i.labels.map((l) => labelJson(s, l)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: s.commentsOn(i.number).length,
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    author_association: i.user.type === 'Bot' ? 'NONE' : 'OWNER'
  }
}

/** A pull request as the issues list shows it. */
function pullAsIssueJson(s: GitHubStandin, number: number): Record<string, unknown> {
  const p = s.pulls.get(number)
  if (!p) throw new StandinError(404, 'Not Found')
  const html = `https://github.com/${s.owner}/${s.repo}/pull/${p.number}`
  return {
    ...issueJson(s, {
      number: p.number,
      title: p.title,
      body: p.body,
      state: p.state,
      stateReason: null,
      labels: p.labels,
      user: p.user,
      createdAt: '2026-11-20T10:00:00Z',
      updatedAt: '2026-11-22T10:00:00Z',
      closedAt: p.state === 'closed' ? '2026-11-22T10:00:00Z' : null
    }),
    pull_request: {
      url: `${repoApi(s)}/pulls/${p.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: p.mergedAt ?? null
    }
  }
}

function page(
  ctx: HandlerContext,
  items: unknown[],
  path: string
): { body: unknown[]; headers: Record<string, string> } {
  const perPage = Math.min(Number(ctx.query.get('per_page') ?? 30) || 30, 100)
  const n = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (to: number, rel: string) => {
    const q = new URLSearchParams(ctx.query)
    q.set('per_page', String(perPage))
    q.set('page', String(to))
    return `<${ctx.standin.url}${path}?${q.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (n > 1) links.push(link(n - 1, 'prev'), link(1, 'first'))
  if (n < last) links.push(link(n + 1, 'next'), link(last, 'last'))
  return {
    body: items.slice((n - 1) * perPage, n * perPage),
    headers: links.length ? { link: links.join(', ') } : {}
  }
}

function issueFor(ctx: HandlerContext): StoredIssue {
  const issue = ctx.standin.issues.get(Number(ctx.route.params.issue_number))
  if (!issue) throw new StandinError(404, 'Not Found')
  return issue
}

function addLabel(s: GitHubStandin, name: string): void {
  if (!s.labels.has(name.toLowerCase())) {
    // GitHub creates a label an issue is given that does not exist yet.
    s.labels.set(name.toLowerCase(), { name, color: 'ededed', description: null })
  }
}

export const issueRoutes: Record<string, Handler> = {
  'issues/list-for-repo': (ctx) => {
    const s = ctx.standin
    const state = ctx.query.get('state') ?? 'open'
    const wanted = (ctx.query.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean)
    const hasAll = (labels: string[]) =>
      wanted.every((w) => labels.some((l) => l.toLowerCase() === w))
    const rows: Array<{ number: number; json: () => Record<string, unknown> }> = []
    for (const i of s.issues.values()) {
      if ((state === 'all' || i.state === state) && hasAll(i.labels)) {
        rows.push({ number: i.number, json: () => issueJson(s, i) })
      }
    }
    for (const p of s.pulls.values()) {
      if ((state === 'all' || p.state === state) && hasAll(p.labels)) {
        rows.push({ number: p.number, json: () => pullAsIssueJson(s, p.number) })
      }
    }
    // Newest first, GitHub's default sort (created, desc).
    rows.sort((a, b) => b.number - a.number)
    const { body, headers } = page(
      ctx,
      rows.map((r) => r.json()),
      `/repos/${s.owner}/${s.repo}/issues`
    )
    return { status: 200, body, headers }
  },

  'issues/get': (ctx) => ({ status: 200, body: issueJson(ctx.standin, issueFor(ctx)) }),

  'issues/create': (ctx) => {
    const s = ctx.standin
    const b = ctx.body
    const labels = (b.labels ?? []).map((l: string | { name?: string }) =>
      typeof l === 'string' ? l : (l.name ?? '')
    ) as string[]
    for (const l of labels) addLabel(s, l)
    const at = s.now()
    const issue: StoredIssue = {
      number: s.nextNumber(),
      title: String(b.title),
      body: b.body ?? null,
      state: 'open',
      stateReason: null,
      labels,
      user: ctx.token.account,
      createdAt: at,
      updatedAt: at,
      closedAt: null
    }
    s.issues.set(issue.number, issue)
    return { status: 201, body: issueJson(s, issue) }
  },

  'issues/update': (ctx) => {
    const s = ctx.standin
    const issue = issueFor(ctx)
    const b = ctx.body
    if (b.title !== undefined) issue.title = String(b.title)
    if (b.body !== undefined) issue.body = b.body
    if (b.state === 'closed' && issue.state === 'open') {
      issue.state = 'closed'
      issue.closedAt = s.now()
      issue.stateReason = b.state_reason ?? 'completed'
    } else if (b.state === 'open' && issue.state === 'closed') {
      issue.state = 'open'
      issue.closedAt = null
      issue.stateReason = 'reopened'
    }
    if (Array.isArray(b.labels)) {
      issue.labels = b.labels.map((l: string | { name?: string }) =>
        typeof l === 'string' ? l : (l.name ?? '')
      )
      for (const l of issue.labels) addLabel(s, l)
    }
    issue.updatedAt = s.now()
    s.issueUpdates.push({ number: issue.number, body: b })
    return { status: 200, body: issueJson(s, issue) }
  },

  'issues/get-label': (ctx) => {
    const name = ctx.route.params.name ?? ''
    if (!ctx.standin.labels.has(name.toLowerCase())) throw new StandinError(404, 'Not Found')
    return { status: 200, body: labelJson(ctx.standin, name) }
  },

  'issues/create-label': (ctx) => {
    const s = ctx.standin
    const b = ctx.body
    const name = String(b.name)
    if (s.labels.has(name.toLowerCase())) {
      throw new StandinError(422, 'Validation Failed', {
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
          documentation_url: 'https://docs.github.com/rest',
          status: '422'
        }
      })
    }
    s.labels.set(name.toLowerCase(), {
      name,
      color: String(b.color ?? 'ededed').replace(/^#/, ''),
      description: b.description ?? null
    })
    return { status: 201, body: labelJson(s, name) }
  },

  'repos/list-pull-requests-associated-with-commit': (ctx) => {
    const s = ctx.standin
    const sha = ctx.route.params.commit_sha ?? ''
    const numbers = [...s.pulls.values()]
      .filter((p) => p.mergeCommitSha === sha || p.head.sha === sha)
      .map((p) => p.number)
    const { body, headers } = page(
      ctx,
      numbers.map((n) => s.pullJson(n, true)),
      `/repos/${s.owner}/${s.repo}/commits/${sha}/pulls`
    )
    return { status: 200, body, headers }
  }
}
