import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import {
  forkToken,
  Gate,
  GITHUB_ACTIONS_BOT,
  GitHubStandin,
  installationToken,
  type StoredComment
} from '../helpers/github-standin.js'
import { runAction, webhook, workspace, type RunnerEvent } from '../helpers/github-standin-run.js'

/*
 * The built action against the GitHub stand-in, as a runner runs it: real webhook payloads, INPUT_*
 * variables, GITHUB_API_URL pointing at the stand-in. Every request it sends is held to GitHub's
 * OpenAPI description; a request outside it fails the test through `violations`.
 */

let gh: GitHubStandin
let head: string
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ checks: 'write', issues: 'write', pull_requests: 'write' }),
      'ghs-fork': forkToken(),
      'ghs-nochecks': installationToken({ pull_requests: 'write' })
    }
  }).start()
  head = pullRequest('opened').payload.pull_request.head.sha
  gh.addPull({ number: 2, headSha: head, body: 'Makes work faster.' })
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

/** A workspace with a baseline recorded by a push run, which posts nothing. */
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
  expect(gh.requests).toEqual([])
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
    inputs: { results: 'results/*.json', 'github-token': 'ghs-write', ...over }
  })

const ledgers = (): StoredComment[] =>
  gh.commentsOn(2).filter((c) => c.body.includes('<!-- gates:start -->'))
const onlyLedger = (): string => {
  expect(ledgers()).toHaveLength(1)
  return ledgers()[0]?.body ?? ''
}

