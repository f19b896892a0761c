import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { main } from '../../src/cli/main.js'
import { selectBaseline, type BaselineChoice } from '../../src/engine/baseline-select.js'
import { type CommitGraph } from '../../src/types/lineage.js'
import { localCommitGraph } from '../../src/engine/git-commit-graph.js'
import { githubCommitGraph } from '../../src/github/commit-graph.js'
import { GitHubStandin } from '../helpers/github-standin.js'
import { addChain, addCommit } from '../helpers/github-standin-compare.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { resultSet, timeBench } from '../helpers/results.js'

let gh: GitHubStandin
let graph: CommitGraph
beforeEach(async () => {
  gh = await new GitHubStandin().start()
  graph = githubCommitGraph(standinClient(gh), { owner: gh.owner, repo: gh.repo })
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const NOW = new Date('2026-11-22T12:00:00Z')
const calls = (op: string) => gh.requests.filter((r) => r.operationId === op).length

function store(): LocalBaselineStore {
  return new LocalBaselineStore(mkdtempSync(path.join(tmpdir(), 'pg-select-')))
}

/** Records a baseline for `sha`, `hoursAgo` before NOW, with a recognisable median. */
async function record(s: LocalBaselineStore, sha: string, hoursAgo: number, ms = 100) {
  const createdAt = new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString()
  await s.write(resultSet([timeBench('work', Array(6).fill(ms))], { commit: { sha }, createdAt }))
}

/**
 * main: m1 … m5; the PR branched at m3 (p1, p2), and main moved on to m4 and m5 afterwards, each
 * with its own newer baseline.
 */
function movedOnHistory() {
  const [m1, m2, m3] = addChain(gh, null, 3, 'main')
  const [m4, m5] = addChain(gh, m3 ?? null, 2, 'main later', 'main')
  const [p1, p2] = addChain(gh, m3 ?? null, 2, 'pr', 'feature')
  return { m1, m2, m3, m4, m5, p1, p2 } as Record<string, string>
}

describe('baseline of a pull request', () => {
  it("takes the merge-base's baseline even when main has newer ones", async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m1, 50, 90)
    await record(s, c.m3, 30, 100)
    await record(s, c.m4, 20, 120)
    await record(s, c.m5, 10, 130)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head: c.p2 },
      maxDistance: 50,
      now: NOW
    })
    expect(choice.how).toBe('merge-base')
    expect(choice.commit).toBe(c.m3)
    expect(choice.distance).toBe(0)
    expect(choice.stored?.results.benchmarks[0]?.metrics[0]?.samples).toEqual(Array(6).fill(100))
    expect(choice.walkedFrom).toEqual({ kind: 'merge-base', sha: c.m3 })
    expect(choice.ageMs).toBe(30 * 3_600_000)
    expect(choice.date).toBe('2026-11-21T06:00:00.000Z')
    // The newest baseline on main (m5) is the one the old rule would have taken.
    expect((await s.latest('test'))?.results.commit.sha).toBe(c.m5)
    // The merge-base had one: no history walk was needed.
    expect(calls('repos/compare-commits-with-basehead')).toBe(1)
    expect(calls('repos/list-commits')).toBe(0)
  })

  it('walks back from the merge-base to the nearest ancestor with a baseline', async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m1, 50)
    await record(s, c.m5, 10)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head: c.p2 },
      maxDistance: 5,
      now: NOW
    })
    expect(choice.how).toBe('ancestor')
    expect(choice.commit).toBe(c.m1)
    expect(choice.distance).toBe(2)
    expect(choice.walkedFrom).toEqual({ kind: 'merge-base', sha: c.m3 })
  })

  it('is neutral, saying why, when no ancestor within the distance has one', async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m1, 50)
    await record(s, c.m5, 10)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head: c.p2 },
      maxDistance: 1,
      now: NOW
    })
    expect(choice.stored).toBeNull()
    expect(choice.how).toBeNull()
    expect(choice.reason).toBe(
      `no baseline for testbed 'test' at the merge-base ${c.m3?.slice(0, 7)} of main and ${c.p2?.slice(0, 7)}, ` +
        'nor at its 1 nearest ancestors (baseline-max-distance); record one on main (mode baseline) to gate this pull request'
    )
  })

  it('follows the commit list over several pages', async () => {
    const [root] = addChain(gh, null, 1, 'root')
    const chain = addChain(gh, root ?? null, 149, 'main', 'main')
    const head = addCommit(gh, [chain.at(-1) as string], 'pr')
    const s = store()
    await record(s, root, 99)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head },
      maxDistance: 200,
      now: NOW
    })
    expect(choice.how).toBe('ancestor')
    expect(choice.distance).toBe(149)
    expect(calls('repos/list-commits')).toBe(2)
  })

  it('falls back to the latest baseline, and says so, when the history cannot be read', async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m3, 30)
    await record(s, c.m5, 10)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head: 'f'.repeat(40) },
      maxDistance: 50,
      now: NOW
    })
    expect(choice.how).toBe('latest')
    expect(choice.commit).toBe(c.m5)
    expect(choice.reason).toMatch(
      /^the merge-base of main and fffffff could not be found through the GitHub API \(comparing main\.\.\.f{40}: not found \(404\)\..*\), so the latest baseline was used$/
    )
  })

  it('asks GitHub nothing when the store is empty', async () => {
    const c = movedOnHistory()
    const choice = await selectBaseline(store(), 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head: c.p2 },
      maxDistance: 50,
      now: NOW
    })
    expect(choice.stored).toBeNull()
    expect(choice.reason).toMatch(/^no baseline yet for testbed 'test' in local:/)
    expect(gh.requests).toEqual([])
  })
})

