import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync } from 'node:fs'
import path from 'node:path'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { runAction, webhook, workspace, type RunnerEvent } from '../helpers/github-standin-run.js'

/*
 * The built action with `baseline-store: git:perf-gate-data` against the GitHub stand-in: a push
 * on the default branch records the baseline on the branch, a pull request reads it, and a pull
 * request asking for mode baseline is refused before anything is written.
 */

const BRANCH = 'perf-gate-data'
let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({
        contents: 'write',
        checks: 'write',
        issues: 'write',
        pull_requests: 'write'
      }),
      'ghs-pr': installationToken({
        contents: 'read',
        checks: 'write',
        issues: 'write',
        pull_requests: 'write'
      })
    }
  }).start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

function push(): RunnerEvent {
  const p = webhook('push')
  return {
    name: 'push',
    payload: p,
    ref: `refs/heads/${p.repository.default_branch}`,
    sha: 'b'.repeat(40)
  }
}

function pullRequest(): RunnerEvent {
  const payload = webhook('pull_request', (e) => e.action === 'opened')
  gh.addPull({ number: payload.number, headSha: payload.pull_request.head.sha })
  return {
    name: 'pull_request',
    payload,
    ref: `refs/pull/${payload.number}/merge`,
    sha: '9'.repeat(40)
  }
}

const results = (ws: string, fixture: string) =>
  copyFileSync(`fixtures/hyperfine/${fixture}.json`, path.join(ws, 'results', 'work.json'))

const inputs = (over: Record<string, string>) => ({
  results: 'results/*.json',
  'baseline-store': `git:${BRANCH}`,
  'github-token': 'ghs-write',
  ...over
})

const gitWrites = () => gh.writes().filter((r) => r.operationId?.startsWith('git/'))

describe('baseline-store git:BRANCH', () => {
  it('a push records the baseline on the branch, and a pull request gates against it', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    const base = await runAction({ ws, event: push(), gh, inputs: inputs({ mode: 'baseline' }) })
    expect(base.code).toBe(0)
    const index = JSON.parse(gh.git.branchFiles(BRANCH)['index.json'] ?? '{}')
    expect(index.entries).toHaveLength(1)
    expect(index.entries[0]).toMatchObject({ testbed: 'ci', sha: 'b'.repeat(40) })

    // A fresh workspace: the baseline comes from the branch, not from a file left behind.
    const pr = workspace()
    results(pr, 'work-same')
    const gate = await runAction({
      ws: pr,
      event: pullRequest(),
      gh,
      inputs: inputs({ mode: 'gate', 'github-token': 'ghs-pr' })
    })
    expect(gate.code).toBe(0)
    expect(gate.outputs.verdict).toBe('pass')
    expect(gitWrites()).toHaveLength(4) // blob, tree, commit, ref: all from the push

    // The next push with retention 1 replaces the first baseline.
    const next = workspace()
    results(next, 'work-same')
    const again = await runAction({
      ws: next,
      event: push(),
      gh,
      inputs: inputs({ mode: 'baseline', 'baseline-retention': '1' })
    })
    expect(again.code).toBe(0)
    const after = JSON.parse(gh.git.branchFiles(BRANCH)['index.json'] ?? '{}')
    expect(after.entries).toHaveLength(1)
    expect(after.entries[0].path).not.toBe(index.entries[0].path)
    expect(Object.keys(gh.git.branchFiles(BRANCH)).sort()).toEqual(
      [after.entries[0].path, 'index.json'].sort()
    )
  })

  it('a pull request in mode baseline writes nothing to the branch and says why', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    const r = await runAction({
      ws,
      event: pullRequest(),
      gh,
      inputs: inputs({ mode: 'baseline' })
    })
    expect(r.code).not.toBe(0)
    expect(r.stdout).toMatch(
      /mode 'baseline' refused: baselines are written only on push or workflow_dispatch to the default branch; this run is a 'pull_request' event\. Nothing was written\./
    )
    expect(gitWrites()).toEqual([])
    expect(gh.git.refs.size).toBe(0)
  })

  it('without a token, says the git store needs one', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    const r = await runAction({
      ws,
      event: push(),
      inputs: inputs({ mode: 'baseline', 'github-token': '' })
    })
    expect(r.code).not.toBe(0)
    expect(r.stdout).toMatch(/baseline-store 'git:perf-gate-data' .* needs the github-token input/)
  })
})
