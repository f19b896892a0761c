import path from 'node:path'
import { UserError } from '../errors.js'
import type { GitHubClient } from '../github/client.js'
import type { Repo } from './git-api.js'
import { GitBaselineStore } from './git-store.js'
import { LocalBaselineStore } from './local-store.js'
import type { BaselineStore } from './store.js'

export type { BaselineEntry, BaselineStore, StoredBaseline } from './store.js'
export { baselineWriteDecision, type TrustDecision } from './trust.js'
export { DEFAULT_BRANCH, GitBaselineStore } from './git-store.js'

export const DEFAULT_STORE = 'local:.perf-gate/baselines'
export const DEFAULT_KEEP = 100

export interface OpenStoreOptions {
  cwd: string
  onWarning?: (m: string) => void
  /** Baselines kept per testbed. */
  keep?: number
  /** Needed by `git:BRANCH`: a client for the repository the branch lives in. */
  github?: { client: GitHubClient; repo: Repo; timeScale?: number }
}

/** `local:DIR` (the default) or `git:BRANCH`. */
export function openStore(spec: string, opts: OpenStoreOptions): BaselineStore {
  const m = /^(local|git):(.+)$/.exec(spec.trim())
  if (!m?.[2]) {
    throw new UserError(`baseline-store must be 'local:DIR' or 'git:BRANCH', got '${spec}'`)
  }
  const keep = opts.keep ?? DEFAULT_KEEP
  const warn = opts.onWarning ? { onWarning: opts.onWarning } : {}
  if (m[1] === 'git') {
    const branch = m[2].trim()
    if (!/^[A-Za-z0-9._/-]+$/.test(branch) || /(^[./-]|\.\.|\/\/|\.lock$|[./]$)/.test(branch)) {
      throw new UserError(`baseline-store '${spec}': '${branch}' is not a usable branch name`)
    }
    if (!opts.github) {
      throw new UserError(
        `baseline-store '${spec}' keeps baselines on a branch through the GitHub API, which needs the github-token input and a run on GitHub; use 'local:DIR' (for example ${DEFAULT_STORE}) elsewhere`
      )
    }
    return new GitBaselineStore(opts.github.client, opts.github.repo, {
      branch,
      keep,
      ...(opts.github.timeScale !== undefined ? { timeScale: opts.github.timeScale } : {}),
      ...warn
    })
  }
  return new LocalBaselineStore(path.resolve(opts.cwd, m[2]), { keep, ...warn })
}
