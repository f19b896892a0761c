import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { contract, isProblem, type Route } from './github-standin-spec.js'
import { gitRoutes, GitStore } from './github-standin-git.js'
import { compareRoutes } from './github-standin-compare.js'
import { serveGraphql, type GraphqlCall } from './github-standin-graphql.js'
import {
  issueRoutes,
  labelJson,
  type StoredIssue,
  type StoredLabel
} from './github-standin-issues.js'
import { listenOnLoopback, type Loopback } from './loopback.js'

/*
 * A loopback stand-in for api.github.com. Every request is first held to GitHub's OpenAPI
 * description (unknown route: 404, invalid parameter or body: 422, bad JSON: 400), then to the
 * rules GitHub enforces that the description leaves out (body size limits, permissions of the
 * token, `completed` without a conclusion), and only then reaches a handler that keeps state.
 * Faults are injected per operation id. Responses are checked against the description too, so a
 * handler that drifts from GitHub's shapes shows up as a `violations` entry, not a passing test.
 */

export type Permission = 'checks' | 'issues' | 'pull_requests' | 'contents' | 'metadata'
export type Access = 'read' | 'write'

export interface Account {
  login: string
  id: number
  type: 'User' | 'Bot'
}

export interface TokenInfo {
  /** The account comments are written as. */
  account: Account
  /** Installation tokens (GITHUB_TOKEN, GitHub Apps) may use the Checks API but not GET /user. */
  kind: 'installation' | 'user'
  appSlug?: string
  permissions: Partial<Record<Permission, Access>>
  /** GitHub answers 401 "Bad credentials", as for a GITHUB_TOKEN past its job. */
  expired?: boolean
}

export interface StoredComment {
  id: number
  issue: number
  body: string
  user: Account
  createdAt: string
  updatedAt: string
}

export interface StoredCheckRun {
  id: number
  name: string
  headSha: string
  status: 'queued' | 'in_progress' | 'completed'
  conclusion: string | null
  externalId: string
  detailsUrl: string | null
  startedAt: string
  completedAt: string | null
  output: { title: string | null; summary: string | null; text: string | null }
  annotations: Array<Record<string, unknown>>
  appSlug: string
  /** Every accepted request body, in order, to assert on transitions. */
  updates: Array<Record<string, unknown>>
}

export interface StoredPull {
  number: number
  state: 'open' | 'closed'
  title: string
  body: string | null
  draft: boolean
  user: Account
  head: { sha: string; ref: string; repoFullName: string }
  base: { sha: string; ref: string }
  labels: string[]
  /** Set for a merged pull request: its merge commit lists it as associated. */
  mergedAt?: string | null
  mergeCommitSha?: string | null
}

export interface LabelEvent {
  issue: number
  label: string
  actor: Account
  event: 'labeled' | 'unlabeled'
}

/** A pull request's draft state changing hands: GitHub logs both in the issue events. */
export interface DraftEvent {
  issue: number
  actor: Account
  event: 'ready_for_review' | 'convert_to_draft'
}

export type IssueEvent = LabelEvent | DraftEvent

export type Fault =
  /** Answer with this status before anything is applied. */
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string> }
  /** Apply the request, then answer 5xx anyway: the write landed, the client cannot know. */
  | { kind: 'after'; status: number }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /**
   * GitHub's own request timeout: it works on the request for `ms`, applies it, then answers 504
   * (GitHub terminates requests past 10 s, and a write may have landed).
   */
  | { kind: 'timeout'; ms: number }
  /** Wait, then handle normally. */
  | { kind: 'delay'; ms: number }
  /** Hold the request until the test releases the gate. */
  | { kind: 'hold'; gate: Gate }
  | { kind: 'rate-limit'; type: 'primary'; resetInSeconds: number }
  | { kind: 'rate-limit'; type: 'secondary'; retryAfterSeconds?: number; status?: 403 | 429 }

export interface FaultRule {
  operationId: string
  times: number
  fault: Fault
  /** Only requests whose body passes this are hit (e.g. a forced ref update). */
  match?: (body: any) => boolean
}

export interface RecordedRequest {
  operationId: string | null
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  status: number
  token: string | null
}

/** Lets a test stop requests at a point and release them in the order it needs. */
export class Gate {
  private waiting: Array<() => void> = []
  private arrivals = 0
  private listeners: Array<{ n: number; resolve: () => void }> = []
  private open = false

