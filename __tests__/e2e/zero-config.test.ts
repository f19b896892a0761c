import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runDist } from '../helpers/dist.js'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { runAction, webhook, type RunnerEvent } from '../helpers/github-standin-run.js'

/*
 * Zero-config imports: a workflow with a result file and no perf-gate.yml gates on the defaults,
 * through the built action on real webhook payloads and through the built CLI, and says what it
 * assumed and which three lines of perf-gate.yml would pin it. With one stored job the default
 * runner-drift prior confirms only large regressions, so the slower run is twice as slow.
 */

const RUNNER = { RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' }
const PIN = 'testbed: linux-x64\nthresholds:\n  non-critical: { warn: 5%, fail: 10% }'

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

/** A checkout with a result file and nothing else: no perf-gate.yml. */
function bareWorkspace(): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'pg-zero-'))
  mkdirSync(path.join(ws, 'results'))
  return ws
}

const results = (ws: string, fixture: string) =>
  copyFileSync(`fixtures/hyperfine/${fixture}.json`, path.join(ws, 'results', 'work.json'))

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

const action = (ws: string, event: RunnerEvent, inputs: Record<string, string>) =>
  runAction({
    ws,
    event,
    gh,
    env: RUNNER,
    inputs: { results: 'results/*.json', 'github-token': 'ghs-write', ...inputs }
  })

describe('results: with no perf-gate.yml (dist/index.js)', () => {
  it('records on push and gates a pull request on the defaults, saying what it assumed', async () => {
    const ws = bareWorkspace()
    results(ws, 'work-baseline')
    const base = await action(ws, push(), { mode: 'baseline' })
    expect(base.code).toBe(0)
    expect(existsSync(path.join(ws, '.perf-gate/baselines/linux-x64'))).toBe(true)
    expect(base.stdout).toContain(
      "no perf-gate.yml: running on defaults: testbed 'linux-x64' (the runner's OS and architecture"
    )

    results(ws, 'work-slower-2x')
    const gate = await action(ws, pullRequest(), {})
    expect(gate.code).toBe(1)
    expect(gate.outputs).toMatchObject({ verdict: 'fail', route: 'A' })
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'failure', annotations: [] })
    expect(gate.summary).toContain('> **No `perf-gate.yml`: this run used the defaults.**')
    expect(gate.summary).toContain(
      "Testbed `linux-x64` (the runner's OS and architecture; set the `testbed` input to name it), the default budgets (warn 5 %, fail 10 %)"
    )
    expect(gate.summary).toContain('```yaml\n' + PIN + '\n```')

    // The three lines, committed, give the same run against the same baselines, and say nothing.
    writeFileSync(path.join(ws, 'perf-gate.yml'), PIN + '\n')
    const pinned = await action(ws, pullRequest(), {})
    expect(pinned.outputs).toMatchObject({ verdict: 'fail', regressions: gate.outputs.regressions })
    expect(pinned.summary).not.toContain('No `perf-gate.yml`')
    expect(pinned.stdout).not.toContain('running on defaults')
  })

  it('takes the testbed input, and still fails on a perf-gate.yml that is there but invalid', async () => {
    const ws = bareWorkspace()
    results(ws, 'work-baseline')
    const named = await action(ws, pullRequest(), { testbed: 'ci-large' })
    expect(named.code).toBe(0)
    expect(named.outputs.verdict).toBe('neutral')
    expect(named.summary).toContain('Testbed `ci-large` (from the `testbed` input)')

    writeFileSync(path.join(ws, 'perf-gate.yml'), 'testbed: ci\nthresholds: { core: 5 }\n')
    const invalid = await action(ws, pullRequest(), {})
    expect(invalid.code).toBe(1)
    expect(invalid.stdout).toMatch(/::error::perf-gate: perf-gate.yml:2: thresholds.core must be/)
  })

  it('without results, a missing perf-gate.yml is still an error', async () => {
    const ws = bareWorkspace()
    const r = await action(ws, pullRequest(), { results: '' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::perf-gate: perf-gate.yml: config file not found/)
  })
})

describe('--results with no perf-gate.yml (dist/cli.js)', () => {
  it('records and gates on the defaults, and says on stderr what it assumed', () => {
    const dir = bareWorkspace()
    results(dir, 'work-baseline')
    const env = { ...RUNNER }
    const base = runDist('cli.js', ['baseline', '--results', 'results/*.json'], { cwd: dir, env })
    expect(base.code).toBe(0)
    expect(base.stderr).toContain("no perf-gate.yml: running on defaults: testbed 'linux-x64'")
    expect(base.stderr).toContain(`To pin this, commit this perf-gate.yml:\n${PIN}\n`)

    results(dir, 'work-same')
    const same = runDist('cli.js', ['gate', '--results', 'results/*.json'], { cwd: dir, env })
    expect(same.code).toBe(0)
    expect(same.stdout).toMatch(/verdict: pass/)

    results(dir, 'work-slower-2x')
    const slower = runDist('cli.js', ['gate', '--results', 'results/*.json'], { cwd: dir, env })
    expect(slower.code).toBe(1)
    expect(slower.stdout).toMatch(/verdict: fail/)
    expect(slower.stderr).toContain('running on defaults')
  })
})
