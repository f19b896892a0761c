import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { renderReport } from '../../src/report/summary.js'
import { runJobToFiles, type FileJobOptions } from '../helpers/job.js'
import { githubCommitGraph } from '../../src/github/commit-graph.js'
import type { Environment, ResultSet } from '../../src/results/model.js'
import { silentReporter } from '../../src/runners/progress.js'
import { GitHubStandin } from '../helpers/github-standin.js'
import { addChain } from '../helpers/github-standin-compare.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { lognormal, mulberry32, resultSet, timeBench } from '../helpers/results.js'

/*
 * The whole job with the baseline chosen through the stand-in's commit graph: the ledger and the
 * report say which baseline was used and what differs in the environment.
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
  'gpu.count': 2,
  'gpu.driver': '570.133.07'
}

function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-job-'))
  mkdirSync(path.join(dir, 'results'))
  writeFileSync(
    path.join(dir, 'perf-gate.yml'),
    'testbed: test\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*.json\n    class: core\n'
  )
  return dir
}

function run(set: ResultSet, level: number, seed: number): ResultSet {
  return { ...set, benchmarks: [timeBench('work', lognormal(mulberry32(seed), 10, level, 0.01))] }
}

async function job(
  dir: string,
  store: LocalBaselineStore,
  head: string,
  env: Environment,
  over: Partial<FileJobOptions> = {}
) {
  writeFileSync(
    path.join(dir, 'results', 'current.json'),
    JSON.stringify(
      run(resultSet([timeBench('w', [1])], { commit: { sha: head }, environment: env }), 100, 3)
    )
  )
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
    },
    ...over
  })
}

/** main moved on after the PR branched at m3; m5's baseline is 30 % slower than m3's. */
async function setup() {
  const [, , m3] = addChain(gh, null, 3, 'main')
  const [, m5] = addChain(gh, m3 ?? null, 2, 'main later', 'main')
  const [, head] = addChain(gh, m3 ?? null, 2, 'pr', 'feature')
  const dir = workspace()
  const store = new LocalBaselineStore(path.join(dir, 'baselines'))
  const base = (sha: string, hoursAgo: number) =>
    resultSet([timeBench('w', [1])], {
      commit: { sha },
      environment: ENV,
      createdAt: new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString()
    })
  await store.write(run(base(m3, 30), 100, 1))
  await store.write(run(base(m5, 2), 70, 2))
  return { dir, store, m3: m3, head: head }
}

describe('a gate run with the baseline of the merge-base', () => {
  it('compares with the merge-base, and the ledger and report say so', async () => {
    const { dir, store, m3, head } = await setup()
    const r = await job(dir, store, head, ENV)
    expect(r.baselineChoice.how).toBe('merge-base')
    expect(r.baseline?.results.commit.sha).toBe(m3)
    // Against m5 (30 % faster) this run would fail; against its merge-base it passes.
    expect(r.outcome.verdict).toBe('pass')
    const line = `Baseline: \`${m3.slice(0, 7)}\` (the merge-base), recorded 2026-11-21, 30 h old, testbed test.`
    expect(r.files.ledger).toContain(line)
    expect(renderReport(r.report)).toContain(line)
    expect(r.report.fingerprint).toBeUndefined()
  })

  it('is neutral with the reason when the environment differs, and lists the difference', async () => {
    const { dir, store, head } = await setup()
    const r = await job(dir, store, head, { ...ENV, 'gpu.driver': '575.51.02' })
    expect(r.outcome.verdict).toBe('neutral')
    expect(r.outcome.reason).toContain(
      'the environment differs from the baseline (gpu.driver 570 → 575)'
    )
    expect(r.files.ledger).toContain('- gpu.driver 570 → 575: every benchmark not compared')
    expect(r.failed).toBe(false)
  })

  it('compares anyway when the difference is allowed', async () => {
    const { dir, store, head } = await setup()
    const r = await job(
      dir,
      store,
      head,
      { ...ENV, 'gpu.driver': '575.51.02' },
      { allowFingerprintChanges: ['gpu.driver'] }
    )
    expect(r.outcome.verdict).toBe('pass')
    expect(r.files.ledger).toContain('- gpu.driver 570 → 575: allowed, compared anyway')
  })

  it('is neutral, saying why, when the merge-base history has no baseline', async () => {
    const { dir, store } = await setup()
    const [other] = addChain(gh, null, 1, 'unrelated root')
    const [, head] = addChain(gh, other ?? null, 2, 'orphan pr')
    // `other` shares no history with main: GitHub answers 404, so the latest is used instead…
    const r = await job(dir, store, head, ENV, {
      lineage: {
        graph: githubCommitGraph(standinClient(gh), { owner: gh.owner, repo: gh.repo }),
        target: { kind: 'pull', base: other, head: head },
        maxDistance: 10
      }
    })
    // …but here the merge-base is `other`, which has no baseline and no ancestors.
    expect(r.outcome.verdict).toBe('neutral')
    expect(r.outcome.reason).toMatch(/^no baseline for testbed 'test' at the merge-base /)
    expect(r.files.ledger).toContain(`No baseline for testbed 'test' at the merge-base`)
  })
})
