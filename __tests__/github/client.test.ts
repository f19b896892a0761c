import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { explainApiError, GitHubApiError } from '../../src/github/errors.js'
import { GitHubStandin } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin().start()
  gh.addPull({ number: 2, headSha: 'e'.repeat(40) })
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const pr = { owner: 'Codertocat', repo: 'Hello-World', pull_number: 2 }
const attempts = (op: string) => gh.requests.filter((r) => r.operationId === op).length

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a failure')
}

describe('the Octokit client', () => {
  it('sends requests to GITHUB_API_URL, as GitHub Enterprise Server needs', async () => {
    const { data } = await standinClient(gh).rest.pulls.get(pr)
    expect(data.head.sha).toBe('e'.repeat(40))
    expect(gh.requests[0]?.token).toBe('ghs-write')
  })

  it("with GitHub's own pacing and waits (the action's defaults), a read goes straight through", async () => {
    // Pacing applies to writes only; this proves the plugins are wired, not how long they wait.
    const { data } = await standinClient(gh, 'ghs-write', {
      pacing: true,
      timeScale: 1
    }).rest.pulls.get(pr)
    expect(data.number).toBe(2)
  })

  it('retries a 502 on a read and succeeds', async () => {
    gh.inject('pulls/get', { kind: 'status', status: 502 })
    await standinClient(gh).rest.pulls.get(pr)
    expect(attempts('pulls/get')).toBe(2)
  })

  it('gives up on a server that keeps failing after three retries, with a message', async () => {
    gh.inject('pulls/get', { kind: 'status', status: 503 }, 10)
    const e = explainApiError(await failure(standinClient(gh).rest.pulls.get(pr)), 'reading')
    expect(attempts('pulls/get')).toBe(4)
    expect((e as GitHubApiError).kind).toBe('server')
  })

  it('waits out a primary rate limit that resets soon, once', async () => {
    const log: string[] = []
    gh.inject('pulls/get', { kind: 'rate-limit', type: 'primary', resetInSeconds: 2 })
    await standinClient(gh, 'ghs-write', {}, log).rest.pulls.get(pr)
    expect(attempts('pulls/get')).toBe(2)
    expect(log).toEqual([
      expect.stringMatching(/primary rate limit .* waiting [23] s, then retrying once/)
    ])
  })

  it('does not wait an hour for a rate limit: it says until when, and stops', async () => {
    gh.inject('pulls/get', { kind: 'rate-limit', type: 'primary', resetInSeconds: 3600 })
    const e = explainApiError(await failure(standinClient(gh).rest.pulls.get(pr)), 'reading')
    expect(attempts('pulls/get')).toBe(1)
    expect(e).toBeInstanceOf(GitHubApiError)
    expect((e as GitHubApiError).kind).toBe('rate-limit')
    expect((e as Error).message).toMatch(/rate limit is exhausted until \d\d:\d\d UTC/)
  })

  it.each([
    [
      'a secondary limit with retry-after',
      { status: 403 as const, retryAfterSeconds: 1 },
      /waiting 1 s/
    ],
    ['a secondary limit without retry-after', { status: 403 as const }, /waiting 60 s/],
    ['a 429', { status: 429 as const, retryAfterSeconds: 2 }, /waiting 2 s/]
  ])('retries %s exactly once, after the wait GitHub asks for', async (_what, fault, wait) => {
    const log: string[] = []
    gh.inject('pulls/get', { kind: 'rate-limit', type: 'secondary', ...fault }, 5)
    const e = await failure(standinClient(gh, 'ghs-write', {}, log).rest.pulls.get(pr))
    // One retry by the throttling plugin; the retry plugin leaves 403 and 429 alone.
    expect(attempts('pulls/get')).toBe(2)
    expect(log[0]).toMatch(wait)
    expect((explainApiError(e, 'x') as GitHubApiError).kind).toBe('rate-limit')
  })

  it('never retries a 401, and says what to do about the token', async () => {
    const e = explainApiError(
      await failure(standinClient(gh, 'expired').rest.pulls.get(pr)),
      'reading PR'
    )
    expect(attempts('pulls/get')).toBe(1)
    expect((e as Error).message).toMatch(
      /^reading PR: GitHub rejected the token \(401 Bad credentials\)\. Check the github-token input/
    )
  })

  it('abandons a hung request at the client timeout instead of waiting forever', async () => {
    gh.inject('pulls/get', { kind: 'hang' }, 10)
    const e = explainApiError(
      await failure(standinClient(gh, 'ghs-write', { requestTimeoutMs: 100 }).rest.pulls.get(pr)),
      'reading'
    )
    expect((e as GitHubApiError).kind).toBe('timeout')
    // Each attempt has its own deadline; a read is retried like any 5xx, a bounded number of times.
    expect(attempts('pulls/get')).toBe(4)
  })
})

describe('explainApiError', () => {
  const err = (status: number, message: string, headers: Record<string, string> = {}) =>
    Object.assign(new Error(message), { status, response: { headers, data: { message } } })

  it('names the workflow permission a 403 lacks, from X-Accepted-GitHub-Permissions', () => {
    const e = explainApiError(
      err(403, 'Resource not accessible by integration', {
        'x-accepted-github-permissions': 'issues=write; pull_requests=write'
      }),
      'creating the ledger comment'
    ) as Error
    expect(e.message).toContain(
      'Add `permissions: issues: write or pull-requests: write` to the job'
    )
    expect(e.message).toContain('mode: report')
  })

  it('tells a personal token it cannot create check runs', () => {
    const e = explainApiError(err(403, 'You must authenticate via a GitHub App.'), 'x') as Error
    expect(e.message).toMatch(/only a GitHub App token .* may create check runs/)
  })

  it('passes anything that is not an API answer through unchanged', () => {
    const bug = new TypeError('undefined is not a function')
    expect(explainApiError(bug, 'x')).toBe(bug)
  })
})
