import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  forkToken,
  GITHUB_ACTIONS_BOT,
  GitHubStandin,
  installationToken
} from '../helpers/github-standin.js'
import { runAction, webhook, workspace, type RunnerEvent } from '../helpers/github-standin-run.js'

/*
 * `promote-draft` through the built action against the GitHub stand-in, which answers GraphQL and
 * holds every document to GitHub's published schema: a draft whose gate passes is marked ready for
 * review once, and nothing else is.
 */

let gh: GitHubStandin
let head: string
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ checks: 'write', issues: 'write', pull_requests: 'write' }),
      // The workflow gave comments (issues: write) but left pull requests read-only.
      'ghs-pr-read': installationToken({
        checks: 'write',
        issues: 'write',
        pull_requests: 'read'
      }),
      'ghs-fork': forkToken()
    }
  }).start()
  head = pullRequest('opened').payload.pull_request.head.sha
  gh.addPull({ number: 2, headSha: head, draft: true, body: 'Makes work faster.' })
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

function pullRequest(action: 'opened' | 'synchronize'): RunnerEvent & { payload: any } {
  const payload = webhook('pull_request', (e) => e.action === action)
  return {
    name: 'pull_request',
    payload,
    ref: `refs/pull/${payload.number}/merge`,
    sha: '9'.repeat(40)
  }
}

function push(): RunnerEvent {
  const p = webhook('push')
  return {
    name: 'push',
    payload: p,
    ref: `refs/heads/${p.repository.default_branch}`,
    sha: 'b'.repeat(40)
  }
}

const results = (ws: string, fixture: string) =>
  copyFileSync(`fixtures/hyperfine/${fixture}.json`, path.join(ws, 'results', 'work.json'))

async function withBaseline(): Promise<string> {
  const ws = workspace()
  results(ws, 'work-baseline')
  const base = await runAction({
    ws,
    event: push(),
    gh,
    inputs: { mode: 'baseline', results: 'results/*.json', 'github-token': 'ghs-write' }
  })
  expect(base.code).toBe(0)
  return ws
}

const gate = (
  ws: string,
  over: Record<string, string> = {},
  event = pullRequest('opened'),
  runId = '4242'
) =>
  runAction({
    ws,
    event,
    gh,
    runId,
    inputs: {
      results: 'results/*.json',
      'github-token': 'ghs-write',
      'promote-draft': 'true',
      ...over
    }
  })

const ledger = (): string =>
  gh.commentsOn(2).find((c) => c.body.includes('<!-- gates:start -->'))?.body ?? ''
const mutations = () =>
  gh.graphqlCalls.filter((c) => c.fields.includes('markPullRequestReadyForReview'))

