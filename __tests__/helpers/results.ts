import type { Benchmark, ResultSet } from '../../src/results/model.js'

export { lognormal, mulberry32 } from './random.js'

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

export function timeBench(
  name: string,
  samples: number[],
  cls: 'core' | 'non-critical' = 'core'
): Benchmark {
  return { name, metrics: [{ name: 'time', unit: 'ms', direction: 'lower', class: cls, samples }] }
}
