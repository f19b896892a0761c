import type { Direction, MetricClass } from '../results/model.js'
import type { FromZero } from '../stats/compare.js'
import type { Thresholds } from '../stats/types.js'
import type { Expect } from './expect.js'
import type { TargetSpec } from './targets.js'

export type { Expect, TargetSpec }

/** `perf-gate.yml` after validation: camelCase, defaults applied, percentages as fractions. */
/** Runs per arm: first look after `min`, then every `step`, never past `max`. */
export interface SamplingPlan {
  min: number
  max: number
  step: number
}

export interface PerfGateConfig {
  /** The config file as named to the loader; error messages lead with it. */
  file: string
  /** Absolute folder of the config file; relative paths in it are based here. */
  dir: string
  testbed: string
  repetitions: number
  warmup: number
  minSamples: number
  timeoutSeconds: number
  /** Gate by an A/B run in the same job (`ab: true`), where the front allows it. */
  ab: boolean
  abOrder: AbOrder
  /** Run once before any measurement (once per tree in an A/B run), in `dir`. */
  build?: string
  /**
   * τ₀, the prior job-to-job drift of a metric's centre on this runner (sd of ln, 0.05 ≈ 5 %):
   * stored baselines are compared by the history-aware rule with it; 0 keeps the within-job
   * two-sample rule against one stored baseline.
   */
  runnerDrift: number
  /** A regression from 0 in every sample (0 → 1 allocs/op): fail (default), warn or neutral. */
  fromZero?: FromZero
  /**
   * Class, direction and gate by metric name, for every benchmark (`metrics:` at the top level);
   * a benchmark's own `metrics:` entry wins field by field.
   */
  metrics?: Record<string, Pick<MetricOverride, 'class' | 'direction' | 'gate'>>
  thresholds: {
    core: Thresholds
    nonCritical: Thresholds
    /** Budgets by metric name, for every benchmark. */
    metrics: Record<string, Partial<Thresholds>>
  }
  benchmarks: BenchmarkSpec[]
  /** Side-by-side comparisons of two benchmarks of the same run, for the report. */
  comparisons?: Array<{ name: string; a: string; b: string }>
  /** Seed of the order matrix cells run in; unset, the runner draws one and records it. */
  matrixSeed?: number
  /** Matrix combinations left out because they cannot run, with why. */
  skippedCells?: Array<{ name: string; reason: string }>
}

/** Where a benchmark came from when a matrix entry expanded into it. */
export interface MatrixCell {
  /** The entry's own name (`chat` for `chat[concurrency=4,…]`). */
  entry: string
  /** This cell's value of every axis, as in its name. */
  axes: Record<string, string | number | boolean>
  /** Every server of a host axis: the runner unloads the others before this cell's cold run. */
  hosts?: string[]
}

export type AbOrder = 'balanced' | 'abba'

export interface BenchmarkCommon {
  name: string
  /** 1-based line of the entry in the config file, for annotations. */
  line: number
  class: MetricClass
  /** Resolved from the benchmark, else the top level (unused by `file` benchmarks). */
  repetitions: number
  warmup: number
  thresholds?: Partial<Thresholds>
  /** Overrides by metric name. */
  metrics: Record<string, MetricOverride>
  /** Absolute bounds by metric, already narrowed to this cell for a matrix entry. */
  targets?: TargetSpec[]
  /** Set on each benchmark a matrix entry expanded into. */
  matrix?: MatrixCell
  /** Run once before any measurement (once per tree in an A/B run), in `cwd` or the config's folder. */
  build?: string
}

export interface MetricOverride {
  warn?: number
  fail?: number | null
  class?: MetricClass
  direction?: Direction
  gate?: boolean
}

export interface CommandBenchmark extends BenchmarkCommon {
  kind: 'command'
  run: string
  /** One of COMMAND_FORMATS. */
  format: string
  /** As written: relative paths are relative to `cwd`, where the command writes it. */
  output?: string
  /** Absolute. */
  cwd: string
  /**
   * The folder the file read after each run must stay in (perf-gate deletes it before each run):
   * the config's folder. Absolute; `cwd` when not set.
   */
  root?: string
  env: Record<string, string>
  timeoutSeconds: number
  /** Adaptive sampling, from the benchmark or the top level; replaces repetitions when set. */
  adaptive?: SamplingPlan
}

export interface FileBenchmark extends BenchmarkCommon {
  kind: 'file'
  /** Glob as written, relative to the config's `dir`. */
  path: string
  /** One of FILE_FORMATS. */
  format: string
}

export interface OllamaBenchmark extends BenchmarkCommon {
  kind: 'ollama'
  host?: string
  model: string
  /** Empty when the prompt comes from `promptFile`, which the runner reads. */
  prompts: string[]
  /** Absolute. */
  promptFile?: string
  keepAlive?: string | number
  options: Record<string, number | boolean | string>
  /** Unset: /api/generate. */
  api?: 'generate' | 'chat'
  /** Unset: the top-level timeout. */
  timeoutSeconds?: number
  /** Unset: the runner's default. */
  stallTimeoutSeconds?: number
  /** Requests in flight at once; set, the runner measures rounds and records the load metrics. */
  concurrency?: number
  /** Tokens of filler context before the prompt. */
  depth?: number
  /** What every answer must satisfy for `accuracy`; a prompt's own wins (`promptExpects`). */
  expect?: Expect
  /** By index of `prompts`: the expectation written with that prompt, if any. */
  promptExpects?: Array<Expect | undefined>
  /** Per-request objectives for goodput. */
  slo?: Slo
}

/** Service-level objectives per request, in ms; `attainment` is a fraction (0.95). */
export interface Slo {
  ttftMs?: number
  tpotMs?: number
  e2eMs?: number
  attainment: number
}

export type BenchmarkSpec = CommandBenchmark | FileBenchmark | OllamaBenchmark
