import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { importInput, importText } from '../../src/importers/index.js'
import { fileInput, stringInput } from '../../src/importers/read/source.js'
import { streamDocument } from '../../src/importers/read/stream.js'
import { errorOf, expectSameOutcome } from '../helpers/capture.js'
import { scratchFiles } from '../helpers/scratch.js'
import { lognormal, mulberry32 } from '../helpers/random.js'

/**
 * Large JSON documents (pytest-benchmark, Google Benchmark, perf-gate's own results) are read a
 * record at a time. Here files are streamed whatever their size (`streamAbove: 0`): each must
 * import to exactly what the whole-document path gives, and each malformed one must fail with the
 * very message, line included, that the whole-document path words.
 */
const nc = { class: 'non-critical' as const }
const write = scratchFiles('pg-stream-', '.json')

const streamed = (file: string) => fileInput(file, 'r.json', { streamAbove: 0 })
const importStreamed = (file: string, format = 'auto') => importInput(streamed(file), format, nc)
/** A successful streamed import never reads the document whole. */
function importOnlyStreamed(file: string): ReturnType<typeof importInput> {
  const input = streamed(file)
  const got = importInput(
    {
      ...input,
      json: () => {
        throw new Error('read whole')
      }
    },
    'auto',
    nc
  )
  expect(input.streamed?.('benchmarks')).toBeDefined()
  return got
}
const importWhole = (file: string, format = 'auto') =>
  importInput(stringInput('r.json', readFileSync(file, 'utf8')), format, nc)

/** The same outcome either way: equal benchmarks, or the same error message. */
function expectSame(file: string, format = 'auto'): void {
  expectSameOutcome(
    () => importWhole(file, format),
    () => importStreamed(file, format)
  )
}

const pretty = (v: unknown): string => JSON.stringify(v, null, 2)

function resultsDocument(seed: number, benchmarks = 3): Record<string, unknown> {
  const rng = mulberry32(seed)
  return {
    version: 1,
    testbed: 'ci',
    createdAt: '2026-01-01T00:00:00Z',
    commit: { sha: null },
    environment: { os: 'linux', arch: 'x64', cpu: 'x', cpuCount: 2, memoryBytes: 1, node: '20' },
    benchmarks: Array.from({ length: benchmarks }, (_, i) => ({
      name: `bench ${i} [with "quotes", {braces}]`,
      metrics: [
        {
          name: 'time',
          unit: 'ms',
          direction: 'lower',
          class: 'core',
          samples: lognormal(rng, 50, 12, 0.1),
          warmup: [30]
        },
        {
          name: 'rate',
          unit: 'ops/s',
          direction: 'higher',
          class: 'non-critical',
          samples: lognormal(rng, 20, 800, 0.05),
          gate: false
        }
      ],
      notes: ['a note]}', 'x'],
      extraKey: { ignored: [1, 2] }
    })),
    note: 'end'
  }
}

