import { openStore } from '../baseline/index.js'
import type { BaselineStore } from '../baseline/store.js'
import { UserError } from '../errors.js'
import { createClient } from '../github/client.js'
import { readApiSettings } from '../github/context.js'

/*
 * The CLI's baseline store. `local:DIR` as always; `git:BRANCH` reads the team's baselines from a
 * branch of the repository through the GitHub API, with the token and API address a developer
 * already has (GITHUB_TOKEN or GH_TOKEN, GITHUB_API_URL for GitHub Enterprise Server). Writing to it
 * is the trust rule's business (src/baseline/trust.ts): a local run only reads.
 */

export interface CliStoreOptions {
  /** `--repo OWNER/NAME`; on a runner GITHUB_REPOSITORY stands in for it. */
  repo?: string | undefined
  cwd: string
  env: NodeJS.ProcessEnv
  onWarning: (message: string) => void
  log?: (message: string) => void
}

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/

export function openCliStore(spec: string, opts: CliStoreOptions): BaselineStore {
  const common = { cwd: opts.cwd, onWarning: opts.onWarning }
  if (!/^\s*git:/.test(spec)) {
    if (opts.repo !== undefined) {
      throw new UserError(`--repo names the repository of a git: store; --store is '${spec}'`)
    }
    return openStore(spec, common)
  }
  const named = opts.repo ?? opts.env.GITHUB_REPOSITORY
  if (!named) {
    throw new UserError(
      `--store ${spec.trim()} needs --repo OWNER/NAME: the repository whose branch holds the baselines`
    )
  }
  const m = REPO.exec(named.trim())
  if (!m?.[1] || !m[2]) {
    throw new UserError(`--repo must be OWNER/NAME (for example acme/llm); got '${named}'`)
  }
  const token = opts.env.GITHUB_TOKEN?.trim() || opts.env.GH_TOKEN?.trim()
  if (!token) {
    throw new UserError(
      `--store ${spec.trim()} reads ${m[1]}/${m[2]}'s baselines through the GitHub API and needs a token: set GITHUB_TOKEN (or GH_TOKEN), for example GITHUB_TOKEN=$(gh auth token)`
    )
  }
  const api = readApiSettings(opts.env)
  const client = createClient(token, {
    baseUrl: api.baseUrl,
    tuning: api.tuning,
    ...(opts.log ? { log: opts.log } : {})
  })
  return openStore(spec, {
    ...common,
    github: { client, repo: { owner: m[1], repo: m[2] }, timeScale: api.tuning.timeScale }
  })
}
