/*
 * GitHub's refusals turned into what the user should change. The status alone is ambiguous (a 403
 * is a missing permission or a rate limit), so the headers and message decide.
 */

export type ApiFailure =
  | 'token'
  | 'permission'
  | 'app-only'
  | 'rate-limit'
  | 'not-found'
  | 'gone'
  | 'invalid'
  | 'conflict'
  | 'server'
  | 'timeout'

interface ErrorLike {
  status?: number
  message?: string
  name?: string
  cause?: { name?: string }
  response?: {
    headers?: Record<string, string | number | undefined>
    data?: unknown
  }
}

/** Thrown by the adapters when a call failed for good; `message` is ready to print. */
export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError'
  constructor(
    readonly kind: ApiFailure,
    message: string,
    readonly status: number | undefined
  ) {
    super(message)
  }
}

// GitHub names permissions as the REST API does; the workflow file spells them with dashes.
function workflowPermission(p: string): string {
  return p.trim().replace(/_/g, '-').replace('=', ': ')
}

/** `issues=write; pull_requests=write` (any of) → `issues: write` or `pull-requests: write`. */
function neededPermissions(header: string): string {
  return header
    .split(';')
    .map((alt) => alt.split(',').map(workflowPermission).join(' and '))
    .join(' or ')
}

function apiMessage(e: ErrorLike): string {
  const data = e.response?.data as { message?: unknown; errors?: Array<{ message?: unknown }> }
  const parts = [typeof data?.message === 'string' ? data.message : (e.message ?? '')]
  for (const err of data?.errors ?? []) if (typeof err.message === 'string') parts.push(err.message)
  return parts.filter(Boolean).join(': ').replace(/\s+/g, ' ').trim()
}

function header(e: ErrorLike, name: string): string | undefined {
  const v = e.response?.headers?.[name]
  return v === undefined ? undefined : String(v)
}

// A secondary limit names its own wait (`retry-after`); the hourly window's reset only applies once
// that window is spent, and quoting it otherwise tells the user to wait an hour for nothing.
function resetTime(e: ErrorLike): string {
  const after = Number(header(e, 'retry-after'))
  if (Number.isFinite(after) && after > 0) return ` for the next ${after} s`
  if (header(e, 'x-ratelimit-remaining') !== '0') return ''
  const reset = Number(header(e, 'x-ratelimit-reset'))
  if (!Number.isFinite(reset) || reset <= 0) return ''
  return ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC`
}

/**
 * The failure of `what` ("creating the check run") as one actionable sentence. Unknown errors
 * (bugs, not API answers) are passed through untouched.
 */
export function explainApiError(e: unknown, what: string): unknown {
  if (e instanceof GitHubApiError) return e
  if (typeof e !== 'object' || e === null) return e
  const err = e as ErrorLike
  const status = typeof err.status === 'number' ? err.status : undefined
  const msg = apiMessage(err)
  if (timedOut(err)) {
    return new GitHubApiError('timeout', `${what}: GitHub did not answer in time`, status)
  }
  if (status === undefined) return e
  if (status === 401) {
    return new GitHubApiError(
      'token',
      `${what}: GitHub rejected the token (401 ${msg || 'Bad credentials'}). Check the github-token input; a GITHUB_TOKEN expires when its job ends (at the latest after 24 h), so a job that benchmarks for longer should post from a separate, later job.`,
      status
    )
  }
  const limited =
    header(err, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(msg) || status === 429
  if ((status === 403 || status === 429) && limited) {
    return new GitHubApiError(
      'rate-limit',
      `${what}: GitHub's rate limit is exhausted${resetTime(err)} (${status} ${msg}). The results are in the job summary; re-run the job later to post them.`,
      status
    )
  }
  if (status === 403 && /authenticate via a GitHub App/i.test(msg)) {
    return new GitHubApiError(
      'app-only',
      `${what}: only a GitHub App token (such as GITHUB_TOKEN) may create check runs; a personal access token cannot (403 ${msg}). Use the default github-token, or set check-run: false.`,
      status
    )
  }
  if (status === 403) {
    const accepted = header(err, 'x-accepted-github-permissions')
    const fix = accepted
      ? `Add \`permissions: ${neededPermissions(accepted)}\` to the job`
      : 'Give the job the permissions it needs (checks: write, pull-requests: write)'
    return new GitHubApiError(
      'permission',
      `${what}: the token may not do this (403 ${msg}). ${fix}; a pull request from a fork never gets a write token, so post from a workflow_run workflow with mode: report.`,
      status
    )
  }
  if (status === 404) {
    return new GitHubApiError(
      'not-found',
      `${what}: not found (404). The repository, pull request or comment does not exist or is not visible to this token.`,
      status
    )
  }
  if (status === 410) {
    return new GitHubApiError(
      'gone',
      `${what}: GitHub answered 410 Gone (${msg}); issues may be disabled for this repository.`,
      status
    )
  }
  if (status === 409 || status === 422) {
    return new GitHubApiError(
      status === 409 ? 'conflict' : 'invalid',
      `${what}: GitHub refused the request (${status} ${msg}).`,
      status
    )
  }
  if (status >= 500) {
    return new GitHubApiError(
      'server',
      `${what}: GitHub failed (${status} ${msg}) and kept failing after retries.`,
      status
    )
  }
  return new GitHubApiError('invalid', `${what}: GitHub answered ${status} (${msg}).`, status)
}

// Octokit wraps the fetch's rejection (a DOMException, "Unknown Error") and keeps it as the cause.
function timedOut(err: ErrorLike): boolean {
  return err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError'
}

/** True when the request may have been applied although it reported failure. */
export function mayHaveLanded(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false
  const err = e as ErrorLike
  if (timedOut(err)) return true
  return typeof err.status === 'number' && err.status >= 500
}

export function statusOf(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined
  const s = (e as ErrorLike).status
  return typeof s === 'number' ? s : undefined
}
