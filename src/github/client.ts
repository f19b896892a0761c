import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling'

export type GitHubClient = ReturnType<typeof getOctokit>

/**
 * How long things may take. GitHub's values by default; tests shrink them through
 * `PERF_GATE_API_TUNING` (see `readApiTuning`), since waits of seconds would make a suite of
 * fault-injection runs take minutes and prove nothing more.
 */
export interface ApiTuning {
  /** Multiplies every wait we or the plugins take: retry backoff, rate-limit waits, settling. */
  timeScale: number
  /** One attempt of one request; GitHub itself gives up on a request after 10 s. */
  requestTimeoutMs: number
  /**
   * GitHub's pacing of writes (one at a time, 1 s apart, comment creation 3 s apart) through the
   * throttling plugin's Bottleneck groups. Those groups are module-global, shared by every client in
   * a process, so a test process that runs many clients turns them off rather than wait on them.
   */
  pacing: boolean
  /** The longest rate-limit wait worth taking, in GitHub's seconds, before giving up on posting. */
  maxRateLimitWaitSeconds: number
}

export const GITHUB_TUNING: ApiTuning = {
  timeScale: 1,
  requestTimeoutMs: 30_000,
  pacing: true,
  maxRateLimitWaitSeconds: 60
}

export interface ClientOptions {
  baseUrl?: string
  tuning?: ApiTuning
  /** Where retries and rate-limit waits are reported (the action's log). */
  log?: (message: string) => void
}

/** Plugin-throttling schedules work on these; a pass-through one applies no pacing. */
const unpaced = {
  key: () => ({
    schedule: <A extends unknown[], R>(_opts: unknown, fn: (...args: A) => R, ...args: A): R =>
      fn(...args)
  })
}

// Every attempt gets its own deadline: one signal for the client would expire once for all of them.
// Hooks see one shared options object (the next hook is bound to it), so the signal is set on it.
function requestTimeout(ms: number) {
  return (octokit: { hook: { wrap: GitHubClient['hook']['wrap'] } }) => {
    octokit.hook.wrap('request', (request, options) => {
      options.request = { ...options.request, signal: AbortSignal.timeout(ms) }
      return request(options)
    })
  }
}

/**
 * The one Octokit the action uses: `@actions/github`'s (proxy-aware, `GITHUB_API_URL`), with the
 * retry and throttling plugins. Retries cover 5xx and network errors; 409/422 are conflicts our own
 * read-merge-write loops resolve, and 429 belongs to the throttling plugin alone (retry would
 * otherwise retry it too). Writes that create something are sent with `retries: 0` by the callers,
 * who look before they create again.
 */
export function createClient(token: string, opts: ClientOptions = {}): GitHubClient {
  const tuning = opts.tuning ?? GITHUB_TUNING
  const log = opts.log ?? (() => undefined)
  const onLimit =
    (kind: string) =>
    (after: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const retrying = retryCount < 1 && after <= tuning.maxRateLimitWaitSeconds
      log(
        `GitHub ${kind} rate limit on ${options.method} ${options.url}: ` +
          (retrying
            ? `waiting ${after} s, then retrying once`
            : `the wait (${after} s) is beyond this run's budget, not retrying`)
      )
      return retrying
    }
  const throttle: Record<string, unknown> = {
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    retryAfterBaseValue: 1000 * tuning.timeScale,
    fallbackSecondaryRateRetryAfter: 60
  }
  if (!tuning.pacing) {
    Object.assign(throttle, {
      global: unpaced,
      auth: unpaced,
      search: unpaced,
      write: unpaced,
      notifications: unpaced
    })
  }
  return getOctokit(
    token,
    {
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/+$/, '') } : {}),
      // Spread, not replace: `request` carries the runner's proxy-aware fetch.
      request: { ...defaults.request },
      retry: {
        doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
        retryAfterBaseValue: 1000 * tuning.timeScale
      },
      // The injected pass-through groups are duck-typed Bottleneck groups.
      throttle: throttle as unknown as ThrottlingOptions
    },
    // First registered wraps innermost: each retry attempt then gets a fresh deadline.
    requestTimeout(tuning.requestTimeoutMs),
    retry,
    throttling
  )
}
