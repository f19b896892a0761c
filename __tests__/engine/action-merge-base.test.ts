import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync } from 'node:fs'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { addChain } from '../helpers/github-standin-compare.js'
import { runAction, webhook, workspace, type RunnerEvent } from '../helpers/github-standin-run.js'
import { lognormal, mulberry32, resultSet, timeBench } from '../helpers/results.js'

/*
 * The built action (dist/) on a pull request whose base branch moved on after it branched: main
 * got 20 % faster in a later commit, with its own newer baseline. The PR, as fast as its merge-base,
 * must be compared with the merge-base's baseline and pass, where the newest baseline would fail it.
 */

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({
        checks: 'write',
        issues: 'write',
        pull_requests: 'write',
        contents: 'read'
      })
    }
  }).start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const results = (ws: string, fixture: string) =>
  copyFileSync(`fixtures/hyperfine/${fixture}.json`, path.join(ws, 'results', 'work.json'))

function push(sha: string): RunnerEvent {
  const p = webhook('push')
  return { name: 'push', payload: p, ref: `refs/heads/${p.repository.default_branch}`, sha }
}

function pullRequest(head: string): RunnerEvent {
  const payload = webhook('pull_request', (e) => e.action === 'synchronize')
  payload.pull_request.head.sha = head
  return {
    name: 'pull_request',
    payload,
    ref: `refs/pull/${payload.number}/merge`,
    sha: '9'.repeat(40)
  }
}

describe('the action gates a pull request against its merge-base', () => {
  it('takes the merge-base baseline although main has a newer, faster one', async () => {
    const [, m2] = addChain(gh, null, 2, 'main')
    const [m3] = addChain(gh, m2 ?? null, 1, 'main, made faster later', 'main')
    const [, p2] = addChain(gh, m2 ?? null, 2, 'pr', 'feature')
    const base = m2
    const later = m3
    const head = p2
    gh.addPull({ number: 2, headSha: head })
    const ws = workspace()
    const record = async (sha: string, fixture: string) => {
      results(ws, fixture)
      const r = await runAction({
        ws,
        event: push(sha),
        gh,
        inputs: { mode: 'baseline', results: 'results/*.json', 'github-token': 'ghs-write' }
      })
      expect(r.code).toBe(0)
    }
    await record(base, 'work-slower-20pct')
    await record(later, 'work-baseline')
    // Recording asks GitHub nothing.
    expect(gh.requests).toEqual([])

    results(ws, 'work-slower-20pct')
    const r = await runAction({
      ws,
      event: pullRequest(head),
      gh,
      inputs: { results: 'results/*.json', 'github-token': 'ghs-write' },
      env: { GITHUB_BASE_REF: 'main' }
    })
    expect(r.stdout).not.toMatch(/::error::/)
    expect(r.code).toBe(0)
    expect(r.outputs.verdict).toBe('pass')
    const compare = gh.requests.find((q) => q.operationId === 'repos/compare-commits-with-basehead')
    expect(compare?.path).toBe(`/repos/Codertocat/Hello-World/compare/main...${head}`)
    const ledger = gh.commentsOn(2)[0]?.body ?? ''
    expect(ledger).toMatch(
      new RegExp(
        `Baseline: \`${base.slice(0, 7)}\` \\(the merge-base\\), recorded \\d{4}-\\d\\d-\\d\\d, \\d+ min old, testbed ci\\.`
      )
    )
    expect(r.summary).toContain(`Baseline: \`${base.slice(0, 7)}\` (the merge-base)`)
  })
})

describe('mode history in the action', () => {
  it('reports the step in the job summary and outputs, and never fails', async () => {
    const ws = workspace()
    const store = new LocalBaselineStore(path.join(ws, '.perf-gate', 'baselines'))
    const rng = mulberry32(5)
    for (let i = 0; i < 12; i++) {
      await store.write(
        resultSet([timeBench('work', lognormal(rng, 10, i < 6 ? 100 : 125, 0.02))], {
          testbed: 'ci',
          commit: { sha: String(i).padStart(2, '0').repeat(20) },
          createdAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString()
        })
      )
    }
    const p = webhook('push')
    const r = await runAction({
      ws,
      event: {
        name: 'schedule',
        payload: { repository: p.repository },
        ref: 'refs/heads/main',
        sha: 'e'.repeat(40)
      },
      inputs: { mode: 'history' }
    })
    expect(r.code).toBe(0)
    expect(r.outputs.verdict).toBe('neutral')
    expect(r.outputs['change-points']).toBe('1')
    expect(r.summary).toContain('## perf history: testbed ci')
    expect(r.summary).toMatch(
      /^\| `0606060` \| 2026-11-07 \| work \| time \| \+2\d\.\d % \|.*\| ⚠️ worse \|$/m
    )
  })
})