describe('the action posts to GitHub', () => {
  it('passes: check run in progress then success on the PR head, one ledger, all outputs', async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    const r = await gate(ws)
    expect(r.code).toBe(0)
    expect(gh.checkRuns).toHaveLength(1)
    const check = gh.checkRuns[0]
    expect(check).toMatchObject({
      name: 'review:gate:perf',
      headSha: head,
      status: 'completed',
      conclusion: 'success'
    })
    expect(check?.updates.map((u: any) => u.status)).toEqual(['in_progress', 'completed'])
    expect(check?.externalId).toBe('perf-gate:4242.1')
    expect(onlyLedger()).toMatch(
      /^\| perf \| ✅ pass \| `perf: work\/time: [\d.]+ s; Δ vs baseline: [+-]\d+\.\d%` \|$/m
    )
    expect(ledgers()[0]?.user.login).toBe('github-actions[bot]')
    expect(r.outputs).toMatchObject({
      verdict: 'pass',
      route: 'B',
      accepted: 'false',
      'comment-id': String(ledgers()[0]?.id),
      'check-run-id': String(check?.id)
    })
    expect(r.outputs['comment-url']).toMatch(/#issuecomment-\d+$/)
    expect(r.outputs['check-run-url']).toMatch(/\/runs\/\d+$/)
    expect(r.summary).toMatch(/perf: pass/)
  })

  it('fails: failure conclusion, an annotation on the benchmark line of perf-gate.yml, Route A', async () => {
    const ws = await withBaseline()
    results(ws, 'work-slower-20pct')
    const r = await gate(ws)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::perf-gate: fail/)
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'failure' })
    expect(gh.checkRuns[0]?.annotations).toEqual([
      expect.objectContaining({ path: 'perf-gate.yml', start_line: 3, annotation_level: 'failure' })
    ])
    // The local check-run.json is the payload sent, annotations included.
    const local = JSON.parse(readFileSync(path.join(ws, '.perf-gate/out/check-run.json'), 'utf8'))
    expect(local.output.annotations).toEqual(gh.checkRuns[0]?.annotations)
    expect(onlyLedger()).toMatch(/^\| perf \| ❌ fail \|/m)
    expect(onlyLedger()).toContain('**Route A**: fix needed.')
  })

  it('is neutral without a baseline, and says how to get one', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    const r = await gate(ws)
    expect(r.code).toBe(0)
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'neutral' })
    expect(onlyLedger()).toMatch(/^\| perf \| ⚪ neutral \| `perf: no baseline yet` \|$/m)
  })

  it('turns an accepted regression neutral and records who accepted it and why', async () => {
    const ws = await withBaseline()
    results(ws, 'work-slower-20pct')
    const pull = gh.pulls.get(2)!
    pull.labels = ['perf-gate:accept']
    pull.body =
      'Switches the parser.\n\nperf-gate-accept: 20 % slower start-up buys the streaming parser'
    gh.issueEvents.push({
      issue: 2,
      label: 'perf-gate:accept',
      actor: { login: 'alice', id: 9, type: 'User' },
      event: 'labeled'
    })
    const r = await gate(ws)
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ verdict: 'neutral', route: 'B', accepted: 'true' })
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'neutral' })
    expect(gh.checkRuns[0]?.annotations[0]).toMatchObject({ annotation_level: 'notice' })
    const body = onlyLedger()
    expect(body).toMatch(/^\| perf \| ⚪ neutral \(accepted\) \|/m)
    expect(body).toContain(
      'by @\u200Balice (label `perf-gate:accept`, was fail): 20 % slower start-up buys the streaming parser'
    )
  })

  it('keeps failing when the accept label comes without a written reason', async () => {
    const ws = await withBaseline()
    results(ws, 'work-slower-20pct')
    gh.pulls.get(2)!.labels = ['perf-gate:accept']
    const r = await gate(ws)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::warning::perf-gate: the pull request has the label 'perf-gate:accept' but its description has no 'perf-gate-accept: <why>' line/
    )
  })

  it('updates the same comment on the next push to the PR, adding a hop', async () => {
    const ws = await withBaseline()
    results(ws, 'work-slower-20pct')
    await gate(ws)
    const first = onlyLedger()
    results(ws, 'work-same')
    const r = await gate(ws, {}, pullRequest('synchronize'), '4243')
    expect(r.code).toBe(0)
    const body = onlyLedger()
    expect(body).not.toBe(first)
    expect(body).toMatch(/^\| perf \| ✅ pass \|/m)
    expect(body).toContain('<!-- perf-gate:hop:4242.1 -->')
    expect(body).toContain('<!-- perf-gate:hop:4243.1 -->')
    expect(gh.requests.filter((q) => q.operationId === 'issues/create-comment')).toHaveLength(1)
  })

  it("keeps another gate's row and other tools' hop entries across two runs", async () => {
    const foreign = [
      '### Review ledger',
      '<!-- gates:start -->',
      '| Gate | Status | Evidence |',
      '| --- | --- | --- |',
      '| format | ✅ pass | `format: 0 files changed` |',
      '| types | ❌ fail | `types: src/a.ts: 2 errors` |',
      '<!-- gates:end -->',
      '<!-- hoplog:start -->',
      '- 2026-11-21 09:00 UTC · format · ec26c3e · ✅ pass · run 17',
      '- 2026-11-21 09:02 UTC · types · ec26c3e · ❌ fail · run 18',
      '<!-- hoplog:end -->',
      'Footer the format gate keeps.'
    ].join('\n')
    gh.addComment(2, foreign, GITHUB_ACTIONS_BOT)
    const ws = await withBaseline()
    results(ws, 'work-slower-20pct')
    await gate(ws)
    results(ws, 'work-same')
    await gate(ws, {}, pullRequest('synchronize'), '4243')
    const body = onlyLedger()
    for (const line of foreign
      .split('\n')
      .filter((l) => l.startsWith('|') || l.startsWith('- ') || l.startsWith('Footer'))) {
      expect(body).toContain(line)
    }
    expect(body.match(/^\| perf \|/gm)).toHaveLength(1)
    expect(body.match(/<!-- perf-gate:hop:/g)).toHaveLength(2)
  })

  it('does not post twice when GitHub answered 502 to a comment it had created', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    gh.inject('issues/create-comment', { kind: 'after', status: 502 })
    const r = await gate(ws)
    expect(r.code).toBe(0)
    expect(gh.requests.filter((q) => q.operationId === 'issues/create-comment')).toHaveLength(1)
    expect(ledgers()).toHaveLength(1)
  })

  it('waits out a rate limit and still posts', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    gh.inject('issues/list-comments', {
      kind: 'rate-limit',
      type: 'secondary',
      status: 429,
      retryAfterSeconds: 3
    })
    const r = await gate(ws)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/secondary rate limit on GET .* waiting 3 s, then retrying once/)
    expect(ledgers()).toHaveLength(1)
  })

  it('without checks: write, still posts the ledger and names the permission to add', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    const r = await gate(ws, { 'github-token': 'ghs-nochecks' })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::creating the check run: the token may not do this .* Add `permissions: checks: write` to the job/
    )
    expect(gh.checkRuns).toHaveLength(0)
    expect(ledgers()).toHaveLength(1)
  })

  it('with an expired token, says so once and stops calling GitHub', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    const r = await gate(ws, { 'github-token': 'expired' })
    expect(r.code).toBe(0)
    expect(r.stdout.match(/GitHub rejected the token \(401 Bad credentials\)/g)).toHaveLength(1)
    expect(gh.requests).toHaveLength(1)
  })

  it('leaves the ledger alone when the PR was closed meanwhile, and says so', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    gh.pulls.get(2)!.state = 'closed'
    const r = await gate(ws)
    expect(r.stdout).toMatch(
      /::warning::Pull request #2 was closed while the gate ran; the ledger was not updated/
    )
    expect(gh.comments).toHaveLength(0)
    expect(gh.checkRuns[0]?.status).toBe('completed')
  })

  it('a run of a commit the PR has moved past logs its hop and leaves the newer row alone', async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    await gate(ws)
    const newer = onlyLedger().match(/^\| perf \|.*$/m)?.[0]
    gh.pulls.get(2)!.head.sha = 'd'.repeat(40)
    results(ws, 'work-slower-20pct')
    const r = await gate(ws, {}, pullRequest('opened'), '4300')
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/#2 has moved on to ddddddd; only the hop log records this run/)
    const body = onlyLedger()
    expect(body.match(/^\| perf \|.*$/m)?.[0]).toBe(newer)
    expect(body).toMatch(/❌ fail .*<!-- perf-gate:hop:4300\.1 -->/)
  })

  it('a run that breaks completes its check run as failure instead of leaving it in progress', async () => {
    const ws = workspace()
    const r = await gate(ws, { results: 'nothing/*.json' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::perf-gate: results: no file matches 'nothing\/\*\.json'/)
    expect(gh.checkRuns).toEqual([
      expect.objectContaining({ status: 'completed', conclusion: 'failure' })
    ])
    expect(gh.checkRuns[0]?.output.summary).toMatch(/no file matches/)
  })

  it('two runs on the same PR at once leave one ledger with both hops', async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    const hold = new Gate()
    gh.inject('issues/create-comment', { kind: 'hold', gate: hold }, 2)
    const a = gate(ws, {}, pullRequest('opened'), '5001')
    const b = gate(ws, {}, pullRequest('synchronize'), '5002')
    await hold.arrived(2)
    hold.release()
    const [ra, rb] = await Promise.all([a, b])
    expect([ra.code, rb.code]).toEqual([0, 0])
    const body = onlyLedger()
    expect(body).toContain('<!-- perf-gate:hop:5001.1 -->')
    expect(body).toContain('<!-- perf-gate:hop:5002.1 -->')
    // Both runs may try to delete the duplicate; it goes once, and the second learns it is gone.
    const deleted = gh.requests.filter((q) => q.operationId === 'issues/delete-comment')
    expect(deleted.filter((q) => q.status === 204)).toHaveLength(1)
  })
})