describe("the stored jobs on the chosen baseline's history (historyJobs)", () => {
  /** The samples' level names each recorded job, so the order of `history` can be read back. */
  const levels = (choice: BaselineChoice) =>
    choice.history?.map((h) => h.results.benchmarks[0]?.metrics[0]?.samples[0])

  it('collects the baselines of the merge-base and its ancestors, oldest first, none from after it', async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m1, 60, 91)
    await record(s, c.m2, 50, 92)
    // Two jobs of the same commit are two jobs of drift.
    await record(s, c.m2, 45, 93)
    await record(s, c.m3, 30, 100)
    await record(s, c.m4, 20, 120)
    await record(s, c.m5, 10, 130)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head: c.p2 },
      maxDistance: 50,
      now: NOW,
      historyJobs: 30
    })
    expect(choice.how).toBe('merge-base')
    expect(choice.commit).toBe(c.m3)
    expect(levels(choice)).toEqual([91, 92, 93, 100])
    expect(choice.history?.at(-1)).toBe(choice.stored)
    // The choice itself is unchanged by asking for the history.
    const plain = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head: c.p2 },
      maxDistance: 50,
      now: NOW
    })
    expect(plain.history).toBeUndefined()
    expect(plain.commit).toBe(choice.commit)
  })

  it('keeps the newest J, the chosen one last', async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m1, 60, 91)
    await record(s, c.m2, 50, 92)
    await record(s, c.m3, 30, 100)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'commit', sha: c.p2 },
      maxDistance: 50,
      now: NOW,
      historyJobs: 2
    })
    expect(choice.how).toBe('ancestor')
    expect(levels(choice)).toEqual([92, 100])
  })

  it("takes the testbed's newest without a commit graph", async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m1, 60, 91)
    await record(s, c.m4, 20, 120)
    await record(s, c.m5, 10, 130)
    const choice = await selectBaseline(s, 'test', {
      graph: null,
      target: { kind: 'latest' },
      maxDistance: 50,
      now: NOW,
      historyJobs: 30
    })
    expect(choice.how).toBe('latest')
    expect(levels(choice)).toEqual([91, 120, 130])
    expect(gh.requests).toEqual([])
  })

  it('walks no history when the store holds nothing but the chosen baseline', async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m3, 30, 100)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'pull', base: 'main', head: c.p2 },
      maxDistance: 50,
      now: NOW,
      historyJobs: 30
    })
    expect(levels(choice)).toEqual([100])
    expect(calls('repos/list-commits')).toBe(0)
  })

  it('keeps the chosen baseline alone when its history cannot be read', async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m1, 60, 91)
    await record(s, c.m3, 30, 100)
    const failing: CommitGraph = {
      source: 'a broken graph',
      mergeBase: (base, head) => graph.mergeBase(base, head),
      ancestors: () => Promise.reject(new Error('rate limited'))
    }
    const choice = await selectBaseline(s, 'test', {
      graph: failing,
      target: { kind: 'pull', base: 'main', head: c.p2 },
      maxDistance: 50,
      now: NOW,
      historyJobs: 30
    })
    expect(choice.how).toBe('merge-base')
    expect(levels(choice)).toEqual([100])
  })
})

