import type { CommandBenchmark, PerfGateConfig } from '../config/types.js'
import { lookAt, type CompareOptions } from '../stats/compare-sets.js'
import { lookSchedule } from '../stats/adaptive.js'
import { UserError } from '../errors.js'
import {
  RESULTS_SCHEMA_ID,
  RESULTS_VERSION,
  type Benchmark,
  type Commit,
  type ResultSet
} from '../results/model.js'
import { runCommandBenchmark } from './command.js'
import { addFingerprint, hostEnvironment } from './environment.js'
import { runFileBenchmark } from './file.js'
import type { Fingerprint } from '../results/environment.js'
import { runOllamaBenchmark } from './ollama.js'
import type { Reporter } from './progress.js'

export { type Reporter, silentReporter, streamReporter } from './progress.js'

/**
 * Runs every benchmark of the config, in order, and returns one result set. Given the baseline,
 * benchmarks with an adaptive plan stop as soon as their comparison with it is settled.
 */
export async function runBenchmarks(
  config: PerfGateConfig,
  opts: {
    commit: Commit
    reporter: Reporter
    now?: Date
    only?: string[]
    baseline?: ResultSet | null
    compare?: CompareOptions
  }
): Promise<ResultSet> {
  const specs = opts.only
    ? config.benchmarks.filter((b) => opts.only?.includes(b.name))
    : config.benchmarks
  const benchmarks: Benchmark[] = []
  const fingerprint: Fingerprint = {}
  let index = 0
  for (const spec of specs) {
    index++
    const title = `perf-gate: benchmark ${index}/${specs.length}: ${spec.name} (${spec.kind})`
    const produced = await opts.reporter.group(title, async () => {
      switch (spec.kind) {
        case 'command':
          return runCommand(spec, opts.reporter, opts.baseline ?? null, opts.compare ?? {})
        case 'file':
          return runFileBenchmark(spec, config.dir, opts.reporter)
        case 'ollama':
          return runOllamaBenchmark(spec, opts.reporter, {
            thresholds: config.thresholds,
            defaultTimeoutSeconds: config.timeoutSeconds,
            fingerprint
          })
      }
    })
    for (const b of produced) {
      if (benchmarks.some((x) => x.name === b.name)) {
        throw new UserError(
          `benchmark name '${b.name}' is produced twice; rename one of the config entries`
        )
      }
      benchmarks.push(b)
    }
  }
  if (benchmarks.length === 0) throw new UserError('no benchmark produced any result')
  return {
    $schema: RESULTS_SCHEMA_ID,
    version: RESULTS_VERSION,
    testbed: config.testbed,
    createdAt: (opts.now ?? new Date()).toISOString(),
    commit: opts.commit,
    environment: addFingerprint(hostEnvironment(), fingerprint),
    benchmarks
  }
}

function runCommand(
  spec: CommandBenchmark,
  reporter: Reporter,
  baseline: ResultSet | null,
  compare: CompareOptions
): Promise<Benchmark[]> {
  const plan = spec.adaptive
  if (!plan) return runCommandBenchmark(spec, reporter)
  // Nothing to compare with yet: this run may become the baseline, so give it every run.
  if (!baseline) return runCommandBenchmark({ ...spec, repetitions: plan.max }, reporter)
  return runCommandBenchmark(spec, reporter, process.env, (benches, runs) => {
    const look = lookAt(baseline, benches, runs, plan, compare)
    return { stop: look.stop, nextRuns: look.nextRuns, reason: look.reason }
  })
}

/** Adaptive benchmarks judge FAIL at alpha / looks, so stopping early cannot inflate false FAILs. */
export function adaptiveFailAlpha(
  config: PerfGateConfig,
  alpha = 0.05
): (benchmark: string) => number | undefined {
  return (benchmark) => {
    const spec = config.benchmarks.find(
      (s) => s.name === benchmark || benchmark.startsWith(`${s.name}/`)
    )
    if (spec?.kind !== 'command' || !spec.adaptive) return undefined
    return alpha / lookSchedule(spec.adaptive).length
  }
}
