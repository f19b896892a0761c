import { createClient } from '../github/client.js'
import { readApiSettings, readWorkflowRun } from '../github/context.js'
import { openStore } from '../baseline/index.js'
import type { BaselineStore } from '../baseline/store.js'

export interface ActionStoreInputs {
  baselineStore: string
  baselineRetention?: number | undefined
  githubToken?: string | undefined
}

/**
 * The store the action uses. A `git:` store gets its own client whenever there is a token, even a
 * read-only one (a pull request reads baselines; only mode baseline, trust-checked, writes).
 */
export function openActionStore(
  inputs: ActionStoreInputs,
  workspace: string,
  log: { warning: (m: string) => void; info: (m: string) => void },
  env: NodeJS.ProcessEnv = process.env
): BaselineStore {
  const common = {
    cwd: workspace,
    onWarning: log.warning,
    ...(inputs.baselineRetention !== undefined ? { keep: inputs.baselineRetention } : {})
  }
  // Only a git: store needs to know the repository (and so read the event).
  const repo = /^\s*git:/.test(inputs.baselineStore) ? readWorkflowRun(env).repository : null
  if (!inputs.githubToken || !repo) return openStore(inputs.baselineStore, common)
  const api = readApiSettings(env)
  const client = createClient(inputs.githubToken, {
    baseUrl: api.baseUrl,
    tuning: api.tuning,
    log: log.info
  })
  return openStore(inputs.baselineStore, {
    ...common,
    github: { client, repo, timeScale: api.tuning.timeScale }
  })
}