describe('streamed import equals the whole-document import', () => {
  const fixtures = [
    'fixtures/pytest/pytest_output.json',
    'fixtures/pytest/pytest_several_units.json',
    'fixtures/googlebench/googlecpp_output.json',
    'fixtures/golden/current.json'
  ]
  it.each(fixtures)('%s', (fixture) => {
    const file = path.resolve(fixture)
    const got = importOnlyStreamed(file)
    expect(got.benchmarks.length).toBeGreaterThan(0)
    expect(got).toEqual(importWhole(file))
  })

  it('reads a perf-gate results document, pretty or on one line', () => {
    for (const text of [pretty(resultsDocument(1)), JSON.stringify(resultsDocument(2))]) {
      const file = write(text)
      const got = importOnlyStreamed(file)
      expect(got.format).toBe('perf-gate')
      expect(got.benchmarks[2]?.metrics[0]?.warmup).toEqual([30])
      expect(got).toEqual(importWhole(file))
    }
  })

  it('reads records larger than a batch on their own, and small ones in batches', () => {
    const rng = mulberry32(9)
    const bench = (i: number, rounds: number) => ({
      name: `t${i}`,
      fullname: `b.py::t${i}`,
      stats: { mean: 1, rounds, data: lognormal(rng, rounds, 1e-5, 0.1) }
    })
    const sizes = [3, 40_000, 5, 5, 60_000, 2]
    const file = write(
      JSON.stringify({ machine_info: {}, benchmarks: sizes.map((r, i) => bench(i, r)) })
    )
    const got = importOnlyStreamed(file)
    expect(got.benchmarks.map((b) => b.metrics[0]?.samples.length)).toEqual(sizes)
    expect(got).toEqual(importWhole(file))
  })

  it('reads thousands of small records, many batches of them, in order', () => {
    const rng = mulberry32(13)
    const runs = Array.from({ length: 3000 }, (_, i) => ({
      name: `BM_case/${i % 7}`,
      run_name: `BM_case/${i % 7}`,
      run_type: 'iteration',
      repetition_index: Math.floor(i / 7),
      iterations: 1000,
      real_time: 200 + rng(),
      cpu_time: 190 + rng(),
      time_unit: 'ns',
      items_per_second: 4e6 + rng()
    }))
    const file = write(JSON.stringify({ context: { date: 'x' }, benchmarks: runs }, null, 1))
    const got = importOnlyStreamed(file)
    // 3000 runs over 7 benchmarks: every repetition is a sample of its own benchmark.
    expect(got.benchmarks.map((b) => b.metrics[0]?.samples.length)).toEqual([
      429, 429, 429, 429, 428, 428, 428
    ])
    expect(got).toEqual(importWhole(file))
  })

  it('agrees with JSON.parse on any document, whatever its other keys and spacing', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.jsonValue()),
        fc.boolean(),
        (other, records, spaced) => {
          const doc = { ...other, benchmarks: records }
          const text = spaced ? JSON.stringify(doc, null, 1) : JSON.stringify(doc)
          const streamedDoc = streamDocument(write(text), 'r.json', 'benchmarks')
          expect(streamedDoc).toBeDefined()
          if (!streamedDoc) return
          expect([...streamedDoc.records()].map((r) => r.value)).toEqual(
            JSON.parse(JSON.stringify(records))
          )
          expect(streamedDoc.rest.value).toEqual({ ...JSON.parse(text), benchmarks: [] })
        }
      ),
      { seed: 5, numRuns: 60 }
    )
  })

  it('gives up on what it cannot vouch for, so the document is read whole', () => {
    const cannot = [
      '[{"benchmarks": []}]', // the root is not an object
      '{"benchmarks": {"a": 1}}', // not an array
      '{"other": [1]}', // no such key
      '{"benchmarks": [1], "benchmarks": [2]}', // JSON.parse would keep the second
      '{"benchmarks": [1,]}',
      '{"benchmarks": [1, 2]',
      '{"benchmarks": [1]} {}',
      '\ufeff{"benchmarks": [1]}'
    ]
    for (const text of cannot)
      expect(streamDocument(write(text), 'r.json', 'benchmarks')).toBeUndefined()
    // A key that only contains the name, escaped names, and keys deeper down are not it.
    const doc = streamDocument(
      write(
        '{"benchmarks2": [9], "a": {"benchmarks": [8]}, "bench\\u006darks": 1, "benchmarks": [ ]}'
      ),
      'r.json',
      'benchmarks'
    )
    expect(doc?.count).toBe(0)
    expect(doc?.rest.value).toEqual({ benchmarks2: [9], a: { benchmarks: [8] }, benchmarks: [] })
  })
})

