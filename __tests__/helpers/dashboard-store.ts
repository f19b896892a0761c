import type { BaselineEntry, BaselineStore } from '../../src/baseline/store.js'
import type { Benchmark, Environment, ResultSet } from '../../src/results/model.js'
import { lognormal, mulberry32 } from './random.js'

/*
 * A seeded history for the dashboard's tests and bench: baselines of several benchmarks with
 * lognormal noise, a step in some metrics part-way, a GPU driver upgrade, and optionally pull
 * request runs and names chosen to break out of HTML or script.
 */

export interface HistoryShape {
  baselines: number
  benchmarks: number
  metricsPerBenchmark: number
  samples: number
  seed?: number
  testbed?: string
  /** Run index of a +15 % step (worse for times) in every third metric; default: half-way. */
  stepAt?: number
  /** Run index from which gpu.driver reads 560 instead of 550; default: 70 %. */
  driverAt?: number
  /** Every k-th run is a PR run (ref refs/pull/N/merge); 0: none. */
  prEvery?: number
  /** Benchmark and metric names and units with markup in them. */
  hostileNames?: boolean
  /** First run's time; each later run is an hour on. */
  start?: string
}

export const HOSTILE = '</script><img src=x onerror="window.__pwned=1">&amp;\u2028'

export function benchmarkName(shape: HistoryShape, b: number): string {
  return shape.hostileNames && b === 0 ? `parse ${HOSTILE}` : `bench-${String(b).padStart(2, '0')}`
}

export function metricName(shape: HistoryShape, m: number): string {
  if (shape.hostileNames && m === 0) return `time <b>bold</b>`
  return m === 0 ? 'time' : m === 1 ? 'throughput' : `metric-${m}`
}

/** The i-th baseline of the history, built on demand so a long history never sits in memory. */
export function historyRun(shape: HistoryShape, i: number): ResultSet {
  const seed = (shape.seed ?? 1) * 1_000_003 + i
  const rng = mulberry32(seed)
  const stepAt = shape.stepAt ?? Math.floor(shape.baselines / 2)
  const driverAt = shape.driverAt ?? Math.floor(shape.baselines * 0.7)
  const pr = (shape.prEvery ?? 0) > 0 && i > 0 && i % (shape.prEvery ?? 1) === 0
  const benchmarks: Benchmark[] = []
  for (let b = 0; b < shape.benchmarks; b++) {
    const metrics: Benchmark['metrics'] = []
    for (let m = 0; m < shape.metricsPerBenchmark; m++) {
      const k = b * shape.metricsPerBenchmark + m
      const higher = m === 1
      const base = 10 * (1 + (k % 7)) * (higher ? 100 : 1)
      const stepped = k % 3 === 0 && i >= stepAt
      const level = stepped ? (higher ? base / 1.15 : base * 1.15) : base
      metrics.push({
        name: metricName(shape, m),
        unit: shape.hostileNames && m === 0 ? 'ms<i>' : higher ? 'ops/s' : 'ms',
        direction: higher ? 'higher' : 'lower',
        class: m === 0 ? 'core' : 'non-critical',
        samples: lognormal(rng, shape.samples, level, 0.02).map((v) => Number(v.toFixed(4)))
      })
    }
    benchmarks.push({ name: benchmarkName(shape, b), metrics })
  }
  const environment: Environment = {
    os: 'Linux',
    arch: 'x64',
    cpu: 'AMD EPYC 7763',
    cpuCount: 4,
    memoryBytes: 16e9,
    node: 'v20.19.0',
    'gpu.names': 'NVIDIA A100',
    'gpu.driver': i >= driverAt ? '560.35.03' : '550.54.15'
  }
  const start = Date.parse(shape.start ?? '2026-01-01T00:00:00.000Z')
  return {
    $schema: 'perf-gate/results',
    version: 1,
    testbed: shape.testbed ?? 'ci',
    createdAt: new Date(start + i * 3_600_000).toISOString(),
    commit: {
      sha: (seed.toString(16) + 'a'.repeat(40)).slice(0, 40),
      ref: pr ? `refs/pull/${i}/merge` : 'refs/heads/main'
    },
    environment,
    benchmarks
  }
}

/**
 * A read-only store that makes each baseline when it is read, for histories too long to keep on
 * disk in a test (the bench's 100,000 runs).
 */
export function generatedStore(shape: HistoryShape): BaselineStore {
  const testbed = shape.testbed ?? 'ci'
  const entries = (): BaselineEntry[] =>
    Array.from({ length: shape.baselines }, (_, i) => ({
      testbed,
      sha: null,
      createdAt: '',
      id: String(i)
    }))
  const refuse = () => Promise.reject(new Error('generated store: read only'))
  return {
    location: `generated:${testbed}`,
    testbeds: () => Promise.resolve([testbed]),
    list: (t) => Promise.resolve(t === testbed ? entries() : []),
    read: (e) => {
      const results = historyRun(shape, Number(e.id))
      return Promise.resolve({ entry: e, results })
    },
    forCommit: refuse,
    latest: refuse,
    history: refuse,
    write: refuse
  }
}