describe('promote-draft', () => {
  it('marks a draft whose gate passes ready for review once, and the hop log says so', async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    const r = await gate(ws)
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ verdict: 'pass', promoted: 'true' })
    expect(r.stdout).toContain('#2 promoted to ready for review.')
    expect(gh.pulls.get(2)?.draft).toBe(false)
    expect(gh.readyForReview).toEqual([2])
    expect(ledger()).toMatch(
      /^- .* · perf · .* · ✅ pass · .* · promoted to ready for review · .*<!-- perf-gate:hop:4242\.1 -->$/m
    )

    // The next push: no longer a draft, nothing to do.
    const again = await gate(ws, {}, pullRequest('synchronize'), '4243')
    expect(again.outputs.promoted).toBe('false')
    // The author turns it back into a draft: perf-gate did its part once and leaves it so.
    gh.pulls.get(2)!.draft = true
    const third = await gate(ws, {}, pullRequest('synchronize'), '4244')
    expect(third.code).toBe(0)
    expect(third.stdout).toContain(
      '#2 is a draft again after perf-gate marked it ready for review once; it stays as its author left it.'
    )
    expect(gh.pulls.get(2)?.draft).toBe(true)
    expect(mutations()).toHaveLength(1)
    expect(ledger().match(/promoted to ready for review/g)).toHaveLength(1)
  })

  it("with comment: false (no ledger), it still promotes only once, by GitHub's event record", async () => {
    // The author had marked it ready and turned it back into a draft: that was not perf-gate.
    gh.issueEvents.push({ issue: 2, actor: gh.pulls.get(2)!.user, event: 'ready_for_review' })
    gh.convertToDraft(2)
    const ws = await withBaseline()
    results(ws, 'work-same')
    const r = await gate(ws, { comment: 'false' })
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ verdict: 'pass', promoted: 'true' })
    expect(gh.pulls.get(2)?.draft).toBe(false)

    gh.convertToDraft(2)
    const again = await gate(ws, { comment: 'false' }, pullRequest('synchronize'), '4243')
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({ verdict: 'pass', promoted: 'false' })
    expect(again.stdout).toContain(
      '#2 is a draft again after perf-gate marked it ready for review once; it stays as its author left it.'
    )
    expect(gh.pulls.get(2)?.draft).toBe(true)
    expect(mutations()).toHaveLength(1)
    expect(gh.commentsOn(2)).toEqual([])
  })

  it('leaves a draft whose gate warns as it is', async () => {
    const ws = await withBaseline()
    // +20 % is past a 5 % warn budget and short of a 50 % fail budget.
    const config = path.join(ws, 'perf-gate.yml')
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        '    class: core\n',
        '    class: core\n    thresholds: { warn: 5%, fail: 50% }\n'
      )
    )
    results(ws, 'work-slower-20pct')
    const warned = await gate(ws)
    expect(warned.code).toBe(0)
    expect(warned.outputs).toMatchObject({ verdict: 'warn', promoted: 'false' })
    expect(gh.pulls.get(2)?.draft).toBe(true)
    expect(gh.graphqlCalls).toEqual([])
  })

  it('leaves a draft whose gate fails or is neutral as it is', async () => {
    const ws = await withBaseline()
    results(ws, 'work-slower-20pct')
    const failed = await gate(ws)
    expect(failed.code).toBe(1)
    expect(failed.outputs.promoted).toBe('false')

    const fresh = workspace()
    results(fresh, 'work-baseline')
    const neutral = await gate(fresh, {}, pullRequest('synchronize'), '4243')
    expect(neutral.outputs.verdict).toBe('neutral')

    expect(gh.pulls.get(2)?.draft).toBe(true)
    expect(gh.graphqlCalls).toEqual([])
  })

  it('does nothing unless asked (the default is false)', async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    const r = await gate(ws, { 'promote-draft': '' })
    expect(r.outputs).toMatchObject({ verdict: 'pass', promoted: 'false' })
    expect(gh.graphqlCalls).toEqual([])
    expect(gh.pulls.get(2)?.draft).toBe(true)
  })

  it('a token without pull-requests: write gets one warning naming it; the verdict stands', async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    const r = await gate(ws, { 'github-token': 'ghs-pr-read' })
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ verdict: 'pass', promoted: 'false' })
    // (The stand-in has no commit graph, so the baseline choice warns too; that is not ours here.)
    const warnings = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::warning::') && !l.startsWith('::warning::baseline:'))
    expect(warnings).toEqual([
      "::warning::promoting #2 to ready for review: the token may not do this (Resource not accessible by integration). Add `permissions: pull-requests: write` to the job. The gate's verdict is unchanged; the pull request stays a draft."
    ])
    expect(gh.pulls.get(2)?.draft).toBe(true)
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'success' })
    expect(ledger()).toMatch(/^\| perf \| ✅ pass \|/m)
    expect(ledger()).not.toContain('promoted')
  })

  it('when-all-gates-pass waits for every other gate of the ledger', async () => {
    const others = (types: string) =>
      [
        '### Review ledger',
        '<!-- gates:start -->',
        '| Gate | Status | Evidence |',
        '| --- | --- | --- |',
        '| format | ✅ pass | `format: 0 files changed` |',
        `| types | ${types} | \`types: src/a.ts\` |`,
        '<!-- gates:end -->',
        '<!-- hoplog:start -->',
        '<!-- hoplog:end -->'
      ].join('\n')
    const foreign = gh.addComment(2, others('❌ fail'), GITHUB_ACTIONS_BOT)
    const ws = await withBaseline()
    results(ws, 'work-same')
    const waiting = await gate(ws, { 'promote-draft': 'when-all-gates-pass' })
    expect(waiting.outputs).toMatchObject({ verdict: 'pass', promoted: 'false' })
    expect(waiting.stdout).toContain(
      '#2 stays a draft: types (❌ fail) of the ledger has not passed.'
    )
    expect(gh.graphqlCalls).toEqual([])

    // The types gate passes on the next push and rewrites its row.
    foreign.body = ledger().replace('| types | ❌ fail |', '| types | ✅ pass |')
    const ready = await gate(
      ws,
      { 'promote-draft': 'when-all-gates-pass' },
      pullRequest('synchronize'),
      '4243'
    )
    expect(ready.outputs.promoted).toBe('true')
    expect(gh.readyForReview).toEqual([2])
  })
})

describe('promote-draft and forks', () => {
  function forkPull(): RunnerEvent & { payload: any } {
    const e = pullRequest('opened')
    e.payload.pull_request.head.repo.full_name = 'mallory/Hello-World'
    e.payload.pull_request.head.repo.fork = true
    return e
  }

  it("a fork's pull request is never touched: not from its own run…", async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    const r = await gate(ws, { 'github-token': 'ghs-fork' }, forkPull())
    expect(r.code).toBe(0)
    expect(r.outputs.verdict).toBe('pass')
    expect(gh.requests).toEqual([])
    expect(gh.pulls.get(2)?.draft).toBe(true)
  })

  it('…nor when mode report posts its results with a write token', async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    const measured = await gate(ws, { 'github-token': 'ghs-fork' }, forkPull())
    gh.pulls.get(2)!.head = { sha: head, ref: 'main', repoFullName: 'mallory/Hello-World' }
    const artifact = path.join(ws, 'perf-results')
    mkdirSync(artifact)
    copyFileSync(measured.outputs['results-path'], path.join(artifact, 'results.json'))
    const p = webhook('workflow_run', (e) => e.action === 'completed')
    p.repository.full_name = 'Codertocat/Hello-World'
    Object.assign(p.workflow_run, {
      event: 'pull_request',
      head_sha: head,
      head_branch: 'main',
      head_repository: { ...p.workflow_run.head_repository, full_name: 'mallory/Hello-World' },
      pull_requests: [],
      id: 777,
      run_attempt: 1
    })
    const r = await runAction({
      ws,
      event: { name: 'workflow_run', payload: p, ref: 'refs/heads/main', sha: 'a'.repeat(40) },
      gh,
      runId: '9000',
      inputs: {
        mode: 'report',
        'results-dir': 'perf-results',
        'github-token': 'ghs-write',
        'promote-draft': 'true'
      }
    })
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ verdict: 'pass', promoted: 'false' })
    expect(r.stdout).toContain(
      '#2 comes from a fork (mallory/Hello-World); perf-gate never marks a fork'
    )
    expect(gh.graphqlCalls).toEqual([])
    expect(gh.pulls.get(2)?.draft).toBe(true)
    expect(ledger()).toMatch(/^\| perf \| ✅ pass \|/m)
  })
})
