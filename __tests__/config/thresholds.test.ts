import { describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/config/load.js'
import {
  resolveMetricClass,
  resolveMetricDirection,
  resolveMetricGate,
  resolveThresholds,
  resolveThresholdsWithSource
} from '../../src/config/thresholds.js'
import type { PerfGateConfig } from '../../src/config/types.js'

const CONFIG = parseConfig(
  `thresholds:
  core: { warn: 4%, fail: 6% }
  non-critical: { warn: 7%, fail: 20% }
  metrics:
    wall-time: { warn: 3%, fail: 9% }
    peak-rss: { fail: 15% }
    tokens-per-s: { warn: 1%, fail: none }
benchmarks:
  - name: plain
    kind: command
    run: x
  - name: tuned
    kind: command
    run: x
    class: core
    thresholds: { warn: 2% }
    metrics:
      wall-time: { fail: 5% }
      peak-rss: { warn: 1%, fail: 2% }
      startup: { class: non-critical, direction: higher, gate: false }
      quiet: { fail: off }
`,
  'perf-gate.yml'
)

function bench(name: string): PerfGateConfig['benchmarks'][number] {
  const b = CONFIG.benchmarks.find((x) => x.name === name)
  if (!b) throw new Error(`no benchmark ${name}`)
  return b
}

describe('resolveThresholds', () => {
  it('falls back to the class defaults', () => {
    expect(resolveThresholds(CONFIG, bench('plain'), 'cycles', 'non-critical')).toEqual({
      warn: 0.07,
      fail: 0.2
    })
    expect(resolveThresholds(CONFIG, bench('plain'), 'cycles', 'core')).toEqual({
      warn: 0.04,
      fail: 0.06
    })
  })

  it('prefers the top-level per-metric budgets over the class, field by field', () => {
    expect(resolveThresholds(CONFIG, bench('plain'), 'wall-time', 'core')).toEqual({
      warn: 0.03,
      fail: 0.09
    })
    expect(resolveThresholds(CONFIG, bench('plain'), 'peak-rss', 'non-critical')).toEqual({
      warn: 0.07,
      fail: 0.15
    })
  })

  it('prefers the benchmark thresholds over top-level per-metric budgets', () => {
    // warn from the benchmark, fail still from thresholds.metrics.
    expect(resolveThresholdsWithSource(CONFIG, bench('tuned'), 'tokens-per-s', 'core')).toEqual({
      warn: 0.02,
      fail: null,
      warnFrom: 'benchmark',
      failFrom: 'metric'
    })
    expect(resolveThresholdsWithSource(CONFIG, bench('tuned'), 'cycles', 'core')).toEqual({
      warn: 0.02,
      fail: 0.06,
      warnFrom: 'benchmark',
      failFrom: 'class'
    })
  })

  it("prefers the benchmark's per-metric override over everything", () => {
    expect(resolveThresholdsWithSource(CONFIG, bench('tuned'), 'wall-time', 'core')).toEqual({
      warn: 0.02,
      fail: 0.05,
      warnFrom: 'benchmark',
      failFrom: 'benchmark-metric'
    })
    expect(resolveThresholds(CONFIG, bench('tuned'), 'peak-rss', 'core')).toEqual({
      warn: 0.01,
      fail: 0.02
    })
  })

  it('keeps fail: off as warn-only through the levels', () => {
    expect(resolveThresholds(CONFIG, bench('tuned'), 'quiet', 'core')).toEqual({
      warn: 0.02,
      fail: null
    })
    expect(resolveThresholds(CONFIG, bench('plain'), 'tokens-per-s', 'non-critical')).toEqual({
      warn: 0.01,
      fail: null
    })
  })

  it("uses the override's class for the class defaults", () => {
    // startup is declared non-critical even though the runner calls it core.
    expect(resolveThresholds(CONFIG, bench('plain'), 'startup', 'core').fail).toBe(0.06)
    const withoutBenchmarkWarn = { ...bench('tuned'), thresholds: undefined }
    expect(resolveThresholds(CONFIG, withoutBenchmarkWarn, 'startup', 'core')).toEqual({
      warn: 0.07,
      fail: 0.2
    })
  })

  it('caps warn at fail when a combination the loader could not foresee inverts them', () => {
    const config = parseConfig(
      `thresholds:\n  non-critical: { warn: 8% }\nbenchmarks:\n  - { name: a, kind: command, run: x }\n`,
      'perf-gate.yml'
    )
    // The benchmark is non-critical; a runner reporting a core metric meets fail 5 %.
    expect(resolveThresholds(config, config.benchmarks[0], 'm', 'non-critical')).toEqual({
      warn: 0.08,
      fail: 0.1
    })
    expect(resolveThresholds(config, config.benchmarks[0], 'm', 'core')).toEqual({
      warn: 0.05,
      fail: 0.05
    })
  })

  it('ignores inherited object properties as metric names', () => {
    expect(resolveThresholds(CONFIG, bench('plain'), 'constructor', 'core')).toEqual({
      warn: 0.04,
      fail: 0.06
    })
  })
})

describe('metric overrides', () => {
  it('resolves class, direction and gate from the override, else the given default', () => {
    const tuned = bench('tuned')
    expect(resolveMetricClass(tuned, 'startup', 'core')).toBe('non-critical')
    expect(resolveMetricClass(tuned, 'cycles', 'non-critical')).toBe('non-critical')
    expect(resolveMetricClass(tuned, 'cycles')).toBe('core')
    expect(resolveMetricDirection(tuned, 'startup', 'lower')).toBe('higher')
    expect(resolveMetricDirection(tuned, 'cycles', 'lower')).toBe('lower')
    expect(resolveMetricGate(tuned, 'startup')).toBe(false)
    expect(resolveMetricGate(tuned, 'cycles')).toBe(true)
    expect(resolveMetricGate(tuned, 'cycles', false)).toBe(false)
  })
})