  /** Resolves once `n` requests have reached the gate. */
  arrived(n = 1): Promise<void> {
    if (this.arrivals >= n) return Promise.resolve()
    return new Promise((resolve) => this.listeners.push({ n, resolve }))
  }

  release(): void {
    this.open = true
    for (const w of this.waiting.splice(0)) w()
  }

  /** @internal */
  pass(): Promise<void> {
    this.arrivals++
    for (const l of this.listeners.filter((x) => x.n <= this.arrivals)) l.resolve()
    this.listeners = this.listeners.filter((x) => x.n > this.arrivals)
    if (this.open) return Promise.resolve()
    return new Promise((resolve) => this.waiting.push(resolve))
  }
}

export class StandinError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {}
  ) {
    super(message)
  }
}

export interface HandlerContext {
  route: Route
  query: URLSearchParams
  body: any
  token: TokenInfo
  standin: GitHubStandin
}

export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type Handler = (ctx: HandlerContext) => Reply

/** What a write needs, by operation; reads need `metadata`, which every token has. */
const WRITE_PERMISSION: Record<string, Permission | Permission[]> = {
  'checks/create': 'checks',
  'checks/update': 'checks',
  // GitHub accepts either permission for a comment on a pull request.
  'issues/create-comment': ['issues', 'pull_requests'],
  'issues/update-comment': ['issues', 'pull_requests'],
  'issues/delete-comment': ['issues', 'pull_requests'],
  'issues/add-labels': ['issues', 'pull_requests'],
  'issues/create': 'issues',
  'issues/update': ['issues', 'pull_requests'],
  'issues/create-label': ['issues', 'pull_requests'],
  'git/create-blob': 'contents',
  'git/create-tree': 'contents',
  'git/create-commit': 'contents',
  'git/create-ref': 'contents',
  'git/update-ref': 'contents',
  'git/delete-ref': 'contents'
}

const MAX_COMMENT_CHARS = 65_536
const MAX_CHECK_OUTPUT_BYTES = 65_535
const DOCS = 'https://docs.github.com/rest'

export const GITHUB_ACTIONS_BOT: Account = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot'
}

export interface StandinOptions {
  owner?: string
  repo?: string
  defaultBranch?: string
  tokens?: Record<string, TokenInfo>
  /** Added to every response, to simulate a network round trip (benchmarks). */
  latencyMs?: number
}

export class GitHubStandin {
  readonly owner: string
  readonly repo: string
  readonly defaultBranch: string
  readonly tokens: Record<string, TokenInfo>
  readonly comments: StoredComment[] = []
  readonly checkRuns: StoredCheckRun[] = []
  readonly pulls = new Map<number, StoredPull>()
  /** GET /issues/{n}/events, oldest first: label changes and draft ↔ ready changes. */
  readonly issueEvents: IssueEvent[] = []
  /** Issues, numbered with the pull requests. */
  readonly issues = new Map<number, StoredIssue>()
  /** Labels of the repository, by lower-case name. */
  readonly labels = new Map<string, StoredLabel>()
  /** Every accepted issue update, in order. */
  readonly issueUpdates: Array<{ number: number; body: Record<string, unknown> }> = []
  readonly git = new GitStore()
  readonly requests: RecordedRequest[] = []
  /** Every GraphQL document received, valid or not, in order. */
  readonly graphqlCalls: GraphqlCall[] = []
  /** Pull requests marked ready for review through GraphQL, in order. */
  readonly readyForReview: number[] = []
  /** Stand-in bugs: a response that breaks GitHub's own description, or a route not handled. */
  readonly violations: string[] = []
  private readonly faults: FaultRule[] = []
  private readonly handlers = new Map<string, Handler>()
  private server: Loopback | null = null
  private nextId = 1_000
  private clock = Date.parse('2026-11-22T10:00:00Z')
  url = ''
  latencyMs: number

