import { describe, expect, it } from '@jest/globals'
import type { Benchmark, Metric } from '../../src/results/model.js'
import { compareResultSets } from '../../src/stats/compare-sets.js'
import { compareProportion } from '../../src/stats/proportion.js'
import { withSweepFigures } from '../../src/stats/sweep.js'
import { resultSet } from '../helpers/results.js'

function metric(name: string, samples: number[], unit = 'tokens/s'): Metric {
  return {
    name,
    unit,
    direction: name.endsWith('_ms') ? 'lower' : 'higher',
    class: 'core',
    samples
  }
}

function cell(
  axes: Record<string, string | number>,
  metrics: Record<string, number[]>,
  extra: Partial<Benchmark> = {}
): Benchmark {
  const name = `chat[${Object.keys(axes)
    .sort()
    .map((k) => `${k}=${axes[k]}`)
    .join(',')}]`
  return {
    name,
    source: { kind: 'ollama', format: 'generate' },
    metrics: Object.entries(metrics).map(([m, s]) => metric(m, s)),
    matrix: { entry: 'chat', axes },
    ...extra
  }
}

const figure = (b: Benchmark | undefined, name: string): number[] | undefined =>
  b?.metrics.find((m) => m.name === name)?.samples

describe('figures across the cells of a matrix', () => {
  // Aggregate throughput 100 → 180 → 300 → 310 (gain +3 % at 8) while TTFT p95 keeps rising.
  const line = (model: string, scale = 1) => [
    cell(
      { model, concurrency: 1 },
      { aggregate_tps: [100, 100, 100].map((v) => v * scale), ttft_p95_ms: [10, 10, 10] }
    ),
    cell(
      { model, concurrency: 2 },
      { aggregate_tps: [180, 180, 180].map((v) => v * scale), ttft_p95_ms: [12, 12, 12] }
    ),
    cell(
      { model, concurrency: 4 },
      { aggregate_tps: [300, 300, 300].map((v) => v * scale), ttft_p95_ms: [20, 20, 20] }
    ),
    cell(
      { model, concurrency: 8 },
      { aggregate_tps: [310, 312, 308].map((v) => v * scale), ttft_p95_ms: [60, 61, 59] }
    )
  ]

  it('gives batch efficiency at each concurrency as round-wise ratio samples', () => {
    const set = withSweepFigures(resultSet([...line('q4'), ...line('q5', 0.8)]))
    const [one, two, four, eight] = set.benchmarks
    expect(figure(one, 'batch_efficiency')).toBeUndefined()
    expect(figure(two, 'batch_efficiency')).toEqual([0.9, 0.9, 0.9])
    expect(figure(four, 'batch_efficiency')).toEqual([0.75, 0.75, 0.75])
    expect(figure(eight, 'batch_efficiency')).toEqual([310 / 800, 312 / 800, 308 / 800])
    // q5 is 0.8× everywhere: the same efficiency, worked out within its own line.
    expect(figure(set.benchmarks[5], 'batch_efficiency')).toEqual([0.9, 0.9, 0.9])
    expect(two?.metrics.find((m) => m.name === 'batch_efficiency')).toMatchObject({
      unit: 'ratio',
      direction: 'higher',
      class: 'core',
      gate: false
    })
  })

  it('puts the saturation point on the line’s first cell: the first c gaining < 5 % while TTFT rises', () => {
    const set = withSweepFigures(resultSet(line('q4')))
    expect(figure(set.benchmarks[0], 'saturation_concurrency')).toEqual([8, 8, 8])
    // Still gaining at the last step: no value, and a note saying the point lies beyond the axis.
    const gaining = line('q4')
    gaining[3] = cell(
      { model: 'q4', concurrency: 8 },
      { aggregate_tps: [500, 500, 500], ttft_p95_ms: [60, 60, 60] }
    )
    const open = withSweepFigures(resultSet(gaining))
    expect(figure(open.benchmarks[0], 'saturation_concurrency')).toBeUndefined()
    expect(open.benchmarks[0]?.notes?.[0]).toBe(
      'saturation_concurrency: aggregate throughput still gained ≥ 5 % per step up to concurrency 8 in 3 of 3 rounds: the saturation point lies beyond the axis'
    )
  })

  it('finds the largest concurrency meeting the SLO attainment, round by round', () => {
    const cells = line('q4').map((b, i) => ({
      ...b,
      metrics: [
        ...b.metrics,
        metric(
          'slo_attainment',
          [
            [1, 1, 1],
            [1, 1, 0.5],
            [1, 0.75, 0.5],
            [0.5, 0.5, 0.5]
          ][i],
          'fraction'
        )
      ],
      matrix: { ...b.matrix!, sloAttainment: 0.95 }
    }))
    const set = withSweepFigures(resultSet(cells))
    expect(figure(set.benchmarks[0], 'slo_concurrency')).toEqual([4, 2, 1])
  })

  it('gives context degradation of decode and prefill against the smallest depth and context', () => {
    const ctx = (depth: number, num_ctx: number, decode: number, prefill: number) =>
      cell({ depth, num_ctx }, { decode_tps: [decode, decode], prompt_tps: [prefill, prefill] })
    const set = withSweepFigures(
      resultSet([ctx(0, 4096, 100, 1000), ctx(0, 16384, 98, 990), ctx(8192, 16384, 80, 700)])
    )
    expect(figure(set.benchmarks[0], 'context_degradation')).toBeUndefined()
    expect(figure(set.benchmarks[1], 'context_degradation')).toEqual([0.98, 0.98])
    expect(figure(set.benchmarks[2], 'context_degradation')).toEqual([0.8, 0.8])
    expect(figure(set.benchmarks[2], 'context_degradation_prefill')).toEqual([0.7, 0.7])
  })

  it('leaves out a figure that would read an invalid cell, and says why', () => {
    const cells = line('q4')
    cells[0] = { ...cells[0], invalid: 'partial-offload: 90 %' }
    const set = withSweepFigures(resultSet(cells))
    expect(figure(set.benchmarks[1], 'batch_efficiency')).toBeUndefined()
    expect(set.benchmarks[1]?.notes).toContain(
      'batch_efficiency: not worked out, the reference cell chat[concurrency=1,model=q4] is invalid'
    )
  })

  it('works the figures out again the same way, so merged shards give the same set', () => {
    const once = withSweepFigures(resultSet(line('q4')))
    expect(withSweepFigures(once)).toEqual(once)
  })
})

