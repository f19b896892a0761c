import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readWorkflowRun } from '../../src/github/context.js'

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
})