  constructor(opts: StandinOptions = {}) {
    this.latencyMs = opts.latencyMs ?? 0
    this.owner = opts.owner ?? 'Codertocat'
    this.repo = opts.repo ?? 'Hello-World'
    this.defaultBranch = opts.defaultBranch ?? 'main'
    this.tokens = opts.tokens ?? {
      'ghs-write': installationToken({
        checks: 'write',
        issues: 'write',
        pull_requests: 'write',
        contents: 'write'
      })
    }
    for (const [op, handler] of Object.entries({
      ...coreRoutes,
      ...gitRoutes,
      ...compareRoutes,
      ...issueRoutes
    })) {
      this.handlers.set(op, handler)
    }
  }

  /** Adds or replaces the handler of an operation: later issues extend the stand-in here. */
  handle(operationId: string, handler: Handler): void {
    this.handlers.set(operationId, handler)
  }

  async start(): Promise<this> {
    this.server = await listenOnLoopback(createServer((req, res) => void this.serve(req, res)))
    this.url = this.server.url
    return this
  }

  /** Closes the server and every socket, hung ones included. */
  async close(): Promise<void> {
    await this.server?.close()
  }

  inject(operationId: string, fault: Fault, times = 1, match?: (body: any) => boolean): void {
    this.faults.push({ operationId, fault, times, ...(match ? { match } : {}) })
  }

  clearFaults(): void {
    this.faults.splice(0)
  }

  id(): number {
    return this.nextId++
  }

  /** Deterministic timestamps: each call is one second after the previous one. */
  now(): string {
    this.clock += 1000
    return new Date(this.clock).toISOString().replace(/\.\d+Z$/, 'Z')
  }

  addPull(p: Partial<StoredPull> & { number: number; headSha: string }): StoredPull {
    const pull: StoredPull = {
      number: p.number,
      state: p.state ?? 'open',
      title: p.title ?? `PR ${p.number}`,
      body: p.body ?? null,
      draft: p.draft ?? false,
      user: p.user ?? { login: 'Codertocat', id: 21031067, type: 'User' },
      head: p.head ?? {
        sha: p.headSha,
        ref: 'changes',
        repoFullName: `${this.owner}/${this.repo}`
      },
      base: p.base ?? { sha: 'f'.repeat(40), ref: this.defaultBranch },
      labels: p.labels ?? [],
      mergedAt: p.mergedAt ?? null,
      mergeCommitSha: p.mergeCommitSha ?? null
    }
    pull.head.sha = p.headSha
    this.pulls.set(pull.number, pull)
    return pull
  }

  /** The next issue or pull request number. */
  nextNumber(): number {
    return Math.max(0, ...this.pulls.keys(), ...this.issues.keys()) + 1
  }

  /** A stored pull request as the REST API shows it. */
  pullJson(number: number, simple: boolean): Record<string, unknown> {
    const p = this.pulls.get(number)
    if (!p) throw new StandinError(404, 'Not Found')
    return pullJson(this, p, simple)
  }

  addComment(issue: number, body: string, user: Account): StoredComment {
    const at = this.now()
    const c = { id: this.id(), issue, body, user, createdAt: at, updatedAt: at }
    this.comments.push(c)
    return c
  }

