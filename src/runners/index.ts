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
import { newSeed } from '../shared/random.js'
import { runOrder } from './matrix-order.js'
import { runOllamaBenchmark } from './ollama.js'
import type { Reporter } from './progress.js'

export { type Reporter, silentReporter, streamReporter } from './progress.js'
export { applyMetricOverrides } from './shape.js'

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
  const hasMatrix = specs.some((s) => s.matrix)
  const seed = config.matrixSeed ?? newSeed()
  const order = hasMatrix ? runOrder(specs, seed) : specs.map((_, i) => i)
  if (hasMatrix) {
    const cells = specs.filter((s) => s.matrix).length
    opts.reporter.info(
      `perf-gate: ${cells} matrix cells run in a shuffled order, seed ${seed} (matrix-seed: ${seed} repeats it)`
    )
    for (const skipped of config.skippedCells ?? []) {
      opts.reporter.info(`perf-gate: ${skipped.name} is left out: ${skipped.reason}`)
    }
  }
  const produced: Benchmark[][] = []
  const cellOrder = new Map<string, number>()
  let index = 0
  for (const at of order) {
    const spec = specs[at]
    if (!spec) continue
    index++
    if (spec.matrix) cellOrder.set(spec.matrix.entry, (cellOrder.get(spec.matrix.entry) ?? 0) + 1)
    const position = spec.matrix ? cellOrder.get(spec.matrix.entry) : undefined
    const title = `perf-gate: benchmark ${index}/${specs.length}: ${spec.name} (${spec.kind})`
    const made = await opts.reporter.group(title, async () => {
      switch (spec.kind) {
        case 'command':
          return runCommand(
            spec,
            opts.reporter,
            opts.baseline ?? null,
            opts.compare ?? {},
            fingerprint
          )
        case 'file':
          return runFileBenchmark(spec, config.dir, opts.reporter, fingerprint)
        case 'ollama':
          return runOllamaBenchmark(spec, opts.reporter, {
            thresholds: config.thresholds,
            defaultTimeoutSeconds: config.timeoutSeconds,
            fingerprint
          })
      }
    })
    produced[at] = made.map((b) =>
      spec.matrix && position !== undefined
        ? {
            ...b,
            matrix: {
              entry: spec.matrix.entry,
              axes: spec.matrix.axes,
              ...b.matrix,
              order: position,
              seed
            }
          }
        : b
    )
  }
  // Reported in the config's order, whatever order they ran in.
  for (const list of produced) {
    for (const b of list ?? []) {
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
  compare: CompareOptions,
  fingerprint: Fingerprint
): Promise<Benchmark[]> {
  const plan = spec.adaptive
  const env = process.env
  if (!plan) return runCommandBenchmark(spec, reporter, env, undefined, fingerprint)
  // Nothing to compare with yet: this run may become the baseline, so give it every run.
  if (!baseline)
    return runCommandBenchmark(
      { ...spec, repetitions: plan.max },
      reporter,
      env,
      undefined,
      fingerprint
    )
  const decide = (benches: Benchmark[], runs: number) => {
    const look = lookAt(baseline, benches, runs, plan, compare)
    return { stop: look.stop, nextRuns: look.nextRuns, reason: look.reason }
  }
  return runCommandBenchmark(spec, reporter, env, decide, fingerprint)
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
