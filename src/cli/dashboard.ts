import { parseArgs } from 'node:util'
import { DEFAULT_STORE } from '../baseline/index.js'

export const DASHBOARD_USAGE = `  perf-gate dashboard [--store SPEC] [--repo OWNER/NAME] [--out DIR] [-c FILE]
                     [--testbed NAME] [--title TEXT] [--repo-url URL]
                                 a static site of the stored history (default out
                                 .perf-gate/site)
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
      repo: { type: 'string' },
      'repo-url': { type: 'string' }
    },
    allowPositionals: false
  })
  // Loaded here, not at start-up: the page's assets and the GitHub client are large, and only
  // this command needs them.
  const { describeDashboard, repoUrlFromEnv, runDashboardJob } = await import('../dashboard/job.js')
  const { openCliStore } = await import('./store.js')
  const warn = (m: string) => io.stderr(`warning: ${m}\n`)
  // A git: store reads the team's branch through the API with the developer's token.
  const store = openCliStore(values.store, {
    repo: values.repo,
    cwd: process.cwd(),
    env,
    onWarning: warn
  })
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
