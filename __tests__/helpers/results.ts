import type { Benchmark, ResultSet } from '../../src/results/model.js'

/** Seeded PRNG (mulberry32): tests must be repeatable to the digit. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** n lognormal draws with the given median and coefficient of variation. */
export function lognormal(rand: () => number, n: number, median: number, cv: number): number[] {
  const sigma = Math.sqrt(Math.log(1 + cv * cv))
  return Array.from({ length: n }, () => {
    const u = Math.max(rand(), 1e-12)
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand())
    return median * Math.exp(sigma * z)
  })
}

export function resultSet(benchmarks: Benchmark[], over: Partial<ResultSet> = {}): ResultSet {
  return {
    $schema: 'perf-gate/results',
    version: 1,
    testbed: 'test',
    createdAt: '2026-11-22T10:00:00.000Z',
    commit: { sha: 'a'.repeat(40) },
    environment: { os: 'Linux', arch: 'x64', cpu: 'cpu', cpuCount: 2, memoryBytes: 1, node: 'v20' },
    benchmarks,
    ...over
  }
}

export function timeBench(name: string, samples: number[], cls: 'core' | 'non-critical' = 'core'): Benchmark {
  return { name, metrics: [{ name: 'time', unit: 'ms', direction: 'lower', class: cls, samples }] }
}