  /** The pull request's author (or `actor`) turns it back into a draft, as the UI's link does. */
  convertToDraft(number: number, actor?: Account): void {
    const pull = this.pulls.get(number)
    if (!pull) throw new Error(`stand-in: no pull request #${number}`)
    pull.draft = true
    this.issueEvents.push({ issue: number, actor: actor ?? pull.user, event: 'convert_to_draft' })
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === issue)
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET')
  }

  private takeFault(operationId: string, body: unknown): Fault | null {
    const i = this.faults.findIndex(
      (f) => f.operationId === operationId && f.times > 0 && (!f.match || f.match(body))
    )
    if (i < 0) return null
    const rule = this.faults[i]
    if (!rule) return null
    rule.times--
    if (rule.times === 0) this.faults.splice(i, 1)
    return rule.fault
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', this.url)
    const method = req.method ?? 'GET'
    const auth = req.headers.authorization ?? null
    const token = auth ? auth.replace(/^(token|bearer)\s+/i, '') : null
    const record: RecordedRequest = {
      operationId: null,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: raw ? safeJson(raw) : undefined,
      status: 0,
      token
    }
    this.requests.push(record)
    const send = (reply: Reply): void => {
      record.status = reply.status
      if (res.destroyed) return
      const headers: Record<string, string> = {
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '990',
        'x-ratelimit-used': '10',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': 'core',
        'x-github-request-id': `STANDIN:${record.operationId ?? 'none'}:${this.requests.length}`,
        ...reply.headers
      }
      if (reply.body === undefined) {
        res.writeHead(reply.status, headers).end()
        return
      }
      res
        .writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(reply.body))
    }

    if (url.pathname === '/graphql' && method === 'POST') {
      record.operationId = 'graphql'
      const info = token ? this.tokens[token] : undefined
      if (!info || info.expired) {
        send(errorReply(401, 'Bad credentials'))
        return
      }
      const fault = this.takeFault('graphql', safeJson(raw))
      if (fault?.kind === 'status') {
        send(errorReply(fault.status, fault.message ?? 'Server Error'))
        return
      }
      send(serveGraphql(this, info, raw))
      return
    }
    const routed = contract().route(method, url.pathname)
    if (isProblem(routed)) {
      send(errorReply(routed.status, 'Not Found'))
      this.violations.push(`${method} ${url.pathname}: ${routed.message}`)
      return
    }
    record.operationId = routed.operationId
    const info = token ? this.tokens[token] : undefined
    if (!info || info.expired) {
      send(errorReply(401, 'Bad credentials'))
      return
    }
    const checked = contract().checkRequest(routed, url.searchParams, raw)
    if (checked.problem) {
      send(errorReply(checked.problem.status, checked.problem.message, checked.problem.errors))
      return
    }

    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs))
    const fault = this.takeFault(routed.operationId, checked.body)
    let after: number | null = null
    if (fault) {
      switch (fault.kind) {
        case 'status':
          send({
            ...errorReply(fault.status, fault.message ?? 'Server Error'),
            headers: fault.headers ?? {}
          })
          return
        case 'hang':
          return
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms))
          break
        case 'hold':
          await fault.gate.pass()
          break
        case 'rate-limit':
          send(rateLimitReply(fault))
          return
        case 'after':
          after = fault.status
          break
        case 'timeout':
          await new Promise((r) => setTimeout(r, fault.ms))
          after = 504
          break
      }
    }

    let reply: Reply
    try {
      if (routed.params.owner !== undefined && routed.params.owner !== this.owner)
        throw new StandinError(404, 'Not Found')
      if (routed.params.repo !== undefined && routed.params.repo !== this.repo)
        throw new StandinError(404, 'Not Found')
      this.authorize(routed.operationId, info)
      const handler = this.handlers.get(routed.operationId)
      if (!handler) {
        this.violations.push(`${routed.operationId} is in the description but not in the stand-in`)
        throw new StandinError(501, `${routed.operationId} is not implemented by the stand-in`)
      }
      reply = handler({
        route: routed,
        query: url.searchParams,
        body: checked.body,
        token: info,
        standin: this
      })
    } catch (e) {
      if (!(e instanceof StandinError)) throw e
      reply = {
        status: e.status,
        body: e.extra.body ?? errorReply(e.status, e.message).body,
        headers: e.extra.headers ?? {}
      }
    }
    if (reply.status < 300) {
      for (const v of contract().checkResponse(routed, reply.status, reply.body)) {
        this.violations.push(`${routed.operationId} ${reply.status} response: ${v}`)
      }
    }
    send(after !== null && reply.status < 300 ? errorReply(after, 'Server Error') : reply)
  }

  private authorize(operationId: string, token: TokenInfo): void {
    const needed = WRITE_PERMISSION[operationId]
    if (!needed) return
    // "OAuth apps and personal access tokens (classic) cannot use this endpoint."
    if (operationId.startsWith('checks/') && token.kind === 'user') {
      throw new StandinError(403, 'You must authenticate via a GitHub App.')
    }
    const options = Array.isArray(needed) ? needed : [needed]
    if (options.some((p) => token.permissions[p] === 'write')) return
    throw new StandinError(403, 'Resource not accessible by integration', {
      headers: { 'x-accepted-github-permissions': options.map((p) => `${p}=write`).join('; ') }
    })
  }
}

export function installationToken(
  permissions: TokenInfo['permissions'],
  account: Account = GITHUB_ACTIONS_BOT,
  appSlug = 'github-actions'
): TokenInfo {
  return {
    account,
    kind: 'installation',
    appSlug,
    permissions: { metadata: 'read', ...permissions }
  }
}

