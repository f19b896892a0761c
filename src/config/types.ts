import type { Direction, MetricClass } from '../results/model.js'
import type { Thresholds } from '../stats/types.js'

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
  thresholds: {
    core: Thresholds
    nonCritical: Thresholds
    /** Budgets by metric name, for every benchmark. */
    metrics: Record<string, Partial<Thresholds>>
  }
  benchmarks: BenchmarkSpec[]
  /** Side-by-side comparisons of two benchmarks of the same run, for the report. */
  comparisons?: Array<{ name: string; a: string; b: string }>
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
}

export type BenchmarkSpec = CommandBenchmark | FileBenchmark | OllamaBenchmark
