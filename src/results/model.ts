import { z } from 'zod'

/**
 * The one shape everything speaks: runners and importers produce it, the baseline store keeps it,
 * the comparison reads it. Every raw sample is kept, never only a mean, because the decision rule
 * needs the spread.
 */
export const RESULTS_SCHEMA_ID = 'perf-gate/results'
export const RESULTS_VERSION = 1

export const Direction = z.enum(['higher', 'lower'])
export type Direction = z.infer<typeof Direction>

export const MetricClass = z.enum(['core', 'non-critical'])
export type MetricClass = z.infer<typeof MetricClass>

const finiteNumber = z.number().refine(Number.isFinite, { message: 'must be a finite number' })

export const Metric = z.object({
  name: z.string().min(1),
  unit: z.string(),
  direction: Direction,
  class: MetricClass,
  /** Measured samples, warm-ups already removed. */
  samples: z.array(finiteNumber).min(1),
  /** Warm-up samples, kept for the record and never gated. */
  warmup: z.array(finiteNumber).optional(),
  /** false for metrics recorded for context only (e.g. the wall time of a tool that reports its own). */
  gate: z.boolean().optional()
})
export type Metric = z.infer<typeof Metric>

export const Source = z.object({
  kind: z.enum(['command', 'file', 'ollama', 'import']),
  format: z.string().optional(),
  file: z.string().optional(),
  command: z.string().optional()
})
export type Source = z.infer<typeof Source>

/** The matrix cell a benchmark is: figures across cells (batch efficiency, …) are read from it. */
export const MatrixCellInfo = z.object({
  /** The matrix entry's name. */
  entry: z.string().min(1),
  /** This cell's value of every axis (concurrency, depth, model, num_ctx, host, or env names). */
  axes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** 1-based position in the shuffled order the cells ran in. */
  order: z.number().int().optional(),
  /** Seed of that order. */
  seed: z.number().int().optional(),
  /** Share of requests that must meet every SLO for this concurrency to count as meeting it. */
  sloAttainment: z.number().optional()
})
export type MatrixCellInfo = z.infer<typeof MatrixCellInfo>

export const Benchmark = z.object({
  name: z.string().min(1),
  source: Source.optional(),
  metrics: z.array(Metric).min(1),
  /** Anomalies and remarks a runner noticed (cold start, short output, …). */
  notes: z.array(z.string()).optional(),
  /**
   * Why this run's numbers say nothing about the code (a model partly offloaded to the CPU, …):
   * its metrics are shown but compared as neutral, never as a regression.
   */
  invalid: z.string().optional(),
  matrix: MatrixCellInfo.optional()
})
export type Benchmark = z.infer<typeof Benchmark>

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])

export const Environment = z
  .object({
    os: z.string(),
    arch: z.string(),
    cpu: z.string(),
    cpuCount: z.number().int(),
    memoryBytes: z.number(),
    node: z.string(),
    hostname: z.string().optional()
  })
  // Runners add their own keys (gpu.names, ollama.version, model.digest, …) as flat scalars so
  // fingerprints can be compared key by key.
  .catchall(scalar)
export type Environment = z.infer<typeof Environment>

export const Commit = z.object({
  sha: z.string().nullable(),
  ref: z.string().nullable().optional(),
  dirty: z.boolean().optional()
})
export type Commit = z.infer<typeof Commit>

export const ResultSet = z.object({
  $schema: z.literal(RESULTS_SCHEMA_ID).optional(),
  version: z.literal(RESULTS_VERSION),
  testbed: z.string().min(1),
  createdAt: z.string(),
  commit: Commit,
  environment: Environment,
  benchmarks: z.array(Benchmark).min(1),
  /** Free-form note, e.g. recorded with a manually dispatched baseline. */
  note: z.string().optional()
})
export type ResultSet = z.infer<typeof ResultSet>

/** A stable key for a metric across result sets. */
export function metricKey(benchmark: string, metric: string): string {
  return `${benchmark}\u0000${metric}`
}
