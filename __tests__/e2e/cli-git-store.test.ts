import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { runDistAsync } from '../helpers/dist.js'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import {
  FAST_TUNING,
  runAction,
  webhook,
  workspace,
  type RunnerEvent
} from '../helpers/github-standin-run.js'

/*
 * The team's baselines from a laptop: the built action records them on the branch
 * `perf-gate-data` of acme/llm (against the GitHub stand-in), and the built CLI reads them with
 * `--store git:perf-gate-data --repo acme/llm`, a token from GITHUB_TOKEN or GH_TOKEN and the API
 * at GITHUB_API_URL. A local run never writes there.
 */

const BRANCH = 'perf-gate-data'
let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    owner: 'acme',
    repo: 'llm',
    tokens: {
      'ghs-write': installationToken({ contents: 'write' }),
      'ghp-dev': installationToken({ contents: 'read' })
    }
  }).start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const results = (ws: string, fixture: string) =>
  copyFileSync(`fixtures/hyperfine/${fixture}.json`, path.join(ws, 'results', 'work.json'))

function push(): RunnerEvent {
  const p = webhook('push')
  p.repository.full_name = 'acme/llm'
  return {
    name: 'push',
    payload: p,
    ref: `refs/heads/${p.repository.default_branch}`,
    sha: 'b'.repeat(40)
  }
}

/** The action on a push to acme/llm records a baseline of testbed `ci` on the branch. */
async function recordedByTheAction(): Promise<void> {
  const ws = workspace()
  results(ws, 'work-baseline')
  const r = await runAction({
    ws,
    event: push(),
    gh,
    env: { GITHUB_REPOSITORY: 'acme/llm' },
    inputs: {
      mode: 'baseline',
      results: 'results/*.json',
      'baseline-store': `git:${BRANCH}`,
      'github-token': 'ghs-write'
    }
  })
  expect(r.code).toBe(0)
  expect(JSON.parse(gh.git.branchFiles(BRANCH)['index.json'] ?? '{}').entries).toHaveLength(1)
}

const laptop = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  GITHUB_TOKEN: 'ghp-dev',
  GITHUB_API_URL: gh.url,
  PERF_GATE_API_TUNING: FAST_TUNING,
  ...over
})

const cli = (ws: string, args: string[], env = laptop()) =>
  runDistAsync('cli.js', args, { cwd: ws, env })
const STORE = ['--store', `git:${BRANCH}`, '--repo', 'acme/llm']

describe('perf-gate --store git:BRANCH --repo OWNER/NAME (dist/cli.js)', () => {
  it('compare reads the baseline the action wrote', async () => {
    await recordedByTheAction()
    const ws = workspace()
    results(ws, 'work-slower-20pct')
    const slower = await cli(ws, ['compare', ...STORE, '--testbed', 'ci', 'results/work.json'])
    expect(slower.stderr).toMatch(
      /^baseline: bbbbbbb recorded \S+, testbed ci \(latest; git:perf-gate-data of acme\/llm\)$/m
    )
    expect(slower.code).toBe(1)
    expect(slower.stdout).toMatch(/verdict: fail/)

    results(ws, 'work-same')
    const same = await cli(
      ws,
      ['compare', ...STORE, '--testbed', 'ci', '--json', 'results/work.json'],
      laptop({ GITHUB_TOKEN: '', GH_TOKEN: 'ghp-dev' })
    )
    expect(same.code).toBe(0)
    expect(JSON.parse(same.stdout)).toMatchObject({ verdict: 'pass' })
    // Reads only: no write reached the stand-in from the CLI.
    expect(gh.writes().filter((w) => w.token === 'ghp-dev')).toEqual([])
  })

  it('takes the testbed from the config, and says which flag is missing', async () => {
    await recordedByTheAction()
    const ws = workspace()
    results(ws, 'work-same')
    const viaConfig = await cli(ws, [
      'compare',
      ...STORE,
      '-c',
      'perf-gate.yml',
      'results/work.json'
    ])
    expect(viaConfig.code).toBe(0)
    const noTestbed = await cli(ws, ['compare', ...STORE, 'results/work.json'])
    expect(noTestbed.code).toBe(2)
    expect(noTestbed.stderr).toBe(
      'perf-gate: compare --store needs the testbed the baselines are kept under: pass --testbed NAME (or --config FILE)\n'
    )
    const unknown = await cli(ws, ['compare', ...STORE, '--testbed', 'gpu', 'results/work.json'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(
      /^perf-gate: no baseline to compare with in git:perf-gate-data of acme\/llm for testbed 'gpu'/
    )
  })

  it('gate and history read the branch; baseline from a laptop is refused and writes nothing', async () => {
    await recordedByTheAction()
    const ws = workspace()
    results(ws, 'work-same')
    const gate = await cli(ws, ['gate', ...STORE, '--results', 'results/*.json'])
    expect(gate.code).toBe(0)
    expect(gate.stdout).toMatch(/verdict: pass/)

    const history = await cli(ws, ['history', ...STORE, '--json'])
    expect(history.code).toBe(0)
    expect(JSON.parse(history.stdout)).toMatchObject({
      testbed: 'ci',
      baselines: 1,
      location: 'git:perf-gate-data'
    })

    const refs = new Map(gh.git.refs)
    const baseline = await cli(
      ws,
      ['baseline', ...STORE, '--results', 'results/*.json'],
      laptop({ GITHUB_TOKEN: 'ghs-write' })
    )
    expect(baseline.code).toBe(2)
    expect(baseline.stderr).toMatch(
      /^perf-gate: mode 'baseline' refused: a git: store holds the team's baselines, which only a trusted CI run writes .*Nothing was written\.$/m
    )
    // `run` without a baseline of its testbed gates neutral instead of recording the first one.
    const run = await cli(
      ws,
      ['run', ...STORE, '--testbed', 'laptop', '--results', 'results/*.json'],
      laptop({ GITHUB_TOKEN: 'ghs-write' })
    )
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(/recorded as the baseline/)
    expect(gh.git.refs).toEqual(refs)
  })

  it('a trusted CI run of the CLI writes the branch, as the action does', async () => {
    const ws = workspace()
    results(ws, 'work-baseline')
    const event = push()
    const eventPath = path.join(ws, 'event.json')
    writeFileSync(eventPath, JSON.stringify(event.payload))
    const r = await cli(
      ws,
      ['baseline', '--store', `git:${BRANCH}`, '--results', 'results/*.json'],
      laptop({
        GITHUB_TOKEN: 'ghs-write',
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/llm',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REF: event.ref,
        GITHUB_SHA: event.sha
      })
    )
    expect(r.code).toBe(0)
    expect(JSON.parse(gh.git.branchFiles(BRANCH)['index.json'] ?? '{}').entries).toHaveLength(1)
  })

  it('without a token, one line says which variable to set', async () => {
    const ws = workspace()
    results(ws, 'work-same')
    const r = await cli(
      ws,
      ['compare', ...STORE, '--testbed', 'ci', 'results/work.json'],
      laptop({ GITHUB_TOKEN: '' })
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      "perf-gate: --store git:perf-gate-data reads acme/llm's baselines through the GitHub API and needs a token: set GITHUB_TOKEN (or GH_TOKEN), for example GITHUB_TOKEN=$(gh auth token)\n"
    )
    expect(gh.requests).toEqual([])
    const noRepo = await cli(ws, ['history', '--store', `git:${BRANCH}`])
    expect(noRepo.stderr).toBe(
      'perf-gate: --store git:perf-gate-data needs --repo OWNER/NAME: the repository whose branch holds the baselines\n'
    )
  })
})
