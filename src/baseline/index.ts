import path from 'node:path'
import { UserError } from '../errors.js'
import { LocalBaselineStore } from './local-store.js'
import type { BaselineStore } from './store.js'

export type { BaselineEntry, BaselineStore, StoredBaseline } from './store.js'
export { baselineWriteDecision, type RunContext, type TrustDecision } from './trust.js'

export const DEFAULT_STORE = 'local:.perf-gate/baselines'

/** `local:DIR` (the default) or `git:BRANCH`. */
export function openStore(
  spec: string,
  opts: { cwd: string; onWarning?: (m: string) => void }
): BaselineStore {
  const m = /^(local|git):(.+)$/.exec(spec.trim())
  if (!m?.[2]) {
    throw new UserError(`baseline-store must be 'local:DIR' or 'git:BRANCH', got '${spec}'`)
  }
  if (m[1] === 'git') {
    throw new UserError(
      `baseline-store '${spec}': the git-branch store is not available in this version; use 'local:DIR' (for example ${DEFAULT_STORE}) with actions/cache or an artifact`
    )
  }
  return new LocalBaselineStore(path.resolve(opts.cwd, m[2]), {
    ...(opts.onWarning ? { onWarning: opts.onWarning } : {})
  })
}