describe('forks and workflow_run', () => {
  function forkPull(): RunnerEvent & { payload: any } {
    const e = pullRequest('opened')
    e.payload.pull_request.head.repo.full_name = 'mallory/Hello-World'
    e.payload.pull_request.head.repo.fork = true
    return e
  }

  it('a fork PR writes summary and files, warns once, and sends GitHub nothing', async () => {
    const ws = await withBaseline()
    results(ws, 'work-slower-20pct')
    const r = await gate(ws, { 'github-token': 'ghs-fork' }, forkPull())
    expect(r.code).toBe(1)
    expect(gh.requests).toEqual([])
    expect(
      r.stdout.match(
        /::warning::perf-gate: the ledger and check run are written to files, not posted: pull request #2 comes from a fork/g
      )
    ).toHaveLength(1)
    expect(r.summary).toMatch(/comes from a fork[\s\S]*mode: report/)
    expect(readFileSync(r.outputs['results-path'], 'utf8')).toContain('"benchmarks"')
    expect(readFileSync(r.outputs['ledger-path'], 'utf8')).toMatch(/^\| perf \| ❌ fail \|/m)
  })

  function workflowRun(headSha: string): RunnerEvent & { payload: any } {
    const p = webhook('workflow_run', (e) => e.action === 'completed')
    p.repository.full_name = 'Codertocat/Hello-World'
    Object.assign(p.workflow_run, {
      event: 'pull_request',
      head_sha: headSha,
      head_branch: 'main',
      head_repository: { ...p.workflow_run.head_repository, full_name: 'mallory/Hello-World' },
      pull_requests: [],
      id: 777,
      run_attempt: 2
    })
    return { name: 'workflow_run', payload: p, ref: 'refs/heads/main', sha: 'a'.repeat(40) }
  }

  it('mode report posts the fork run on the PR found from the event, at the measured head', async () => {
    const ws = await withBaseline()
    results(ws, 'work-slower-20pct')
    const measured = await gate(ws, { 'github-token': 'ghs-fork' }, forkPull())
    const forkHead = head
    gh.pulls.get(2)!.head = { sha: forkHead, ref: 'main', repoFullName: 'mallory/Hello-World' }
    gh.addPull({ number: 999, headSha: 'f'.repeat(40) })
    const artifact = path.join(ws, 'perf-results')
    mkdirSync(artifact)
    copyFileSync(measured.outputs['results-path'], path.join(artifact, 'results.json'))

    const r = await runAction({
      ws,
      event: workflowRun(forkHead),
      gh,
      runId: '9000',
      inputs: { mode: 'report', 'results-dir': 'perf-results', 'github-token': 'ghs-write' }
    })
    expect(r.stdout).toMatch(/reporting run 777\.2 of [0-9a-f]{40} on #2/)
    expect(r.code).toBe(1)
    expect(gh.checkRuns).toEqual([
      expect.objectContaining({
        headSha: forkHead,
        conclusion: 'failure',
        externalId: 'perf-gate:777.2'
      })
    ])
    expect(onlyLedger()).toContain('<!-- perf-gate:hop:777.2 -->')
    expect(gh.commentsOn(999)).toEqual([])
    expect(gh.writes().every((w) => !w.path.includes('/999'))).toBe(true)
  })

  it('mode report posts nothing when the PR moved past the measured commit', async () => {
    const ws = await withBaseline()
    const artifact = path.join(ws, 'perf-results')
    mkdirSync(artifact)
    results(ws, 'work-same')
    const measured = await gate(ws, { 'github-token': 'ghs-fork' }, forkPull())
    copyFileSync(measured.outputs['results-path'], path.join(artifact, 'results.json'))
    gh.pulls.get(2)!.head = {
      sha: 'd'.repeat(40),
      ref: 'main',
      repoFullName: 'mallory/Hello-World'
    }
    const r = await runAction({
      ws,
      event: workflowRun(head),
      gh,
      inputs: { mode: 'report', 'results-dir': 'perf-results', 'github-token': 'ghs-write' }
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::warning::perf-gate: not posting: the pull request's head moved on/)
    expect(gh.writes()).toEqual([])
  })

  it('mode report refuses to run from any other event', async () => {
    const ws = workspace()
    const r = await runAction({
      ws,
      event: pullRequest('opened'),
      gh,
      inputs: { mode: 'report', 'results-dir': 'perf-results', 'github-token': 'ghs-write' }
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error::perf-gate: mode 'report' runs from a workflow_run event \(this is 'pull_request'\)/
    )
  })
})

describe('events without a pull request', () => {
  it('workflow_dispatch in gate mode puts the check run on GITHUB_SHA and writes no comment', async () => {
    const ws = await withBaseline()
    results(ws, 'work-same')
    const p = webhook('workflow_dispatch')
    const sha = 'c'.repeat(40)
    const r = await runAction({
      ws,
      event: { name: 'workflow_dispatch', payload: p, ref: 'refs/heads/main', sha },
      gh,
      inputs: { results: 'results/*.json', 'github-token': 'ghs-write' }
    })
    expect(r.code).toBe(0)
    expect(gh.checkRuns).toEqual([expect.objectContaining({ headSha: sha, conclusion: 'success' })])
    expect(gh.comments).toEqual([])
  })
})
