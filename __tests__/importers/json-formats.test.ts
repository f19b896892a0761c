import { describe, expect, it } from '@jest/globals'
import { importText } from '../../src/importers/index.js'
import { errorOf } from '../helpers/capture.js'

const nc = { class: 'non-critical' as const }
const pretty = (v: unknown): string => JSON.stringify(v, null, 2)

describe('pytest-benchmark', () => {
  const file = (stats: Record<string, unknown>): string =>
    pretty({
      machine_info: {},
      benchmarks: [{ name: 't', fullname: 'b.py::t', stats }],
      version: '4.0.0'
    })

  it('takes every round from stats.data when it holds them all', () => {
    const { benchmarks } = importText(
      'p.json',
      file({ mean: 2, rounds: 3, data: [1, 2, 3] }),
      'auto',
      nc
    )
    expect(benchmarks[0].metrics[0]).toMatchObject({
      unit: 's',
      direction: 'lower',
      samples: [1, 2, 3]
    })
    expect(benchmarks[0].notes).toBeUndefined()
  })

  it('falls back to the mean, and says so, without stats.data', () => {
    const { benchmarks } = importText('p.json', file({ mean: 2, rounds: 3 }), 'auto', nc)
    expect(benchmarks[0].metrics[0].samples).toEqual([2])
    expect(benchmarks[0].notes?.[0]).toMatch(/^only summary statistics were saved/)
  })

  it('refuses a negative round with its line', () => {
    expect(
      errorOf(() => importText('p.json', file({ mean: 2, rounds: 2, data: [1, -2] }), 'auto', nc))
    ).toBe('p.json:12: benchmarks[0].stats.data[1] must not be negative, got -2')
  })
})

describe('Google Benchmark', () => {
  const run = (extra: Record<string, unknown>) => ({
    name: 'BM_x/repeats:3',
    run_name: 'BM_x/repeats:3',
    run_type: 'iteration',
    iterations: 100,
    real_time: 2,
    cpu_time: 1.5,
    time_unit: 'us',
    ...extra
  })
  const agg = (name: string, value: number) =>
    run({
      name: `BM_x/repeats:3_${name}`,
      run_type: 'aggregate',
      aggregate_name: name,
      real_time: value
    })

  it('takes repetitions as samples and skips the aggregates computed from them', () => {
    const doc = {
      context: {},
      benchmarks: [
        run({ repetition_index: 0, real_time: 2, items_per_second: 10 }),
        run({ repetition_index: 1, real_time: 3, items_per_second: 11 }),
        run({ repetition_index: 2, real_time: 4, items_per_second: 12 }),
        agg('mean', 3),
        agg('median', 3),
        agg('stddev', 1),
        agg('cv', 0.33)
      ]
    }
    const { format, benchmarks } = importText('g.json', pretty(doc), 'auto', nc)
    expect(format).toBe('googlebench')
    expect(benchmarks).toHaveLength(1)
    expect(
      benchmarks[0].metrics.map((m) => [m.name, m.unit, m.direction, m.samples, m.gate])
    ).toEqual([
      ['real_time', 'ns', 'lower', [2000, 3000, 4000], undefined],
      ['cpu_time', 'ns', 'lower', [1500, 1500, 1500], false],
      ['items_per_second', 'items/s', 'higher', [10, 11, 12], undefined]
    ])
  })

  it('uses the mean aggregate when the file holds aggregates only', () => {
    const doc = { context: {}, benchmarks: [agg('mean', 3), agg('stddev', 1)] }
    const { benchmarks } = importText('g.json', pretty(doc), 'auto', nc)
    expect(benchmarks[0].metrics[0].samples).toEqual([3000])
    expect(benchmarks[0].notes?.[0]).toMatch(/aggregates only/)
  })

  it('refuses a benchmark that reported an error', () => {
    const doc = {
      context: {},
      benchmarks: [run({ error_occurred: true, error_message: 'no GPU' })]
    }
    expect(errorOf(() => importText('g.json', pretty(doc), 'auto', nc))).toBe(
      'g.json:4: benchmarks[0] BM_x/repeats:3 reported an error: no GPU'
    )
  })
})

