import { parseArgs } from 'node:util'
import { openTokenStore } from '../baseline/token-store.js'
import { DEFAULT_STORE } from '../baseline/index.js'

export const DASHBOARD_USAGE = `  perf-gate dashboard [--store SPEC] [--out DIR] [-c FILE] [--testbed NAME]
                     [--title TEXT] [--repo-url URL]
                                 a static site of the stored history (default out
                                 .perf-gate/site); git:BRANCH reads GITHUB_TOKEN
                                 and GITHUB_REPOSITORY
`

/** `perf-gate dashboard`: builds the history site; exit 0, or a usage error from the caller. */
export async function dashboardCommand(
  args: string[],
  io: { stdout(text: string): void; stderr(text: string): void },
  env: NodeJS.ProcessEnv
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c' },
      store: { type: 'string', default: env.PERF_GATE_STORE ?? DEFAULT_STORE },
      out: { type: 'string', default: '.perf-gate/site' },
      testbed: { type: 'string' },
      title: { type: 'string' },
      'repo-url': { type: 'string' }
    },
    allowPositionals: false
  })
  // Loaded here, not at start-up: the page's assets are large and only this command needs them.
  const { describeDashboard, repoUrlFromEnv, runDashboardJob } = await import('../dashboard/job.js')
  const warn = (m: string) => io.stderr(`warning: ${m}\n`)
  // A git: store reads the branch through the API, as the action does, with the caller's token.
  const store = openTokenStore(
    { baselineStore: values.store, githubToken: env.GITHUB_TOKEN || env.GH_TOKEN || undefined },
    process.cwd(),
    { warning: warn, info: () => {} },
    env
  )
  const result = await runDashboardJob({
    store,
    outDir: values.out,
    configPath: values.config ?? 'perf-gate.yml',
    configRequired: values.config !== undefined,
    storeLabel: values.store.trim(),
    ...(values.testbed ? { testbed: values.testbed } : {}),
    ...(values.title ? { title: values.title } : {}),
    repoUrl: values['repo-url'] ?? repoUrlFromEnv(env),
    onWarning: warn
  })
  io.stdout(`${describeDashboard(result)}\n`)
  return 0
}
