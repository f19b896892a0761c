import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { githubCommitGraph } from '../../src/github/commit-graph.js'
import { renderCheckRun } from '../../src/report/check-run.js'
import type { Environment, ResultSet } from '../../src/results/model.js'
import { silentReporter } from '../../src/runners/progress.js'
import { GitHubStandin } from '../helpers/github-standin.js'
import { addChain } from '../helpers/github-standin-compare.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { runJobToFiles } from '../helpers/job.js'
import { lognormal, mulberry32, resultSet, timeBench } from '../helpers/results.js'

/*
 * The whole job against stored baselines when the runner drifts: the stored jobs are collected
 * along the merge-base's history, screened by fingerprint, and the verdict, ledger and check run
 * say what they could resolve.
 */

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin().start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const NOW = new Date('2026-11-22T12:00:00Z')
const ENV: Environment = {
  os: 'Linux',
  arch: 'x64',
  cpu: 'cpu',
  cpuCount: 2,
  memoryBytes: 1,
  node: 'v24',
  'gpu.count': 1,
  'gpu.driver': '570.133.07'
}

function workspace(runnerDrift: string | null) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-hist-'))
  mkdirSync(path.join(dir, 'results'))
  writeFileSync(
    path.join(dir, 'perf-gate.yml'),
    'testbed: test\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*.json\n    class: core\n' +
      (runnerDrift === null ? '' : `runner-drift: ${runnerDrift}\n`)
  )
  return dir
}

/** One job of `work` at `level` ms, 10 runs of CV 1 %. */
function job(sha: string, level: number, seed: number, env = ENV, hoursAgo = 0): ResultSet {
  return resultSet([timeBench('work', lognormal(mulberry32(seed), 10, level, 0.01))], {
    commit: { sha },
    environment: env,
    createdAt: new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString()
  })
}

/**
 * main m1 … m8, the PR branched at m6. The stored jobs of m1 … m6 drift by a few % from job to
 * job; m2's and m4's ran on another driver; m7 and m8 (after the merge-base) are 30 % faster.
 */
async function setup(dir: string) {
  const main = addChain(gh, null, 6, 'main')
  const later = addChain(gh, main[5] ?? null, 2, 'main later', 'main')
  const [, head] = addChain(gh, main[5] ?? null, 2, 'pr', 'feature')
  const store = new LocalBaselineStore(path.join(dir, 'baselines'))
  const other = { ...ENV, 'gpu.driver': '565.57.01' }
  const levels = [103, 80, 96, 80, 104, 98]
  for (const [i, sha] of main.entries()) {
    await store.write(job(sha, levels[i] ?? 0, i + 1, i === 1 || i === 3 ? other : ENV, 60 - i))
  }
  for (const [i, sha] of later.entries()) await store.write(job(sha, 70, 20 + i, ENV, 10 - i))
  return { store, head: head ?? '', m6: main[5] ?? '' }
}

async function gate(dir: string, store: LocalBaselineStore, head: string) {
  // Unchanged code in a job that ran 9 % slow against the merge-base's own job.
  writeFileSync(path.join(dir, 'results', 'current.json'), JSON.stringify(job(head, 107, 99)))
  return runJobToFiles({
    mode: 'gate',
    configPath: path.join(dir, 'perf-gate.yml'),
    resultsGlob: path.join(dir, 'results', '*.json'),
    store,
    outDir: path.join(dir, 'out'),
    rawDir: path.join(dir, 'raw'),
    failOn: 'fail',
    commit: { sha: head },
    context: { onGitHub: false },
    reporter: silentReporter,
    now: () => NOW,
    lineage: {
      graph: githubCommitGraph(standinClient(gh), { owner: gh.owner, repo: gh.repo }),
      target: { kind: 'pull', base: 'main', head },
      maxDistance: 10
    }
  })
}

describe('a gate against stored baselines on a drifting runner', () => {
  it('judges by the stored jobs on the merge-base history of this environment, and says what they resolve', async () => {
    const dir = workspace(null)
    const { store, head, m6 } = await setup(dir)
    const r = await gate(dir, store, head)
    expect(r.baselineChoice.commit).toBe(m6)
    // m1 … m6 are on the history, m7 and m8 are not; m2 and m4 ran on another driver.
    expect(r.baselineChoice.history).toHaveLength(6)
    const c = r.outcome.comparisons[0]
    expect(c.history).toMatchObject({ jobs: 4, found: 4, beforeChangePoint: 0, priorOnly: false })
    expect(r.outcome.verdict).not.toBe('fail')
    expect(r.failed).toBe(false)
    const line = r.files.ledger.split('\n').find((l) => l.startsWith('Judged against stored jobs'))
    expect(line).toMatch(
      /^Judged against stored jobs: 4 stored jobs, job-to-job spread \d+(\.\d)? % \(prior 5 %\); stored baselines on this runner can confirm regressions past \d+ %; use `ab: true` to gate at 5 %\.$/
    )
    expect(r.files.ledger).toContain(
      '<details><summary>Stored-baseline resolution per metric</summary>'
    )
    const check = renderCheckRun(r.report, { headSha: head })
    expect(check.output.summary).toContain(line)
    expect(check.output.text).toContain('| work | time | 4 |')
  })

  it('with runner-drift 0 keeps the within-job rule, which fails the same job', async () => {
    const dir = workspace('0')
    const { store, head } = await setup(dir)
    const r = await gate(dir, store, head)
    expect(r.baselineChoice.history).toBeUndefined()
    expect(r.outcome.verdict).toBe('fail')
    expect(r.outcome.comparisons[0].history).toBeUndefined()
    expect(r.files.ledger).not.toContain('Judged against stored jobs')
  })
})
