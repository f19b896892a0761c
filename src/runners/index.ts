import type { PerfGateConfig } from '../config/types.js'
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
import type { Fingerprint } from './fingerprint.js'
import { runOllamaBenchmark } from './ollama.js'
import type { Reporter } from './progress.js'

export { type Reporter, silentReporter, streamReporter } from './progress.js'

/** Runs every benchmark of the config, in order, and returns one result set. */
export async function runBenchmarks(
  config: PerfGateConfig,
  opts: { commit: Commit; reporter: Reporter; now?: Date; only?: string[] }
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
          return runCommandBenchmark(spec, opts.reporter)
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
