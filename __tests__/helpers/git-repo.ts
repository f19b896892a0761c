import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/*
 * Scratch git repositories for the A/B tests: real commits made by the real git, so worktrees,
 * merge-bases and shallow clones behave as they do on a runner.
 */

const IDENTITY = [
  '-c',
  'user.name=perf-gate tests',
  '-c',
  'user.email=tests@perf-gate.invalid',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'init.defaultBranch=main'
]

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8' }).trim()
}

/** Writes the files (paths relative to `dir`) and commits them; returns the new commit. */
export function commit(dir: string, files: Record<string, string>, message = 'change'): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', message)
  return git(dir, 'rev-parse', 'HEAD')
}

/** A new repository on branch main with one commit per entry of `commits`. */
export function gitRepo(commits: Array<Record<string, string>>): { dir: string; shas: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-repo-'))
  git(dir, 'init', '-q')
  const shas = commits.map((files, i) => commit(dir, files, `commit ${i + 1}`))
  return { dir, shas }
}

/** The worktrees git knows of, as `git worktree list --porcelain` names them. */
export function worktrees(dir: string): string[] {
  return git(dir, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length))
}