describe('streamed import of a malformed file fails as the whole-document import does', () => {
  const pytest = (data: string, more = ''): string =>
    `{\n "machine_info": {},\n "benchmarks": [\n  {"name": "t", "fullname": "b.py::t",\n   "stats": {"mean": 2, "rounds": 3,\n    "data": [\n     1,\n     ${data},\n     3]}}${more}\n ],\n "version": "4.0.0"\n}\n`
  const cases: Array<[string, string, string]> = [
    [
      'a negative round',
      pytest('-2'),
      'r.json:8: benchmarks[0].stats.data[1] must not be negative, got -2'
    ],
    [
      'a round as a string',
      pytest('"2"'),
      'r.json:8: benchmarks[0].stats.data[1] must be a number, got the string "2"'
    ],
    [
      "Python's NaN",
      pytest('NaN'),
      "r.json:8: benchmarks[0].stats.data[1] is NaN, which JSON does not allow: the tool wrote a missing or invalid measurement (Python's json.dumps writes NaN by default)"
    ],
    [
      'a number that overflows',
      pytest('1e309'),
      'r.json:8: benchmarks[0].stats.data[1] is 1e309, too large to be a measurement (it overflows to Infinity)'
    ],
    [
      'a name used twice',
      pytest('2', ',\n  {"name": "t", "fullname": "b.py::t", "stats": {"mean": 1, "rounds": 1}}'),
      'r.json:10: benchmarks[1].fullname duplicates the benchmark name "b.py::t" first used at line 4'
    ],
    [
      'a truncated file',
      pytest('2').slice(0, 120),
      'r.json:6: the file ends early (truncated JSON?)'
    ]
  ]
  it.each(cases)('pytest: %s', (_what, text, message) => {
    const file = write(text)
    expect(errorOf(() => importStreamed(file, 'pytest'))).toBe(message)
    expectSame(file, 'pytest')
    expectSame(file)
  })

  it('Google Benchmark: an error a run reported, and a bad time unit', () => {
    const run = (extra: string): string =>
      `{"name": "BM_a", "run_type": "iteration", "real_time": 1, "cpu_time": 1, "time_unit": "ns"${extra}}`
    const doc = (extra: string): string =>
      `{"context": {},\n "benchmarks": [\n  ${run('')},\n  ${run(extra)}\n ]\n}`
    const failed = write(doc(', "error_occurred": true, "error_message": "oops"'))
    expect(errorOf(() => importStreamed(failed))).toBe(
      'r.json:4: benchmarks[1] BM_a reported an error: oops'
    )
    const unit = write(doc(', "time_unit": "parsecs"'))
    expect(errorOf(() => importStreamed(unit))).toBe(
      "r.json:4: benchmarks[1].time_unit is 'parsecs', not a time unit"
    )
    expectSame(failed)
    expectSame(unit)
  })

  it('perf-gate: a bad sample, a missing field, an empty list, a duplicated benchmark', () => {
    const text = pretty(resultsDocument(3, 2))
    const variants: Array<[string, string]> = [
      [
        text.replace(/("samples": \[\n\s+)[\d.]+/, '$1"slow"'),
        'r.json:26: benchmarks[0].metrics[0].samples[0] '
      ],
      [
        text.replace('"direction": "higher"', '"direction": "up"'),
        'benchmarks[0].metrics[1].direction must be "higher" or "lower"'
      ],
      [text.replace('"testbed": "ci"', '"testbed": ""'), 'r.json:3: testbed must be at least 1'],
      [
        text.replace(/"benchmarks": \[[\s\S]*\],\n {2}"note"/, '"benchmarks": [],\n  "note"'),
        'benchmarks must not be empty'
      ],
      [text.replace('bench 1 [', 'bench 0 ['), 'duplicates the benchmark name']
    ]
    for (const [bad, message] of variants) {
      const file = write(bad)
      expect(errorOf(() => importStreamed(file, 'perf-gate'))).toContain(message)
      expectSame(file, 'perf-gate')
    }
  })
})

describe('go values read in place', () => {
  it('are the numbers parseFloat reads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[0-9]{1,20}$/), fc.stringMatching(/^[0-9]{0,20}$/)), {
          minLength: 1,
          maxLength: 20
        }),
        (pairs) => {
          const raws = pairs.map(([a, b]) => (b ? `${a}.${b}` : a))
          const text = raws.map((r) => `BenchmarkX-8 \t 100\t ${r} ns/op\t 3 B/op`).join('\n')
          const { benchmarks } = importText('go.txt', text, 'go', nc)
          expect(benchmarks[0]?.metrics[0]?.samples).toEqual(raws.map((r) => parseFloat(r)))
        }
      ),
      { seed: 11, numRuns: 200 }
    )
  })
})
