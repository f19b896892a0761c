import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseConfig } from '../../src/config/load.js'
import { measureAb, planAb } from '../../src/engine/ab/index.js'
import {
  addBaseTree,
  isNoBase,
  resolveAbBase,
  type AbBase,
  type NoBase
} from '../../src/engine/ab/worktree.js'
import { silentReporter } from '../../src/runners/index.js'
import { commit, git, gitRepo, worktrees } from '../helpers/git-repo.js'

const two = () => gitRepo([{ 'v.txt': 'base\n' }, { 'v.txt': 'head\n' }])

function found(b: AbBase | NoBase): AbBase {
  if (isNoBase(b)) throw new Error(`no base: ${b.reason}`)
  return b
}

describe('the base commit of an A/B run', () => {
  it('on the default branch is HEAD~1, or HEAD itself when the working tree has changes', async () => {
    const { dir, shas } = two()
    expect(found(await resolveAbBase(dir, { kind: 'default' }))).toMatchObject({
      sha: shas[0],
      head: shas[1],
      how: 'HEAD~1 (HEAD is on main)'
    })
    expect(found(await resolveAbBase(dir, { kind: 'default', dirty: true })).sha).toBe(shas[1])
  })

  it('on a branch is its merge-base with the default branch; --base REF its merge-base with REF', async () => {
    const { dir, shas } = two()
    git(dir, 'checkout', '-q', '-b', 'feature', shas[0])
    commit(dir, { 'f.txt': 'feature\n' })
    commit(dir, { 'f.txt': 'feature 2\n' })
    expect(found(await resolveAbBase(dir, { kind: 'default' }))).toMatchObject({
      sha: shas[0],
      how: 'merge-base of main and HEAD'
    })
    const tip = git(dir, 'rev-parse', 'HEAD~1')
    expect(found(await resolveAbBase(dir, { kind: 'ref', ref: tip })).sha).toBe(tip)
    await expect(resolveAbBase(dir, { kind: 'ref', ref: 'no-such-branch' })).rejects.toThrow(
      /--base: 'no-such-branch' is not a commit/
    )
  })

  it("for a pull request's merge checkout is the base itself, else the merge-base", async () => {
    const { dir, shas } = two()
    git(dir, 'checkout', '-q', '-b', 'pr', shas[0])
    const prHead = commit(dir, { 'p.txt': 'pr\n' })
    // The pull request's own head checked out: the merge-base with the base branch.
    const onHead = found(
      await resolveAbBase(dir, { kind: 'pull', baseSha: shas[1], headSha: prHead })
    )
    expect(onHead.sha).toBe(shas[0])
    // The default checkout of a pull_request run: the head merged into the base branch's tip.
    git(dir, 'checkout', '-q', '--detach', shas[1])
    git(dir, 'merge', '-q', '--no-ff', '-m', 'merge', prHead)
    const merged = found(
      await resolveAbBase(dir, { kind: 'pull', baseSha: shas[1], headSha: prHead })
    )
    expect(merged.sha).toBe(shas[1])
  })

  it('in a shallow clone says to fetch the history with fetch-depth: 0', async () => {
    const { dir } = two()
    const clone = path.join(mkdtempSync(path.join(tmpdir(), 'pg-shallow-')), 'c')
    git(dir, 'clone', '-q', '--depth', '1', `file://${dir}`, clone)
    const none = await resolveAbBase(clone, { kind: 'default' })
    expect(none).toEqual({
      reason:
        'the checkout is shallow and lacks HEAD~1: use actions/checkout with fetch-depth: 0 (or git fetch --unshallow)',
      shallow: true
    })
    const config = parseConfig(
      'ab: true\nbenchmarks:\n  - name: a\n    kind: command\n    run: "true"\n',
      path.join(clone, 'perf-gate.yml')
    )
    await expect(
      planAb({ base: { kind: 'parent' }, when: 'always' }, config, {
        mode: 'gate',
        imported: false,
        reporter: silentReporter
      })
    ).rejects.toThrow(/^cannot run A\/B: the checkout is shallow .* fetch-depth: 0/)
    // The CLI's `run` goes on with stored baselines instead, saying why.
    const said: string[] = []
    const plan = await planAb(
      { base: { kind: 'parent' }, when: 'config', fallback: true },
      config,
      {
        mode: 'run',
        imported: false,
        reporter: { ...silentReporter, warning: (m) => said.push(m) }
      }
    )
    expect(plan).toBeNull()
    expect(said.join('\n')).toMatch(/fetch-depth: 0/)
  })

  describe('in a shallow clone of a branch', () => {
    /** main: m1 m2 m3; feature: from m1, f1 f2 f3. The merge-base of feature and main is m1. */
    function forked(): { dir: string; fork: string } {
      const { dir, shas } = gitRepo([{ 'v.txt': 'm1\n' }, { 'v.txt': 'm2\n' }, { 'v.txt': 'm3\n' }])
      git(dir, 'checkout', '-q', '-b', 'feature', shas[0])
      for (const f of ['f1', 'f2', 'f3']) commit(dir, { 'f.txt': `${f}\n` })
      // The origin's HEAD stays on main: a clone's origin/HEAD names main.
      git(dir, 'checkout', '-q', 'main')
      return { dir, fork: shas[0] }
    }
    function clone(dir: string, ...args: string[]): string {
      const to = path.join(mkdtempSync(path.join(tmpdir(), 'pg-shallow-')), 'c')
      git(dir, 'clone', '-q', ...args, '--branch', 'feature', `file://${dir}`, to)
      return to
    }
    const lacksMergeBase = {
      reason:
        'the checkout is shallow and lacks the merge-base with origin/main: use actions/checkout with fetch-depth: 0 (or git fetch --unshallow)',
      shallow: true
    }

    it('that lacks the merge-base says so, whatever the depth, instead of taking HEAD~1', async () => {
      const { dir } = forked()
      // Depth 2: HEAD~1 exists (f2), but it is the branch's own commit, not the base.
      const two = clone(dir, '--depth', '2', '--no-single-branch')
      expect(git(two, 'rev-parse', '--verify', 'HEAD~1')).toMatch(/^[0-9a-f]{40}$/)
      expect(await resolveAbBase(two, { kind: 'default' })).toEqual(lacksMergeBase)
      // Depth 1: what is missing is still the merge-base, not "HEAD~1".
      const one = clone(dir, '--depth', '1', '--no-single-branch')
      expect(await resolveAbBase(one, { kind: 'default' })).toEqual(lacksMergeBase)
      const config = parseConfig(
        'benchmarks:\n  - name: a\n    kind: command\n    run: "true"\n',
        path.join(two, 'perf-gate.yml')
      )
      await expect(
        planAb({ base: { kind: 'default' }, when: 'always' }, config, {
          mode: 'gate',
          imported: false,
          reporter: silentReporter
        })
      ).rejects.toThrow(
        'cannot run A/B: the checkout is shallow and lacks the merge-base with origin/main: use actions/checkout with fetch-depth: 0'
      )
    })

    it('that has only its own branch names the missing default branch', async () => {
      const { dir } = forked()
      const single = clone(dir, '--depth', '2')
      expect(await resolveAbBase(single, { kind: 'default' })).toEqual({
        reason:
          'the checkout is shallow and lacks the default branch (origin/HEAD, main or master), so the merge-base with it: use actions/checkout with fetch-depth: 0 (it fetches every branch), or name the base with --base REF',
        shallow: true
      })
    })

    it('that is deep enough finds the merge-base; on the default branch, HEAD~1', async () => {
      const { dir, fork } = forked()
      const deep = clone(dir, '--depth', '4', '--no-single-branch')
      expect(found(await resolveAbBase(deep, { kind: 'default' }))).toMatchObject({
        sha: fork,
        how: 'merge-base of origin/main and HEAD'
      })
      const onMain = path.join(mkdtempSync(path.join(tmpdir(), 'pg-shallow-')), 'c')
      git(dir, 'clone', '-q', '--depth', '2', `file://${dir}`, onMain)
      expect(found(await resolveAbBase(onMain, { kind: 'default' }))).toMatchObject({
        sha: git(onMain, 'rev-parse', 'HEAD~1'),
        how: 'HEAD~1 (HEAD is on origin/main)'
      })
    })
  })

  it('does not exist for a first commit, and is never used for imported results or a baseline run', async () => {
    const { dir } = gitRepo([{ 'v.txt': 'only\n' }])
    expect(await resolveAbBase(dir, { kind: 'parent' })).toEqual({
      reason: 'HEAD has no parent commit',
      shallow: false
    })
    const config = parseConfig(
      'ab: true\nbenchmarks:\n  - name: a\n    kind: command\n    run: "true"\n',
      path.join(dir, 'perf-gate.yml')
    )
    const ctx = { imported: false, reporter: silentReporter }
    const request = { base: { kind: 'default' as const }, when: 'config' as const }
    expect(await planAb(request, config, { ...ctx, mode: 'baseline' })).toBeNull()
    expect(await planAb(request, { ...config, ab: false }, { ...ctx, mode: 'gate' })).toBeNull()
    expect(await planAb(request, config, { ...ctx, mode: 'gate', imported: true })).toBeNull()
  })
})

