import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { UserError } from '../../errors.js'
import { onCleanup } from '../../shared/cleanup.js'
import { shortSha } from '../../shared/text.js'

/*
 * The base side of an A/B run: which commit it is, and that commit checked out as a detached
 * `git worktree` in a temporary folder beside the job's own checkout (the head). The worktree is
 * removed when the run ends, also when it fails, and also on SIGINT or SIGTERM.
 */

const exec = promisify(execFile)

/** What the front knows about the base it wants. */
export type AbBaseRequest =
  /** `--base REF`: the merge-base of REF and HEAD. */
  | { kind: 'ref'; ref: string }
  /** The merge-base with the default branch; on that branch itself, HEAD~1 (or HEAD when dirty). */
  | { kind: 'default'; dirty?: boolean }
  /** A pull request: the merge-base of its base and head (the base itself for a merge checkout). */
  | { kind: 'pull'; baseSha: string; headSha: string | null }
  /** A push: the commit before HEAD. */
  | { kind: 'parent' }

export interface AbBase {
  /** Repository root of the head's checkout. */
  root: string
  /** The head's commit (HEAD); the head tree is the checkout as it is. */
  head: string
  sha: string
  /** How the base was found, for the log: "merge-base of origin/main and HEAD". */
  how: string
}

/** Why no base was found: `shallow` when more history would have one. */
export interface NoBase {
  reason: string
  shallow: boolean
}

const CHECKOUT_HINT = 'use actions/checkout with fetch-depth: 0'
const FETCH_DEPTH_HINT = `${CHECKOUT_HINT} (or git fetch --unshallow)`
// A single-branch clone: unshallowing it would still not fetch the default branch.
const NO_BRANCH_HINT = `${CHECKOUT_HINT} (it fetches every branch), or name the base with --base REF`

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 })
  return stdout.trim()
}

async function tryGit(cwd: string, args: string[]): Promise<string | null> {
  try {
    return await git(cwd, args)
  } catch {
    return null
  }
}

async function commitOf(root: string, rev: string): Promise<string | null> {
  // `--end-of-options` keeps a revision from being read as an option.
  return tryGit(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])
}

async function mergeBase(root: string, a: string, b: string): Promise<string | null> {
  return tryGit(root, ['merge-base', '--end-of-options', a, b]).then((s) => s || null)
}

