import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { runAction, webhook, type RunnerEvent } from '../helpers/github-standin-run.js'
import { commit, git, gitRepo, worktrees } from '../helpers/git-repo.js'

/*
 * The built action with `ab: true` on a pull_request event, against the GitHub stand-in: the
 * workspace is a real repository whose checkout is the pull request's head, the base is found
 * from the event's base sha, both are measured in pairs in a worktree that is gone afterwards,
 * the check run and ledger say so, and nothing is written to the baseline store.
 */

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ checks: 'write', issues: 'write', pull_requests: 'write' })
    }
  }).start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const CONFIG = [
  'testbed: ci',
  'repetitions: 6',
  'warmup: 1',
  'benchmarks:',
  '  - name: work',
  '    kind: command',
  '    run: cat out.json',
  '    format: custom',
  '    class: core',
  ''
].join('\n')

const value = (v: number) => JSON.stringify([{ name: 'op', unit: 'ms', value: v }])

/** main with the base commit, then a pull request branch on it, checked out at its head. */
function pullRequestRepo(headValue: number) {
  const { dir, shas } = gitRepo([
    { 'perf-gate.yml': CONFIG, 'out.json': value(100), '.gitignore': '.perf-gate/\nbenchmarks/\n' }
  ])
  git(dir, 'checkout', '-q', '-b', 'pr')
  const head = commit(dir, { 'out.json': value(headValue) })
  // The base branch moves on after the pull request branched: its tip is not the merge-base.
  git(dir, 'checkout', '-q', 'main')
  const tip = commit(dir, { 'NOTES.md': 'later on main\n' })
  git(dir, 'checkout', '-q', 'pr')
  return { dir, base: shas[0], head, tip }
}

function event(repo: { head: string; tip: string }): RunnerEvent & { payload: any } {
  const payload = webhook('pull_request', (e) => e.action === 'opened')
  payload.pull_request.head.sha = repo.head
  payload.pull_request.base.sha = repo.tip
  gh.addPull({ number: payload.number, headSha: repo.head })
  return {
    name: 'pull_request',
    payload,
    ref: `refs/pull/${payload.number}/merge`,
    sha: '9'.repeat(40)
  }
}

describe('the action with ab: true on a pull request', () => {
  it('fails a +30 % head against its merge-base measured in the same job, posts, records nothing', async () => {
    const repo = pullRequestRepo(130)
    const tmp = mkdtempSync(path.join(tmpdir(), 'pg-ab-tmp-'))
    const r = await runAction({
      ws: repo.dir,
      event: event(repo),
      gh,
      inputs: { ab: 'true', 'github-token': 'ghs-write' },
      env: { TMPDIR: tmp }
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::perf-gate: fail/)
    expect(r.stdout).toContain(`A/B in this job: base ${repo.base.slice(0, 7)}`)
    const line = `A/B in this job: base \`${repo.base.slice(0, 7)}\` vs head \`${repo.head.slice(0, 7)}\`, 6 interleaved pairs (seed `
    expect(gh.checkRuns).toHaveLength(1)
    expect(gh.checkRuns[0]).toMatchObject({ headSha: repo.head, conclusion: 'failure' })
    expect(gh.checkRuns[0]?.output.summary).toContain(line)
    const ledger = gh
      .commentsOn(pullNumber(repo))
      .map((c) => c.body)
      .join('\n')
    expect(ledger).toContain(line)
    expect(ledger).toMatch(
      /^\| perf \| ❌ fail \| `perf: work\/value: 130 ms; Δ vs baseline: \+30\.0%` \|$/m
    )
    expect(r.summary).toContain(line)
    expect(r.outputs).toMatchObject({ verdict: 'fail', route: 'A', regressions: '1' })
    // The worktree is gone, and the store was never written.
    expect(worktrees(repo.dir)).toHaveLength(1)
    expect(readdirSync(tmp)).toEqual([])
    expect(existsSync(path.join(repo.dir, '.perf-gate/baselines'))).toBe(false)
  })

  it('tells a shallow checkout without the merge-base to use fetch-depth: 0', async () => {
    const repo = pullRequestRepo(101)
    const shallow = path.join(mkdtempSync(path.join(tmpdir(), 'pg-ab-shallow-')), 'ws')
    git(repo.dir, 'clone', '-q', '--depth', '1', '--branch', 'pr', `file://${repo.dir}`, shallow)
    const r = await runAction({
      ws: shallow,
      event: event(repo),
      gh,
      inputs: { ab: 'true', 'github-token': 'ghs-write' }
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error::perf-gate: cannot run A\/B: the checkout is shallow and lacks the pull request's base commit [0-9a-f]{7}: use actions\/checkout with fetch-depth: 0/
    )
    // The check run went in progress before the job found no base; it is not left hanging.
    expect(gh.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' })
    expect(worktrees(shallow)).toHaveLength(1)
  })
})

function pullNumber(repo: { head: string }): number {
  return [...gh.pulls.values()].find((p) => p.head.sha === repo.head)?.number ?? -1
}
