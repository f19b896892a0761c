import { stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { loadConfig, type LoadOptions } from './load.js'
import { CONFIG_DEFAULTS } from './schema.js'
import type { PerfGateConfig } from './types.js'

/*
 * Zero-config imports: a workflow that only has a result file (`results: out.json`) runs with no
 * perf-gate.yml at all, on the defaults, and is told what was assumed and the few lines of
 * perf-gate.yml that would pin it. Only a missing file is replaced: one that exists and is
 * invalid fails as always.
 */

export interface AssumedConfig {
  /** The config file that was looked for and not found, as named. */
  file: string
  testbed: string
  /** `input`: from the testbed input (--testbed); `runner`: the runner's OS and architecture. */
  testbedFrom: 'input' | 'runner'
  /** Warn and fail budgets of imported (non-critical) metrics, as fractions. */
  warn: number
  fail: number | null
  /** The perf-gate.yml that pins what was assumed. */
  pin: string
}

const OS_NAMES: Record<string, string> = { linux: 'linux', win32: 'windows', darwin: 'macos' }

/**
 * `linux-x64`: the runner's OS and architecture, from the runner's own variables (RUNNER_OS,
 * RUNNER_ARCH) where it sets them, else from Node. Baselines are kept per testbed, so runs on
 * ubuntu-latest are gated against ubuntu-latest's, never a Mac's.
 */
export function runnerTestbed(
  env: NodeJS.ProcessEnv = process.env,
  platform: string = process.platform,
  arch: string = process.arch
): string {
  const os = env.RUNNER_OS?.trim().toLowerCase() || OS_NAMES[platform] || platform
  const cpu = env.RUNNER_ARCH?.trim().toLowerCase() || arch
  return `${os}-${cpu}`.replace(/[^a-z0-9._-]/g, '-')
}

/** The config a run without perf-gate.yml uses: default budgets, no benchmarks of its own. */
export function defaultConfig(file: string, testbed: string): PerfGateConfig {
  const { thresholds } = CONFIG_DEFAULTS
  return {
    file,
    dir: resolve(dirname(file)),
    testbed,
    repetitions: CONFIG_DEFAULTS.repetitions,
    warmup: CONFIG_DEFAULTS.warmup,
    minSamples: CONFIG_DEFAULTS.minSamples,
    timeoutSeconds: CONFIG_DEFAULTS.timeoutSeconds,
    runnerDrift: CONFIG_DEFAULTS.runnerDrift,
    ab: false,
    abOrder: 'balanced',
    thresholds: {
      core: { ...thresholds.core },
      nonCritical: { ...thresholds.nonCritical },
      metrics: {}
    },
    benchmarks: []
  }
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(10))}%`
}

/**
 * The perf-gate.yml that gives the same run: the testbed, and the budgets of imported metrics
 * (importers mark what they read non-critical). Three lines.
 */
export function pinningConfig(testbed: string): string {
  const { warn, fail } = CONFIG_DEFAULTS.thresholds.nonCritical
  const name = /^[A-Za-z0-9._-]+$/.test(testbed) ? testbed : JSON.stringify(testbed)
  return [
    `testbed: ${name}`,
    'thresholds:',
    `  non-critical: { warn: ${percent(warn)}, fail: ${percent(fail)} }`,
    ''
  ].join('\n')
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    // Anything else (a permission problem) is reported by the loader, naming the file.
    return true
  }
}

/**
 * The config at `file`; when the run imports result files and there is no such file, the
 * defaults, with what was assumed. `testbed` is the testbed input, if any.
 */
export async function loadConfigOrDefaults(
  file: string,
  opts: LoadOptions & { testbed?: string | undefined; env?: NodeJS.ProcessEnv }
): Promise<{ config: PerfGateConfig; assumed: AssumedConfig | null }> {
  if (!opts.imported || (await exists(file))) {
    return { config: await loadConfig(file, { imported: opts.imported ?? false }), assumed: null }
  }
  const testbed = opts.testbed || runnerTestbed(opts.env)
  const config = defaultConfig(file, testbed)
  return {
    config,
    assumed: {
      file,
      testbed,
      testbedFrom: opts.testbed ? 'input' : 'runner',
      warn: config.thresholds.nonCritical.warn,
      fail: config.thresholds.nonCritical.fail,
      pin: pinningConfig(testbed)
    }
  }
}

/** What was assumed, as plain lines for a log or a terminal. */
export function describeAssumed(a: AssumedConfig): string[] {
  const from =
    a.testbedFrom === 'input'
      ? 'from the testbed input'
      : "the runner's OS and architecture; name it with the testbed input (CLI: --testbed)"
  const fail = a.fail === null ? 'no fail budget' : `fail ${percent(a.fail)}`
  return [
    `no ${a.file}: running on defaults: testbed '${a.testbed}' (${from}), the default budgets (warn ${percent(a.warn)}, ${fail}), every imported benchmark gated.`,
    `To pin this, commit this ${a.file}:`,
    ...a.pin.trimEnd().split('\n')
  ]
}
