import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { openStore } from '../../src/baseline/index.js'
import { parseIndex, type GitIndex } from '../../src/baseline/git-index.js'
import { GitBaselineStore, type GitStoreOptions } from '../../src/baseline/git-store.js'
import { Gate, GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { mulberry32 } from '../helpers/random.js'
import { baseline } from './store-contract.js'

const BRANCH = 'perf-gate-data'
const hex = (c: string) => c.repeat(40)

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ contents: 'write' }),
      'ghs-read': installationToken({ contents: 'read' })
    }
  }).start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

let seed = 1
function store(over: Partial<GitStoreOptions> = {}, token = 'ghs-write'): GitBaselineStore {
  return new GitBaselineStore(
    standinClient(gh, token),
    { owner: gh.owner, repo: gh.repo },
    { branch: BRANCH, timeScale: 0.001, random: mulberry32(seed++), ...over }
  )
}

function index(): GitIndex {
  return parseIndex(gh.git.branchFiles(BRANCH)['index.json'] ?? 'null')
}

/** Every index entry's file is on the branch with the recorded size, and no file is unlisted. */
function expectConsistent(): void {
  const files = gh.git.branchFiles(BRANCH)
  const listed = index().entries
  for (const e of listed) expect(Buffer.byteLength(files[e.path] ?? '')).toBe(e.bytes)
  const stored = Object.keys(files).filter((p) => p.startsWith('baselines/'))
  expect(stored.sort()).toEqual(listed.map((e) => e.path).sort())
}

const ops = (id: string, ok = true) =>
  gh.requests.filter((r) => r.operationId === id && r.status < 300 === ok)