describe('JMH', () => {
  const entry = (mode: string, unit: string, raw: number[][], secondary = {}) => ({
    benchmark: 'a.B.run',
    mode,
    primaryMetric: { score: 1, scoreUnit: unit, rawData: raw },
    secondaryMetrics: secondary
  })

  it('keeps each mode as its own metric with its direction, every iteration of every fork a sample', () => {
    const doc = [
      entry('thrpt', 'ops/s', [
        [10, 11],
        [12, 13]
      ]),
      entry('avgt', 'us/op', [[0.1, 0.2]], {
        '·gc.alloc.rate': { score: 5, scoreUnit: 'MB/sec', rawData: [[5]] },
        '·gc.alloc.rate.norm': { score: 48, scoreUnit: 'B/op', rawData: [[48, 48]] }
      })
    ]
    const { benchmarks } = importText('j.json', pretty(doc), 'auto', nc)
    expect(benchmarks).toHaveLength(1)
    expect(benchmarks[0].metrics.map((m) => [m.name, m.unit, m.direction, m.samples])).toEqual([
      ['throughput', 'ops/s', 'higher', [10, 11, 12, 13]],
      ['average time', 'us/op', 'lower', [0.1, 0.2]],
      // A per-operation cost is kept; an allocation rate per second does not say which way is better.
      ['gc.alloc.rate.norm', 'B/op', 'lower', [48, 48]]
    ])
  })

  it('refuses the same benchmark, parameters and mode twice', () => {
    const doc = [entry('avgt', 'us/op', [[1]]), entry('avgt', 'us/op', [[2]])]
    expect(errorOf(() => importText('j.json', pretty(doc), 'auto', nc))).toBe(
      'j.json:17: [1].benchmark duplicates "a.B.run" in mode avgt, first at line 3'
    )
  })
})

describe('BenchmarkDotNet', () => {
  const bench = (extra: Record<string, unknown>) => ({
    DisplayInfo: 'Benchmarks.Fib: ShortRun',
    FullName: 'Sample.Benchmarks.Fib',
    Statistics: { OriginalValues: [10, 11], Mean: 10.5 },
    ...extra
  })

  it('adds allocated bytes from MemoryDiagnoser and names a non-default job', () => {
    const doc = {
      HostEnvironmentInfo: {},
      Benchmarks: [bench({ Memory: { BytesAllocatedPerOperation: 96 } })]
    }
    const { benchmarks } = importText('d.json', pretty(doc), 'auto', nc)
    expect(benchmarks[0].name).toBe('Sample.Benchmarks.Fib [ShortRun]')
    expect(benchmarks[0].metrics.map((m) => [m.name, m.unit, m.samples])).toEqual([
      ['time', 'ns', [10, 11]],
      ['allocated', 'B', [96]]
    ])
  })

  it('reads Workload/Result measurements when the statistics lack the values', () => {
    const doc = {
      HostEnvironmentInfo: {},
      Benchmarks: [
        bench({
          Statistics: null,
          Measurements: [
            {
              IterationMode: 'Workload',
              IterationStage: 'Warmup',
              Operations: 4,
              Nanoseconds: 400
            },
            { IterationMode: 'Workload', IterationStage: 'Result', Operations: 4, Nanoseconds: 80 },
            { IterationMode: 'Workload', IterationStage: 'Result', Operations: 4, Nanoseconds: 88 }
          ]
        })
      ]
    }
    const { benchmarks } = importText('d.json', pretty(doc), 'auto', nc)
    expect(benchmarks[0].metrics[0].samples).toEqual([20, 22])
  })

  it('refuses a benchmark that did not run', () => {
    const doc = { HostEnvironmentInfo: {}, Benchmarks: [bench({ Statistics: null })] }
    expect(errorOf(() => importText('d.json', pretty(doc), 'auto', nc))).toBe(
      'd.json:4: Benchmarks[0] has neither Statistics nor Workload/Result measurements: the benchmark did not run'
    )
  })
})

describe('Julia BenchmarkTools', () => {
  it('takes every time of a saved Trial as a sample', () => {
    const doc = [
      { Julia: '1.10.0', BenchmarkTools: '1.4.0' },
      [['Trial', { allocs: 1, gctimes: [0, 0, 0], memory: 64, params: [], times: [100, 110, 105] }]]
    ]
    const { format, benchmarks } = importText('t.json', pretty(doc), 'auto', nc)
    expect(format).toBe('julia')
    expect(benchmarks[0].metrics.map((m) => [m.name, m.samples])).toEqual([
      ['time', [100, 110, 105]],
      ['memory', [64]],
      ['allocs', [1]]
    ])
  })
})

describe('criterion sample.json', () => {
  it('refuses sample lists of different lengths', () => {
    const text = '{"sampling_mode":"Linear",\n "iters":[1,2],\n "times":[5]}'
    expect(errorOf(() => importText('sample.json', text, 'auto', nc))).toBe(
      'sample.json:3: times has 1 entries but iters has 2'
    )
  })
})
