import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readApiSettings, readWorkflowRun } from '../../src/github/context.js'
import { decidePosture } from '../../src/github/posture.js'

function event(payload: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pg-ev-')), 'event.json')
  writeFileSync(file, JSON.stringify(payload))
  return file
}

const base = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_RUN_ID: '123',
  GITHUB_RUN_ATTEMPT: '2'
}

describe('readWorkflowRun', () => {
  it('uses the PR head sha, not the merge commit in GITHUB_SHA', () => {
    const wf = readWorkflowRun({
      ...base,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_SHA: 'merge'.padEnd(40, '0'),
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_EVENT_PATH: event({
        pull_request: {
          number: 7,
          head: { sha: 'head'.padEnd(40, '0'), repo: { full_name: 'acme/app' } }
        },
        repository: { default_branch: 'main', full_name: 'acme/app' }
      })
    })
    expect(wf.commit.sha).toBe('head'.padEnd(40, '0'))
    expect(wf.pullRequest).toBe(7)
    expect(wf.runId).toBe('123.2')
    expect(wf.runUrl).toBe('https://github.com/acme/app/actions/runs/123')
    expect(wf.context).toMatchObject({
      onGitHub: true,
      eventName: 'pull_request',
      defaultBranch: 'main',
      fromFork: false
    })
  })

  it('marks a PR from a fork', () => {
    const wf = readWorkflowRun({
      ...base,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event({
        pull_request: { number: 1, head: { sha: 'x', repo: { full_name: 'mallory/app' } } }
      })
    })
    expect(wf.context.fromFork).toBe(true)
  })

  it('reads a push', () => {
    const wf = readWorkflowRun({
      ...base,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_SHA: 'abc',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_PATH: event({ repository: { default_branch: 'main' } })
    })
    expect(wf.commit.sha).toBe('abc')
    expect(wf.context).toMatchObject({
      eventName: 'push',
      ref: 'refs/heads/main',
      defaultBranch: 'main'
    })
  })

  it('gives a clear error for an unreadable payload', () => {
    expect(() =>
      readWorkflowRun({ ...base, GITHUB_EVENT_PATH: '/nonexistent/event.json' })
    ).toThrow(/cannot read the event payload at GITHUB_EVENT_PATH/)
  })

  it('treats a PR whose fork was deleted as a fork', () => {
    const wf = readWorkflowRun({
      ...base,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event({ pull_request: { number: 1, head: { sha: 'x', repo: null } } })
    })
    expect(wf.context.fromFork).toBe(true)
    expect(decidePosture(wf, 'token')).toMatchObject({ kind: 'files-only', warn: true })
  })

  it('reads the measured run of a workflow_run event, not its artifact', () => {
    const wf = readWorkflowRun({
      ...base,
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: event({
        workflow_run: {
          id: 77,
          run_attempt: 2,
          event: 'pull_request',
          head_sha: 'c'.repeat(40),
          head_branch: 'main',
          head_repository: { full_name: 'mallory/app' },
          pull_requests: []
        }
      })
    })
    expect(wf.upstream).toEqual({
      id: 77,
      attempt: 2,
      event: 'pull_request',
      headSha: 'c'.repeat(40),
      headBranch: 'main',
      headRepo: 'mallory/app',
      htmlUrl: null,
      pullRequests: []
    })
    expect(wf.repository).toEqual({ owner: 'acme', repo: 'app' })
  })
})

describe('decidePosture', () => {
  const pr = (actor: string, headRepo = 'acme/app') =>
    readWorkflowRun({
      ...base,
      GITHUB_ACTOR: actor,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event({
        pull_request: { number: 3, head: { sha: 'x', repo: { full_name: headRepo } } }
      })
    })

  it('posts from a same-repository PR with a token', () => {
    expect(decidePosture(pr('octocat'), 'token')).toEqual({ kind: 'write' })
  })

  it.each([
    ['a fork', pr('mallory', 'mallory/app'), 'token', /comes from a fork \(mallory\/app\)/, true],
    ["Dependabot's PR", pr('dependabot[bot]'), 'token', /is Dependabot's/, true],
    ['no token', pr('octocat'), undefined, /github-token input is empty/, false],
    ['a laptop', readWorkflowRun({}), 'token', /not running on GitHub Actions/, false]
  ])('writes files only for %s', (_what, wf, token, why, warn) => {
    const p = decidePosture(wf, token)
    expect(p).toMatchObject({ kind: 'files-only', warn })
    expect(p.kind === 'files-only' && p.why).toMatch(why)
  })
})

describe('readApiSettings', () => {
  it("honours GITHUB_API_URL and keeps GitHub's waits unless a test shrinks them", () => {
    expect(readApiSettings({})).toMatchObject({
      baseUrl: 'https://api.github.com',
      tuning: { timeScale: 1, pacing: true }
    })
    expect(
      readApiSettings({
        GITHUB_API_URL: 'https://ghe.example/api/v3',
        PERF_GATE_API_TUNING: '{"pacing":false}'
      })
    ).toMatchObject({
      baseUrl: 'https://ghe.example/api/v3',
      tuning: { timeScale: 1, pacing: false }
    })
    expect(() => readApiSettings({ PERF_GATE_API_TUNING: 'fast' })).toThrow(/must be a JSON object/)
  })
})
