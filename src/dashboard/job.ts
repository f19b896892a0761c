import { access } from 'node:fs/promises'
import type { BaselineStore } from '../baseline/store.js'
import { loadConfig } from '../config/load.js'
import { thresholdsFromConfig } from '../config/thresholds.js'
import { writeDashboard, type DashboardResult } from './write.js'

/*
 * What `perf-gate dashboard` and the action's `mode: dashboard` share: the budgets come from the
 * config when there is one (the Quickstart has none and uses the defaults), the repository URL
 * from the caller, then the site is written.
 */

export interface DashboardJobOptions {
  store: BaselineStore
  outDir: string
  /** A config named by the user must exist; the default one is used only if it does. */
  configPath: string
  configRequired: boolean
  /** The store as the user named it, shown on the page. */
  storeLabel?: string
  testbed?: string
  title?: string
  repoUrl?: string | null
  now?: () => Date
  onWarning?: (message: string) => void
}

export async function runDashboardJob(opts: DashboardJobOptions): Promise<DashboardResult> {
  const present = opts.configRequired || (await exists(opts.configPath))
  const config = present ? await loadConfig(opts.configPath) : null
  return writeDashboard({
    store: opts.store,
    outDir: opts.outDir,
    ...(opts.testbed ? { testbeds: [opts.testbed] } : {}),
    ...(config ? { thresholdsFor: thresholdsFromConfig(config) } : {}),
    ...(opts.title ? { title: opts.title } : {}),
    ...(opts.storeLabel ? { storeLabel: opts.storeLabel } : {}),
    ...(opts.repoUrl ? { repoUrl: opts.repoUrl } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.onWarning ? { onWarning: opts.onWarning } : {})
  })
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

/** `https://github.com/owner/repo` of a GitHub run, or null off GitHub. */
export function repoUrlFromEnv(env: NodeJS.ProcessEnv): string | null {
  const repo = env.GITHUB_REPOSITORY
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return null
  return `${(env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')}/${repo}`
}

/** One line for a log: what was built and where. */
export function describeDashboard(r: DashboardResult): string {
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`
  return (
    `dashboard: ${r.metrics} metric(s) of ${r.benchmarks} benchmark(s) over ${r.baselines} baseline(s) ` +
    `on ${r.testbeds} testbed(s), ${r.changePoints} change point(s); ${r.files} files, ${kb(r.bytes)} ` +
    `(largest ${r.largestFile.file}, ${kb(r.largestFile.bytes)}); open ${r.indexHtml}`
  )
}