describe('GitBaselineStore', () => {
  it('4 runners writing at once all land, one commit each, with a valid index', async () => {
    await store().write(baseline(0, hex('0')))
    // Every writer builds on the same head before any moves the branch: three must lose the race.
    const gate = new Gate()
    gh.inject('git/update-ref', { kind: 'hold', gate }, 4)
    const writes = [1, 2, 3, 4].map((m) => store().write(baseline(m, hex(String(m)))))
    await gate.arrived(4)
    gate.release()
    await Promise.all(writes)

    expect(
      index()
        .entries.map((e) => e.sha)
        .sort()
    ).toEqual(['0', '1', '2', '3', '4'].map(hex))
    expectConsistent()
    expect(ops('git/update-ref', false).length).toBeGreaterThanOrEqual(3)
    expect(ops('git/update-ref').length).toBe(4)
    expect(gh.git.reachableBytes(BRANCH).commits).toBe(5)
    expect((await store().latest('test'))?.results.commit.sha).toBe(hex('4'))
  })

  it('a write whose ref update landed but answered 502 is recognised, not written twice', async () => {
    await store().write(baseline(1, hex('a')))
    gh.inject('git/update-ref', { kind: 'after', status: 502 })
    await store().write(baseline(2, hex('b')))
    expect(index().entries.map((e) => e.sha)).toEqual([hex('a'), hex('b')])
    expect(gh.git.reachableBytes(BRANCH).commits).toBe(2)
    expectConsistent()
  })

  it('gives up after the bounded attempts with a message saying nothing was written', async () => {
    await store().write(baseline(1, hex('a')))
    const before = gh.git.refs.get(`refs/heads/${BRANCH}`)
    gh.inject(
      'git/update-ref',
      { kind: 'status', status: 422, message: 'Update is not a fast forward' },
      99
    )
    await expect(store({ attempts: 3 }).write(baseline(2, hex('b')))).rejects.toThrow(
      /after 3 attempts \(last: another run updated the branch first\); nothing was written/
    )
    expect(ops('git/update-ref', false)).toHaveLength(3)
    expect(gh.git.refs.get(`refs/heads/${BRANCH}`)).toBe(before)
  })

  it('a read-only token reads, and a write names the branch and the permission it needs', async () => {
    await store().write(baseline(1, hex('a')))
    const reader = store({}, 'ghs-read')
    expect((await reader.latest('test'))?.results.commit.sha).toBe(hex('a'))
    await expect(reader.write(baseline(2, hex('b')))).rejects.toThrow(
      /cannot write the baselines on branch 'perf-gate-data' of Codertocat\/Hello-World .*'contents: write'.*nothing was written/
    )
    expect(index().entries).toHaveLength(1)
  })

  it('refuses a branch that is not a baseline branch instead of writing into it', async () => {
    const blob = 'console.log(1)\n'
    gh.git.blobs.set(hex('1'), blob)
    gh.git.trees.set(hex('2'), [
      { path: 'src/app.js', mode: '100644', type: 'blob', sha: hex('1') }
    ])
    gh.git.commits.set(hex('3'), { sha: hex('3'), tree: hex('2'), parents: [], message: 'code' })
    gh.git.refs.set('refs/heads/main', hex('3'))
    const s = new GitBaselineStore(
      standinClient(gh),
      { owner: gh.owner, repo: gh.repo },
      { branch: 'main' }
    )
    await expect(s.write(baseline(1, hex('a')))).rejects.toThrow(
      /branch 'main' exists but has no index.json/
    )
    expect(gh.git.refs.get('refs/heads/main')).toBe(hex('3'))
  })

  it('serves a run from one read of the branch', async () => {
    for (let m = 1; m <= 3; m++) await store().write(baseline(m, hex(String(m))))
    gh.requests.length = 0
    const s = store()
    await s.latest('test')
    await s.history('test', 10)
    await s.forCommit('test', hex('2'))
    await s.list('test')
    expect(ops('git/get-ref')).toHaveLength(1)
    expect(ops('git/get-blob')).toHaveLength(4) // the index, then each baseline once
  })

  it('squashes the history every compactEvery commits, so the branch stops growing', async () => {
    const sizes: number[] = []
    for (let m = 1; m <= 24; m++) {
      await store({ keep: 3, compactEvery: 4 }).write(baseline(m, hex(String(m % 10))))
      sizes.push(gh.git.reachableBytes(BRANCH).commits)
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4)
    expect(index().entries.map((e) => e.createdAt)).toEqual(
      [22, 23, 24].map((m) => baseline(m, '').createdAt)
    )
    expectConsistent()
    expect([...gh.git.refs.keys()]).toEqual([`refs/heads/${BRANCH}`])
    expect(
      gh.requests.filter((r) => r.operationId === 'git/update-ref' && (r.body as any).force)
    ).toHaveLength(6)
  })

  it('a write landing inside a compaction is detected and written again, not lost', async () => {
    await store().write(baseline(1, hex('1')))
    gh.requests.length = 0
    // A reaches depth 2 and compacts; its forced update waits until B has moved the branch.
    const gate = new Gate()
    gh.inject('git/update-ref', { kind: 'hold', gate }, 1, (body) => body.force === true)
    const a = store({ compactEvery: 2 }).write(baseline(2, hex('2')))
    await gate.arrived(1)
    const b = store({ compactEvery: 0 }).write(baseline(3, hex('3')))
    // B's update has landed once it polls the lock.
    await until(() => ops('git/list-matching-refs').length > 0)
    gate.release()
    await Promise.all([a, b])

    expect(
      index()
        .entries.map((e) => e.sha)
        .sort()
    ).toEqual([hex('1'), hex('2'), hex('3')])
    expectConsistent()
    // B's first commit was dropped by A's squash; B saw that and committed again.
    expect(ops('git/update-ref').filter((r) => !(r.body as any).force)).toHaveLength(3)
    expect(gh.git.refs.has(`refs/heads/${BRANCH}--compacting`)).toBe(false)
  })

  it('never resends a forced update that failed: the squash is skipped, nothing is lost', async () => {
    await store().write(baseline(1, hex('1')))
    gh.requests.length = 0
    gh.inject('git/update-ref', { kind: 'status', status: 502 }, 1, (body) => body.force === true)
    const warnings: string[] = []
    await store({ compactEvery: 2, onWarning: (m) => warnings.push(m) }).write(
      baseline(2, hex('2'))
    )
    // Resent later, it could land after a waiting writer gave up on the lock and checked its own.
    expect(ops('git/update-ref', false).filter((r) => (r.body as any).force)).toHaveLength(1)
    expect(ops('git/update-ref').filter((r) => (r.body as any).force)).toHaveLength(0)
    expect(warnings.join('\n')).toMatch(/could not compact branch/)
    expect(index().entries.map((e) => e.sha)).toEqual([hex('1'), hex('2')])
    expectConsistent()
    expect(gh.git.refs.has(`refs/heads/${BRANCH}--compacting`)).toBe(false)
  })

  it('removes a compaction lock left by a run that died, with a warning', async () => {
    await store().write(baseline(1, hex('1')))
    const head = gh.git.refs.get(`refs/heads/${BRANCH}`) ?? ''
    gh.git.refs.set(`refs/heads/${BRANCH}--compacting`, head)
    const warnings: string[] = []
    await store({ lockLeaseMs: 50, onWarning: (m) => warnings.push(m) }).write(
      baseline(2, hex('2'))
    )
    expect(warnings.join('\n')).toMatch(/removing the compaction lock .* seems to have died/)
    expect(index().entries).toHaveLength(2)
    expect(gh.git.refs.has(`refs/heads/${BRANCH}--compacting`)).toBe(false)
  })

  it('keeps testbeds whose escaped names collide apart', async () => {
    await store().write(baseline(1, hex('a'), 'a/b'))
    await store().write(baseline(2, hex('b'), 'a_b'))
    const s = store()
    expect((await s.latest('a/b'))?.results.commit.sha).toBe(hex('a'))
    expect((await s.latest('a_b'))?.results.commit.sha).toBe(hex('b'))
    expectConsistent()
  })
})

describe('openStore git:', () => {
  it('needs a GitHub client, and says so', () => {
    expect(() => openStore('git:perf-gate-data', { cwd: '.' })).toThrow(
      /needs the github-token input and a run on GitHub/
    )
  })

  it('refuses a branch name git would refuse', () => {
    const github = { client: standinClient(gh), repo: { owner: 'o', repo: 'r' } }
    for (const bad of ['a..b', '-x', 'x.lock', 'a b']) {
      expect(() => openStore(`git:${bad}`, { cwd: '.', github })).toThrow(/not a usable branch/)
    }
    expect(openStore('git:perf-gate-data', { cwd: '.', github }).location).toBe(
      'git:perf-gate-data'
    )
  })
})

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 1))
  if (!cond()) throw new Error('condition never held')
}