describe('baseline of a push or dispatch', () => {
  it("takes the nearest baseline on the commit's own history, not a newer one elsewhere", async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m1, 50)
    await record(s, c.m5, 10)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'commit', sha: c.p2 },
      maxDistance: 50,
      now: NOW
    })
    expect(choice.how).toBe('ancestor')
    expect(choice.commit).toBe(c.m1)
    expect(choice.distance).toBe(4)
    expect(choice.walkedFrom).toEqual({ kind: 'commit', sha: c.p2 })
  })

  it('uses the latest baseline when none is on the history within the distance', async () => {
    const c = movedOnHistory()
    const s = store()
    await record(s, c.m5, 10)
    const choice = await selectBaseline(s, 'test', {
      graph,
      target: { kind: 'commit', sha: c.p2 },
      maxDistance: 50,
      now: NOW
    })
    expect(choice.how).toBe('latest')
    expect(choice.commit).toBe(c.m5)
    expect(choice.reason).toBe(
      `no baseline on ${c.p2?.slice(0, 7)} or its 50 nearest ancestors, so the latest baseline was used`
    )
  })
})

describe('local git history (the CLI)', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.invalid',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.invalid',
        GIT_AUTHOR_DATE: '2026-11-01T00:00:00Z',
        GIT_COMMITTER_DATE: '2026-11-01T00:00:00Z'
      }
    }).trim()
  const commit = (cwd: string, n: string) => {
    writeFileSync(path.join(cwd, 'f.txt'), n)
    git(cwd, 'add', 'f.txt')
    git(cwd, 'commit', '-q', '-m', n)
    return git(cwd, 'rev-parse', 'HEAD')
  }

  it('finds the merge-base with a base branch that moved on', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-git-'))
    git(dir, 'init', '-q', '-b', 'main')
    const m1 = commit(dir, 'm1')
    const m2 = commit(dir, 'm2')
    git(dir, 'checkout', '-q', '-b', 'feature')
    commit(dir, 'p1')
    const p2 = commit(dir, 'p2')
    git(dir, 'checkout', '-q', 'main')
    const m3 = commit(dir, 'm3')
    const local = await localCommitGraph(dir)
    expect(local).not.toBeNull()
    const s = store()
    await record(s, m1, 40)
    await record(s, m2, 30)
    await record(s, m3, 10)
    const choice = await selectBaseline(s, 'test', {
      graph: local,
      target: { kind: 'pull', base: 'main', head: p2 },
      maxDistance: 50,
      now: NOW
    })
    expect(choice.how).toBe('merge-base')
    expect(choice.commit).toBe(m2)
    expect(await local?.ancestors(p2, 10)).toHaveLength(4)
  })

  it('perf-gate gate --base main compares a branch with its merge-base', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-git-cli-'))
    git(dir, 'init', '-q', '-b', 'main')
    const m1 = commit(dir, 'm1')
    git(dir, 'checkout', '-q', '-b', 'feature')
    const p1 = commit(dir, 'p1')
    git(dir, 'checkout', '-q', 'main')
    const m2 = commit(dir, 'm2')
    git(dir, 'checkout', '-q', 'feature')
    writeFileSync(
      path.join(dir, 'perf-gate.yml'),
      'testbed: test\nbenchmarks:\n  - name: work\n    kind: file\n    path: current.json\n'
    )
    writeFileSync(
      path.join(dir, 'current.json'),
      JSON.stringify(resultSet([timeBench('work', Array(6).fill(100))], { commit: { sha: p1 } }))
    )
    const s = new LocalBaselineStore(path.join(dir, 'baselines'))
    await record(s, m1, 40, 100)
    await record(s, m2, 10, 50)
    let stdout = ''
    let stderr = ''
    const code = await main(
      [
        'gate',
        '--config',
        path.join(dir, 'perf-gate.yml'),
        '--results',
        path.join(dir, 'current.json'),
        '--store',
        `local:${path.join(dir, 'baselines')}`,
        '--out',
        path.join(dir, 'out'),
        '--raw-dir',
        path.join(dir, 'raw'),
        '--base',
        'main'
      ],
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }
    )
    // Against m2 (twice as fast) it would fail; against its merge-base m1 it is unchanged.
    expect({ code, stdout }).toMatchObject({ code: 0, stdout: expect.stringMatching(/pass/) })
    expect(stderr).toContain(`baseline: ${m1.slice(0, 7)} from`)
    expect(stderr).toContain('(merge-base;')
  })

  it('is no graph outside a git repository', async () => {
    expect(await localCommitGraph(mkdtempSync(path.join(tmpdir(), 'pg-nogit-')))).toBeNull()
  })
})