/** The token of a pull request from a fork: read-only whatever the workflow asks for. */
export const forkToken = (): TokenInfo =>
  installationToken({ checks: 'read', issues: 'read', pull_requests: 'read', contents: 'read' })

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

function errorReply(
  status: number,
  message: string,
  errors?: Array<Record<string, unknown>>
): Reply {
  return {
    status,
    body: {
      message,
      ...(errors ? { errors } : {}),
      documentation_url: DOCS,
      status: String(status)
    }
  }
}

function rateLimitReply(fault: Extract<Fault, { kind: 'rate-limit' }>): Reply {
  const nowS = Math.floor(Date.now() / 1000)
  if (fault.type === 'primary') {
    return {
      ...errorReply(403, 'API rate limit exceeded for installation ID 1.'),
      headers: {
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '1000',
        'x-ratelimit-reset': String(nowS + fault.resetInSeconds)
      }
    }
  }
  return {
    ...errorReply(
      fault.status ?? 403,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
    ),
    headers:
      fault.retryAfterSeconds !== undefined
        ? { 'retry-after': String(fault.retryAfterSeconds) }
        : {}
  }
}

// ---- resource shapes, as the description's schemas require them

export function userJson(a: Account): Record<string, unknown> {
  const base = `https://api.github.com/users/${encodeURIComponent(a.login)}`
  return {
    login: a.login,
    id: a.id,
    node_id: `U_${a.id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${a.id}?v=4`,
    gravatar_id: '',
    url: base,
    html_url: `https://github.com/${encodeURIComponent(a.login)}`,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: a.type,
    site_admin: false
  }
}

function repoApi(s: GitHubStandin): string {
  return `${s.url}/repos/${s.owner}/${s.repo}`
}

function commentJson(s: GitHubStandin, c: StoredComment): Record<string, unknown> {
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${repoApi(s)}/issues/comments/${c.id}`,
    html_url: `https://github.com/${s.owner}/${s.repo}/${s.issues.has(c.issue) ? 'issues' : 'pull'}/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${repoApi(s)}/issues/${c.issue}`,
    body: c.body,
    user: userJson(c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'OWNER'
  }
}

function appJson(slug: string): Record<string, unknown> {
  return {
    id: 15368,
    slug,
    node_id: 'MDM6QXBwMTUzNjg=',
    owner: userJson({ login: 'github', id: 9919, type: 'User' }),
    name: slug === 'github-actions' ? 'GitHub Actions' : slug,
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `https://github.com/apps/${slug}`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2019-12-10T19:04:12Z',
    permissions: { checks: 'write', issues: 'write', pull_requests: 'write', metadata: 'read' },
    events: ['check_run', 'pull_request']
  }
}

function checkRunJson(s: GitHubStandin, r: StoredCheckRun): Record<string, unknown> {
  return {
    id: r.id,
    node_id: `CR_${r.id}`,
    head_sha: r.headSha,
    name: r.name,
    external_id: r.externalId,
    url: `${repoApi(s)}/check-runs/${r.id}`,
    html_url: `https://github.com/${s.owner}/${s.repo}/runs/${r.id}`,
    details_url: r.detailsUrl,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: {
      title: r.output.title,
      summary: r.output.summary,
      text: r.output.text,
      annotations_count: r.annotations.length,
      annotations_url: `${repoApi(s)}/check-runs/${r.id}/annotations`
    },
    check_suite: { id: 5 },
    app: appJson(r.appSlug),
    pull_requests: []
  }
}

function hash(text: string): number {
  let h = 7
  for (const ch of text) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 1_000_000_007
  return h
}