/** The default branch as this checkout knows it: origin/HEAD, else main or master. */
async function defaultBranch(root: string): Promise<string | null> {
  const remoteHead = await tryGit(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'])
  if (remoteHead) return remoteHead.replace(/^refs\/remotes\//, '')
  for (const name of ['main', 'master', 'origin/main', 'origin/master']) {
    if (await commitOf(root, name)) return name
  }
  return null
}

/**
 * The base commit of an A/B run, or why there is none. A missing commit in a shallow clone is
 * `shallow: true`; the front turns it into the error that names the fix.
 */
export async function resolveAbBase(cwd: string, request: AbBaseRequest): Promise<AbBase | NoBase> {
  const root = await tryGit(cwd, ['rev-parse', '--show-toplevel'])
  if (!root) return { reason: `${cwd} is not in a git repository`, shallow: false }
  const head = await commitOf(root, 'HEAD')
  if (!head) return { reason: 'the repository has no commit yet', shallow: false }
  const shallow = (await tryGit(root, ['rev-parse', '--is-shallow-repository'])) === 'true'
  const missing = (what: string, hint = FETCH_DEPTH_HINT): NoBase => ({
    reason: shallow
      ? `the checkout is shallow and lacks ${what}: ${hint}`
      : `this checkout has no ${what}`,
    shallow
  })
  const found = (sha: string, how: string): AbBase => ({ root, head, sha, how })

  switch (request.kind) {
    case 'ref': {
      if (request.ref.startsWith('-')) throw new UserError(`--base: bad ref '${request.ref}'`)
      const ref = await commitOf(root, request.ref)
      if (!ref) {
        if (shallow) return missing(`the base '${request.ref}'`)
        throw new UserError(`--base: '${request.ref}' is not a commit of this repository`)
      }
      const mb = await mergeBase(root, ref, head)
      if (!mb) return missing(`the merge-base of ${request.ref} and HEAD`)
      return found(mb, `merge-base of ${request.ref} and HEAD`)
    }
    case 'default': {
      const branch = await defaultBranch(root)
      const mb = branch ? await mergeBase(root, branch, head) : null
      if (mb && mb !== head) return found(mb, `merge-base of ${branch} and HEAD`)
      // On the default branch: the working tree's own changes if it has any, else the last commit.
      if (mb && request.dirty) return found(head, 'HEAD (the working tree has changes)')
      // In a shallow clone no merge-base (or no default branch) means missing history, not a
      // branch of its own: HEAD~1 would then silently measure the PR's own last commit as the base.
      if (!mb && shallow) {
        return branch
          ? missing(`the merge-base with ${branch}`)
          : missing(
              'the default branch (origin/HEAD, main or master), so the merge-base with it',
              NO_BRANCH_HINT
            )
      }
      const parent = await commitOf(root, 'HEAD~1')
      if (!parent)
        return shallow ? missing('HEAD~1') : { reason: 'HEAD has no parent commit', shallow }
      return found(parent, branch ? `HEAD~1 (HEAD is on ${branch})` : 'HEAD~1')
    }
    case 'pull': {
      const base = await commitOf(root, request.baseSha)
      if (!base) return missing(`the pull request's base commit ${shortSha(request.baseSha)}`)
      // The default pull_request checkout is the merge of the head into the base: the base is then
      // exactly what the pull request changes.
      const parents = (await tryGit(root, ['rev-list', '--parents', '-n', '1', head])) ?? ''
      const isMergeOnBase = head !== request.headSha && parents.split(' ').slice(1).includes(base)
      if (isMergeOnBase)
        return found(base, `the pull request's base ${shortSha(base)} (merge checkout)`)
      const mb = await mergeBase(root, base, head)
      if (!mb)
        return missing(`the merge-base of the pull request's base ${shortSha(base)} and head`)
      return found(mb, `merge-base of the pull request's base ${shortSha(base)} and head`)
    }
    case 'parent': {
      const parent = await commitOf(root, 'HEAD~1')
      if (!parent)
        return shallow ? missing('HEAD~1') : { reason: 'HEAD has no parent commit', shallow }
      return found(parent, 'HEAD~1')
    }
  }
}

export function isNoBase(b: AbBase | NoBase): b is NoBase {
  return 'reason' in b
}

export interface BaseTree {
  /** The worktree's root. */
  dir: string
  sha: string
  /** Removes the worktree and its folder; safe to call twice. */
  remove(): void
}

/**
 * Checks `sha` out as a detached worktree of `root` in a new temporary folder. Until `remove()`
 * is called, a SIGINT, SIGTERM or SIGHUP removes it too (through `stopOnSignals`).
 */
export async function addBaseTree(root: string, sha: string): Promise<BaseTree> {
  const parent = mkdtempSync(path.join(tmpdir(), 'perf-gate-base-'))
  const dir = path.join(parent, shortSha(sha) ?? 'base')
  let removed = false
  // Synchronous, so the signal handler finishes it before the process exits.
  const remove = (): void => {
    if (removed) return
    removed = true
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' })
    rmSync(parent, { recursive: true, force: true })
    spawnSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' })
  }
  const unregister = onCleanup({ label: `the base's worktree at ${shortSha(sha)}`, run: remove })
  try {
    await git(root, ['worktree', 'add', '--detach', '--quiet', dir, sha])
  } catch (e) {
    remove()
    unregister()
    const stderr = (e as { stderr?: string }).stderr?.trim()
    throw new UserError(
      `could not check out the base ${shortSha(sha)} as a git worktree: ${stderr || String(e)}`
    )
  }
  return {
    dir,
    sha,
    remove() {
      remove()
      unregister()
    }
  }
}

/** Where the head's config file sits in the base tree: the same path from the repository root. */
export function baseConfigPath(headConfig: string, root: string, baseDir: string): string {
  const abs = realpathSync(path.resolve(headConfig))
  const rel = path.relative(realpathSync(root), abs)
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UserError(
      `the config ${headConfig} is outside the repository ${root}, so the base commit cannot have it`
    )
  }
  return path.join(baseDir, rel)
}