describe('an invalid run in the gate', () => {
  it('is shown but neutral, never a regression, on either side', () => {
    const fast = cell({ concurrency: 1 }, { decode_tps: [100, 101, 99, 100, 100] })
    const slow = cell({ concurrency: 1 }, { decode_tps: [50, 51, 49, 50, 50] })
    const outcome = compareResultSets(
      resultSet([fast]),
      resultSet([{ ...slow, invalid: 'partial-offload: only 60 % in VRAM' }])
    )
    expect(outcome.verdict).toBe('neutral')
    expect(outcome.comparisons[0]).toMatchObject({
      verdict: 'neutral',
      reason: 'invalid run, not gated: partial-offload: only 60 % in VRAM',
      current: { median: 50 },
      baseline: { median: 100 }
    })
    const fromInvalid = compareResultSets(
      resultSet([{ ...fast, invalid: 'partial-offload: x' }]),
      resultSet([slow])
    )
    expect(fromInvalid.comparisons[0]?.reason).toBe(
      "not compared: the baseline's run was invalid (partial-offload: x)"
    )
  })
})

describe('fractions are compared as proportions', () => {
  const input = (base: number[], cur: number[]) => ({
    benchmark: 'chat',
    metric: 'accuracy',
    unit: 'fraction',
    direction: 'higher' as const,
    class: 'non-critical' as const,
    thresholds: { warn: 0.05, fail: 0.1 },
    baseline: base,
    current: cur
  })
  const answers = (right: number, of: number) =>
    Array.from({ length: of }, (_, i) => (i < right ? 1 : 0))

  it('judges a drop in accuracy on the shares of answers, zeros and all', () => {
    const same = compareProportion(input(answers(97, 100), answers(96, 100)))
    expect(same.verdict).toBe('pass')
    expect(same.current?.median).toBe(0.96)
    const worse = compareProportion(input(answers(97, 100), answers(70, 100)))
    expect(worse.verdict).toBe('fail')
    expect(worse.valueChange).toBeCloseTo(0.7 / 0.97 - 1, 6)
    expect(compareProportion(input(answers(5, 5), answers(5, 5))).verdict).toBe('pass')
  })

  it('is what the gate uses for a metric in fractions', () => {
    const b = (samples: number[]): Benchmark => ({
      name: 'chat',
      metrics: [metric('accuracy', samples, 'fraction')]
    })
    const outcome = compareResultSets(
      resultSet([b(answers(40, 40))]),
      resultSet([b(answers(20, 40))])
    )
    expect(outcome.comparisons[0]).toMatchObject({ metric: 'accuracy', verdict: 'fail' })
  })
})