function repoJson(s: GitHubStandin, fullName: string): Record<string, unknown> {
  const [owner = s.owner, name = s.repo] = fullName.split('/')
  const api = `${s.url}/repos/${fullName}`
  const id = hash(fullName)
  const url = (p: string) => `${api}/${p}`
  return {
    id,
    node_id: `R_${id}`,
    name,
    full_name: fullName,
    owner: userJson({ login: owner, id: hash(owner), type: 'User' }),
    private: false,
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: fullName !== `${s.owner}/${s.repo}`,
    url: api,
    archive_url: url('{archive_format}{/ref}'),
    assignees_url: url('assignees{/user}'),
    blobs_url: url('git/blobs{/sha}'),
    branches_url: url('branches{/branch}'),
    collaborators_url: url('collaborators{/collaborator}'),
    comments_url: url('comments{/number}'),
    commits_url: url('commits{/sha}'),
    compare_url: url('compare/{base}...{head}'),
    contents_url: url('contents/{+path}'),
    contributors_url: url('contributors'),
    deployments_url: url('deployments'),
    downloads_url: url('downloads'),
    events_url: url('events'),
    forks_url: url('forks'),
    git_commits_url: url('git/commits{/sha}'),
    git_refs_url: url('git/refs{/sha}'),
    git_tags_url: url('git/tags{/sha}'),
    git_url: `git://github.com/${fullName}.git`,
    issue_comment_url: url('issues/comments{/number}'),
    issue_events_url: url('issues/events{/number}'),
    issues_url: url('issues{/number}'),
    keys_url: url('keys{/key_id}'),
    labels_url: url('labels{/name}'),
    languages_url: url('languages'),
    merges_url: url('merges'),
    milestones_url: url('milestones{/number}'),
    notifications_url: url('notifications{?since,all,participating}'),
    pulls_url: url('pulls{/number}'),
    releases_url: url('releases{/id}'),
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: url('stargazers'),
    statuses_url: url('statuses/{sha}'),
    subscribers_url: url('subscribers'),
    subscription_url: url('subscription'),
    tags_url: url('tags'),
    teams_url: url('teams'),
    trees_url: url('git/trees{/sha}'),
    clone_url: `https://github.com/${fullName}.git`,
    mirror_url: null,
    hooks_url: url('hooks'),
    svn_url: `https://github.com/${fullName}`,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 0,
    default_branch: s.defaultBranch,
    open_issues_count: 0,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: '2026-11-22T09:00:00Z',
    created_at: '2019-05-15T15:19:25Z',
    updated_at: '2026-11-22T09:00:00Z',
    forks: 0,
    open_issues: 0,
    watchers: 0,
    license: null
  }
}

function pullJson(s: GitHubStandin, p: StoredPull, simple: boolean): Record<string, unknown> {
  const api = `${repoApi(s)}/pulls/${p.number}`
  const html = `https://github.com/${s.owner}/${s.repo}/pull/${p.number}`
  const issue = `${repoApi(s)}/issues/${p.number}`
  const side = (ref: string, sha: string, fullName: string) => ({
    label: `${fullName.split('/')[0]}:${ref}`,
    ref,
    sha,
    user: userJson({ login: fullName.split('/')[0] ?? '', id: hash(fullName), type: 'User' }),
    repo: repoJson(s, fullName)
  })
  const link = (href: string) => ({ href })
  const common: Record<string, unknown> = {
    url: api,
    id: p.number * 1000 + 7,
    node_id: `PR_${p.number}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi(s)}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${repoApi(s)}/statuses/${p.head.sha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: userJson(p.user),
    body: p.body,
    labels: p.labels.map((l) => labelJson(s, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-22T10:00:00Z',
    closed_at: p.state === 'closed' ? '2026-11-22T10:00:00Z' : null,
    merged_at: p.mergedAt ?? null,
    merge_commit_sha: p.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(p.head.ref, p.head.sha, p.head.repoFullName),
    base: side(p.base.ref, p.base.sha, `${s.owner}/${s.repo}`),
    _links: {
      self: link(api),
      html: link(html),
      issue: link(issue),
      comments: link(`${issue}/comments`),
      review_comments: link(`${api}/comments`),
      review_comment: link(`${repoApi(s)}/pulls/comments{/number}`),
      commits: link(`${api}/commits`),
      statuses: link(`${repoApi(s)}/statuses/${p.head.sha}`)
    },
    author_association: 'CONTRIBUTOR',
    auto_merge: null,
    draft: p.draft
  }
  if (simple) return common
  return {
    ...common,
    merged: Boolean(p.mergedAt),
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 1,
    changed_files: 1
  }
}

// ---- handlers

function num(ctx: HandlerContext, name: string): number {
  return Number(ctx.route.params[name])
}

function pageOf<T>(
  ctx: HandlerContext,
  items: T[],
  path: string
): { page: T[]; headers: Record<string, string> } {
  // GitHub caps per_page at 100 without complaint; the description only says so in prose.
  const perPage = Math.min(Number(ctx.query.get('per_page') ?? 30) || 30, 100)
  const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (n: number, rel: string) => {
    const q = new URLSearchParams(ctx.query)
    q.set('per_page', String(perPage))
    q.set('page', String(n))
    return `<${ctx.standin.url}${path}?${q.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {}
  }
}

function commentFor(ctx: HandlerContext): StoredComment {
  const c = ctx.standin.comments.find((x) => x.id === num(ctx, 'comment_id'))
  if (!c) throw new StandinError(404, 'Not Found')
  return c
}

function checkCommentBody(body: string): void {
  if ([...body].length > MAX_COMMENT_CHARS) {
    throw new StandinError(422, 'Validation Failed', {
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'unprocessable',
            field: 'data',
            message: 'Body is too long (maximum is 65536 characters)'
          }
        ],
        documentation_url: DOCS,
        status: '422'
      }
    })
  }
}