describe('the base tree', () => {
  it('is a detached worktree of the base commit in a temporary folder, gone after remove()', async () => {
    const { dir, shas } = two()
    const tree = await addBaseTree(dir, shas[0])
    expect(readFileSync(path.join(tree.dir, 'v.txt'), 'utf8')).toBe('base\n')
    expect(worktrees(dir)).toHaveLength(2)
    tree.remove()
    tree.remove()
    expect(existsSync(tree.dir)).toBe(false)
    expect(existsSync(path.dirname(tree.dir))).toBe(false)
    expect(worktrees(dir)).toHaveLength(1)
  })

  it("is removed when the base's build fails, and the error names the tree and shows the output", async () => {
    const config = (build: string) =>
      `build: ${JSON.stringify(build)}\nrepetitions: 6\nbenchmarks:\n  - name: a\n    kind: command\n    run: "true"\n`
    const { dir, shas } = gitRepo([
      { 'perf-gate.yml': config('echo compiling base; echo "error: broken" >&2; exit 3') },
      { 'perf-gate.yml': config('true') }
    ])
    const head = parseConfig(
      readFileSync(path.join(dir, 'perf-gate.yml'), 'utf8'),
      path.join(dir, 'perf-gate.yml')
    )
    const plan = await planAb({ base: { kind: 'default' }, when: 'always' }, head, {
      mode: 'gate',
      imported: false,
      reporter: silentReporter
    })
    expect(plan?.base.sha).toBe(shas[0])
    const left = await leftInTmp(() =>
      expect(
        measureAb(plan!, head, {
          commit: { sha: shas[1] },
          reporter: silentReporter,
          now: new Date()
        })
      ).rejects.toThrow(
        `the build in the base tree (${shas[0].slice(0, 7)}) exited with code 3. Last output:\n  | compiling base\n  | error: broken`
      )
    )
    expect(left).toEqual([])
    expect(worktrees(dir)).toHaveLength(1)
  })

  it('is removed when a visit fails in the head, and the error names the head tree', async () => {
    const yml = (run: string) =>
      `repetitions: 6\nwarmup: 0\nbenchmarks:\n  - name: a\n    kind: command\n    run: ${JSON.stringify(run)}\n`
    const { dir, shas } = gitRepo([
      { 'perf-gate.yml': yml('true') },
      { 'perf-gate.yml': yml('exit 9') }
    ])
    const head = parseConfig(yml('exit 9'), path.join(dir, 'perf-gate.yml'))
    const plan = await planAb({ base: { kind: 'default' }, when: 'always', seed: 5 }, head, {
      mode: 'gate',
      imported: false,
      reporter: silentReporter
    })
    await expect(
      measureAb(plan!, head, {
        commit: { sha: shas[1] },
        reporter: silentReporter,
        now: new Date()
      })
    ).rejects.toThrow(
      `benchmark 'a' (head tree (${shas[1].slice(0, 7)})): the command exited with code 9 on pair 1`
    )
    expect(worktrees(dir)).toHaveLength(1)
  })
})

/** Runs `fn` with os.tmpdir() pointing at a fresh folder, and returns what is left in it. */
async function leftInTmp(fn: () => Promise<unknown>): Promise<string[]> {
  const own = mkdtempSync(path.join(tmpdir(), 'pg-tmp-'))
  const before = process.env.TMPDIR
  process.env.TMPDIR = own
  try {
    await fn()
  } finally {
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
  }
  return readdirSync(own)
}
