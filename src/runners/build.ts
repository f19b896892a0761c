import type { PerfGateConfig } from '../config/types.js'
import { UserError, errorMessage } from '../errors.js'
import { formatTail, runShell } from './process.js'
import type { Reporter } from './progress.js'

/*
 * The `build:` commands: run once before any benchmark is measured (once in each tree of an A/B
 * run), so what is timed is the program rather than its compilation. Their time is reported and
 * never gated: a build that got slower is not a slower program.
 */

export interface BuildTime {
  /** The arm of an A/B run; null for a run of one tree. */
  tree: 'base' | 'head' | null
  /** The benchmark whose `build:` ran, or null for the top-level one. */
  benchmark: string | null
  ms: number
}

/** The top-level build, then each benchmark's, in config order. */
export async function runBuilds(
  config: PerfGateConfig,
  opts: {
    tree: BuildTime['tree']
    /** How messages name the tree: "base tree (abc1234)". */
    label: string
    reporter: Reporter
    env?: NodeJS.ProcessEnv
    only?: readonly string[]
  }
): Promise<BuildTime[]> {
  const steps: Array<{ benchmark: string | null; command: string; cwd: string }> = []
  if (config.build) steps.push({ benchmark: null, command: config.build, cwd: config.dir })
  for (const b of config.benchmarks) {
    if (!b.build || (opts.only && !opts.only.includes(b.name))) continue
    steps.push({
      benchmark: b.name,
      command: b.build,
      cwd: b.kind === 'command' ? b.cwd : config.dir
    })
  }
  const times: BuildTime[] = []
  for (const step of steps) {
    const what = step.benchmark === null ? 'build' : `build of benchmark '${step.benchmark}'`
    opts.reporter.info(`perf-gate: ${what} in the ${opts.label}: ${step.command}`)
    let res
    try {
      res = await runShell(step.command, {
        cwd: step.cwd,
        env: opts.env ?? process.env,
        timeoutMs: config.timeoutSeconds * 1000
      })
    } catch (e) {
      throw new UserError(`the ${what} in the ${opts.label} could not start: ${errorMessage(e)}`)
    }
    if (res.timedOut || res.code !== 0) {
      const how = res.timedOut
        ? `did not finish within ${config.timeoutSeconds} s (the config's timeout)`
        : res.code === null
          ? `was killed by ${res.signal ?? 'a signal'}`
          : `exited with code ${res.code}`
      throw new UserError(
        `the ${what} in the ${opts.label} ${how}. Last output:\n${formatTail(res.tail)}`
      )
    }
    opts.reporter.info(
      `perf-gate: ${what} in the ${opts.label} took ${(res.wallMs / 1000).toFixed(1)} s`
    )
    times.push({ tree: opts.tree, benchmark: step.benchmark, ms: res.wallMs })
  }
  return times
}