function checkOutput(output: Record<string, unknown> | undefined): void {
  for (const field of ['summary', 'text'] as const) {
    const v = output?.[field]
    if (typeof v === 'string' && Buffer.byteLength(v, 'utf8') > MAX_CHECK_OUTPUT_BYTES) {
      throw new StandinError(
        422,
        `Invalid request.\n\nOnly 65535 characters are allowed; ${field} exceeds a maximum bytesize of 65535.`
      )
    }
  }
}

function issueOrPull(ctx: HandlerContext, n: number): void {
  if (!ctx.standin.pulls.has(n) && !ctx.standin.issues.has(n)) {
    throw new StandinError(404, 'Not Found')
  }
}

function pullFor(ctx: HandlerContext, n: number): StoredPull {
  const p = ctx.standin.pulls.get(n)
  if (!p) throw new StandinError(404, 'Not Found')
  return p
}

const coreRoutes: Record<string, Handler> = {
  'users/get-authenticated': (ctx) => {
    if (ctx.token.kind === 'installation')
      throw new StandinError(403, 'Resource not accessible by integration')
    return {
      status: 200,
      body: {
        ...userJson(ctx.token.account),
        name: null,
        company: null,
        blog: '',
        location: null,
        email: null,
        hireable: null,
        bio: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: '2019-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z'
      }
    }
  },

  'issues/list-comments': (ctx) => {
    const n = num(ctx, 'issue_number')
    issueOrPull(ctx, n)
    const all = ctx.standin.commentsOn(n).map((c) => commentJson(ctx.standin, c))
    const { page, headers } = pageOf(
      ctx,
      all,
      `/repos/${ctx.standin.owner}/${ctx.standin.repo}/issues/${n}/comments`
    )
    return { status: 200, body: page, headers }
  },

  'issues/create-comment': (ctx) => {
    const n = num(ctx, 'issue_number')
    issueOrPull(ctx, n)
    checkCommentBody(ctx.body.body)
    const c = ctx.standin.addComment(n, ctx.body.body, ctx.token.account)
    return { status: 201, body: commentJson(ctx.standin, c) }
  },

  'issues/get-comment': (ctx) => ({ status: 200, body: commentJson(ctx.standin, commentFor(ctx)) }),

  'issues/update-comment': (ctx) => {
    const c = commentFor(ctx)
    checkCommentBody(ctx.body.body)
    c.body = ctx.body.body
    c.updatedAt = ctx.standin.now()
    return { status: 200, body: commentJson(ctx.standin, c) }
  },

  'issues/delete-comment': (ctx) => {
    const c = commentFor(ctx)
    ctx.standin.comments.splice(ctx.standin.comments.indexOf(c), 1)
    return { status: 204 }
  },

  'issues/list-events': (ctx) => {
    const n = num(ctx, 'issue_number')
    pullFor(ctx, n)
    const events = ctx.standin.issueEvents
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.issue === n)
      .map(({ e, i }) => ({
        id: 5000 + i,
        node_id: `${'label' in e ? 'LE' : 'RFRE'}_${5000 + i}`,
        url: `${repoApi(ctx.standin)}/issues/events/${5000 + i}`,
        actor: userJson(e.actor),
        event: e.event,
        commit_id: null,
        commit_url: null,
        created_at: '2026-11-21T10:00:00Z',
        performed_via_github_app: null,
        // Draft changes carry only the common properties (GitHub's "issue event types").
        ...('label' in e ? { label: { name: e.label, color: 'ededed' } } : {})
      }))
    const { page, headers } = pageOf(
      ctx,
      events,
      `/repos/${ctx.standin.owner}/${ctx.standin.repo}/issues/${n}/events`
    )
    return { status: 200, body: page, headers }
  },

  'pulls/get': (ctx) => ({
    status: 200,
    body: pullJson(ctx.standin, pullFor(ctx, num(ctx, 'pull_number')), false)
  }),

  'pulls/list': (ctx) => {
    const state = ctx.query.get('state') ?? 'open'
    const head = ctx.query.get('head')
    const pulls = [...ctx.standin.pulls.values()].filter((p) => {
      if (state !== 'all' && p.state !== state) return false
      if (head) {
        const [owner, ref] = head.includes(':') ? head.split(':') : [head, undefined]
        if (p.head.repoFullName.split('/')[0] !== owner) return false
        if (ref !== undefined && p.head.ref !== ref) return false
      }
      return true
    })
    const { page, headers } = pageOf(
      ctx,
      pulls.map((p) => pullJson(ctx.standin, p, true)),
      `/repos/${ctx.standin.owner}/${ctx.standin.repo}/pulls`
    )
    return { status: 200, body: page, headers }
  },

  'checks/create': (ctx) => {
    const b = ctx.body
    if (b.status === 'completed' && !b.conclusion) {
      // In the description's prose only: "Required if you provide ... a status of completed".
      throw new StandinError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.')
    }
    checkOutput(b.output)
    const at = ctx.standin.now()
    const run: StoredCheckRun = {
      id: ctx.standin.id(),
      name: b.name,
      headSha: b.head_sha,
      status: b.status ?? (b.conclusion ? 'completed' : 'queued'),
      conclusion: b.conclusion ?? null,
      externalId: b.external_id ?? '',
      detailsUrl: b.details_url ?? null,
      startedAt: b.started_at ?? at,
      completedAt: b.conclusion ? (b.completed_at ?? at) : null,
      output: {
        title: b.output?.title ?? null,
        summary: b.output?.summary ?? null,
        text: b.output?.text ?? null
      },
      annotations: [...(b.output?.annotations ?? [])],
      appSlug: ctx.token.appSlug ?? 'github-actions',
      updates: [b]
    }
    ctx.standin.checkRuns.push(run)
    return { status: 201, body: checkRunJson(ctx.standin, run) }
  },

  'checks/update': (ctx) => {
    const run = ctx.standin.checkRuns.find((r) => r.id === num(ctx, 'check_run_id'))
    if (!run) throw new StandinError(404, 'Not Found')
    const b = ctx.body
    checkOutput(b.output)
    if (b.conclusion) {
      run.conclusion = b.conclusion
      run.status = 'completed'
      run.completedAt = b.completed_at ?? ctx.standin.now()
    } else if (b.status) run.status = b.status
    if (b.details_url) run.detailsUrl = b.details_url
    if (b.output) {
      run.output = {
        title: b.output.title ?? run.output.title,
        summary: b.output.summary ?? run.output.summary,
        text: b.output.text ?? run.output.text
      }
      // Annotations append across updates, as GitHub documents.
      run.annotations.push(...(b.output.annotations ?? []))
    }
    run.updates.push(b)
    return { status: 200, body: checkRunJson(ctx.standin, run) }
  },

  'checks/get': (ctx) => {
    const run = ctx.standin.checkRuns.find((r) => r.id === num(ctx, 'check_run_id'))
    if (!run) throw new StandinError(404, 'Not Found')
    return { status: 200, body: checkRunJson(ctx.standin, run) }
  },

  'checks/list-for-ref': (ctx) => {
    const ref = ctx.route.params.ref
    const name = ctx.query.get('check_name')
    const runs = ctx.standin.checkRuns.filter(
      (r) => r.headSha === ref && (!name || r.name === name)
    )
    const { page, headers } = pageOf(
      ctx,
      runs.map((r) => checkRunJson(ctx.standin, r)),
      `/repos/${ctx.standin.owner}/${ctx.standin.repo}/commits/${ref}/check-runs`
    )
    return { status: 200, body: { total_count: runs.length, check_runs: page }, headers }
  }
}
