import { Gate, GitHubStandin, installationToken } from '../../__tests__/helpers/github-standin.js'
import { standinClient } from '../../__tests__/helpers/github-standin-client.js'
import { mulberry32 } from '../../__tests__/helpers/random.js'
import { resultSet, timeBench } from '../../__tests__/helpers/results.js'
import { GitBaselineStore } from '../../src/baseline/git-store.js'
import type { ResultSet } from '../../src/results/model.js'
import { FAULTS } from './github-faults.js'
import { hasStackTrace, pool, sample, type CaseResult, type RunOptions } from './common.js'

/*
 * The `git:BRANCH` baseline store under faults and races, in-process against the stand-in's Git
 * Data routes: each Git call the store makes under each GitHub fault, and 4 writers at once. A
 * write must either land whole (listed in the index, readable) or leave the branch as it was.
 */

const BRANCH = 'perf-gate-data'
export const GIT_CALLS = [
  'git/get-ref',
  'git/get-commit',
  'git/get-tree',
  'git/get-blob',
  'git/create-blob',
  'git/create-tree',
  'git/create-commit',
  'git/update-ref',
  'git/create-ref'
]

function openStore(gh: GitHubStandin, seed: number): GitBaselineStore {
  return new GitBaselineStore(
    standinClient(gh, 'ghs-write', { requestTimeoutMs: 1000 }),
    { owner: gh.owner, repo: gh.repo },
    { branch: BRANCH, timeScale: 0.001, random: mulberry32(seed), lockLeaseMs: 2000 }
  )
}

const baseline = (minute: number, sha: string): ResultSet =>
  resultSet([timeBench('b', [minute + 1, minute + 2])], {
    testbed: 'ci',
    createdAt: `2026-11-22T10:${String(minute).padStart(2, '0')}:00.000Z`,
    commit: { sha }
  })

function standin(): Promise<GitHubStandin> {
  return new GitHubStandin({
    tokens: { 'ghs-write': installationToken({ contents: 'write' }) }
  }).start()
}

/** What a fresh reader sees: every listed baseline readable, the newest one given. */
async function readBack(gh: GitHubStandin): Promise<{ shas: string[]; problem: string | null }> {
  const reader = openStore(gh, 99)
  try {
    const list = await reader.list('ci')
    const latest = await reader.latest('ci')
    if (list.length > 0 && !latest) return { shas: [], problem: 'listed but unreadable' }
    return { shas: list.map((e) => e.sha ?? '?'), problem: null }
  } catch (e) {
    return { shas: [], problem: `reader failed: ${(e as Error).message.slice(0, 100)}` }
  }
}

async function faultCase(
  op: string,
  fault: string,
  times: number,
  seed: number
): Promise<CaseResult> {
  const gh = await standin()
  const t0 = performance.now()
  const name = `${op} × ${fault}${times > 1 ? ' ×∞' : ''}`
  try {
    await openStore(gh, seed).write(baseline(0, '0'.repeat(40)))
    gh.inject(op, FAULTS[fault], times)
    let thrown: unknown = null
    try {
      await openStore(gh, seed + 1).write(baseline(1, '1'.repeat(40)))
    } catch (e) {
      thrown = e
    }
    gh.clearFaults()
    const back = await readBack(gh)
    const wrong: string[] = []
    if (gh.violations.length) wrong.push(`contract: ${gh.violations[0]}`)
    if (back.problem) wrong.push(back.problem)
    if (!back.shas.includes('0'.repeat(40))) wrong.push('the previous baseline was lost')
    const landed = back.shas.includes('1'.repeat(40))
    const msg = thrown instanceof Error ? thrown.message : ''
    if (thrown !== null) {
      const typed = thrown instanceof Error && /^(GitHubApiError|UserError)$/.test(thrown.name)
      if (!typed || hasStackTrace(msg))
        wrong.push(`uncaught ${(thrown as Error).name}: ${msg.slice(0, 100)}`)
    } else if (!landed) wrong.push('write reported success but the baseline is not there')
    return {
      name,
      outcome: wrong.length ? 'wrong' : thrown === null ? 'recovered' : 'clear error',
      detail: wrong.join('; ') || msg.slice(0, 160),
      ms: performance.now() - t0
    }
  } finally {
    await gh.close()
  }
}

export async function gitFaults(opts: RunOptions): Promise<CaseResult[]> {
  const cases: Array<[string, string, number]> = []
  for (const op of GIT_CALLS)
    for (const fault of Object.keys(FAULTS)) {
      cases.push([op, fault, 1])
      if (fault !== '502-after-write') cases.push([op, fault, 8])
    }
  const picked = opts.quick ? sample(cases, 12, mulberry32(opts.seed)) : cases
  // In-process and mostly waiting on timeouts and backoff: four at a time.
  return pool(picked, 4, async ([op, fault, times]) => {
    const r = await faultCase(op, fault, times, opts.seed)
    opts.log(`  git ${r.name}: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}`)
    return r
  })
}

/** 4 runners record a baseline on the branch at once; every ref update is held until all arrive. */
export async function baselineWriters(seed: number): Promise<CaseResult & Record<string, unknown>> {
  const name = '4 baseline writers on one git branch at once'
  const gh = await standin()
  const t0 = performance.now()
  try {
    await openStore(gh, seed).write(baseline(0, '0'.repeat(40)))
    const gate = new Gate()
    gh.inject('git/update-ref', { kind: 'hold', gate }, 4)
    const writes = [1, 2, 3, 4].map((m) =>
      openStore(gh, seed + m).write(baseline(m, String(m).repeat(40)))
    )
    await Promise.race([gate.arrived(4), new Promise((r) => setTimeout(r, 20_000))])
    gate.release()
    const settled = await Promise.allSettled(writes)
    const back = await readBack(gh)
    const stored = [1, 2, 3, 4].filter((m) => back.shas.includes(String(m).repeat(40))).length
    const wrong: string[] = []
    const failed = settled.filter((s) => s.status === 'rejected')
    if (failed.length) wrong.push(`${failed.length} writers failed`)
    if (stored !== 4) wrong.push(`${stored} of 4 baselines stored`)
    if (back.problem) wrong.push(back.problem)
    if (gh.violations.length) wrong.push(`contract: ${gh.violations[0]}`)
    return {
      name,
      outcome: wrong.length ? 'wrong' : 'recovered',
      detail: wrong.join('; '),
      ms: performance.now() - t0,
      stored,
      listed: back.shas.length
    }
  } finally {
    await gh.close()
  }
}
