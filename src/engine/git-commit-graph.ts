import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { BaselineTarget, CommitGraph } from '../types/lineage.js'

/*
 * The history of a local checkout, for the CLI: `git merge-base` and `git rev-list`, the same
 * ordering GitHub's commit list uses (newest first).
 */

const run = promisify(execFile)

/** A graph over the repository at `cwd`, or null outside a git repository (or without git). */
export async function localCommitGraph(cwd: string): Promise<CommitGraph | null> {
  try {
    await run('git', ['rev-parse', '--git-dir'], { cwd })
  } catch {
    return null
  }
  return {
    source: 'git',
    async mergeBase(base, head) {
      // A ref that starts with `-` would be read as an option.
      for (const ref of [base, head]) if (ref.startsWith('-')) throw new Error(`bad ref '${ref}'`)
      try {
        const { stdout } = await run('git', ['merge-base', base, head], { cwd })
        return stdout.trim() || null
      } catch (e) {
        // Exit status 1 without output: the two commits share no history.
        const err = e as { code?: number; stderr?: string }
        if (err.code === 1 && !err.stderr?.trim()) return null
        throw new Error(`git merge-base ${base} ${head}: ${err.stderr?.trim() || String(e)}`)
      }
    },
    async ancestors(sha, limit) {
      if (limit <= 0) return []
      if (sha.startsWith('-')) throw new Error(`bad ref '${sha}'`)
      try {
        const { stdout } = await run('git', ['rev-list', `--max-count=${limit}`, sha, '--'], {
          cwd,
          maxBuffer: 64 * 1024 * 1024
        })
        return stdout.split('\n').filter((l) => l !== '')
      } catch (e) {
        const err = e as { stderr?: string }
        throw new Error(`git rev-list ${sha}: ${err.stderr?.trim() || String(e)}`)
      }
    }
  }
}

/**
 * What the CLI's baseline is chosen by: with `--base REF`, the merge-base of REF and the checkout
 * (as for a pull request); else the nearest baseline on the checkout's history. Outside git, or
 * without a commit, the latest baseline.
 */
export async function localLineage(
  cwd: string,
  sha: string | null,
  opts: { base?: string; maxDistance?: number } = {}
): Promise<{ graph: CommitGraph | null; target: BaselineTarget; maxDistance?: number }> {
  const graph = sha ? await localCommitGraph(cwd) : null
  const maxDistance = opts.maxDistance !== undefined ? { maxDistance: opts.maxDistance } : {}
  if (!graph || !sha) return { graph: null, target: { kind: 'latest' }, ...maxDistance }
  const target: BaselineTarget = opts.base
    ? { kind: 'pull', base: opts.base, head: sha }
    : { kind: 'commit', sha }
  return { graph, target, ...maxDistance }
}
