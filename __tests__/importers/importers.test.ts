import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { detectImporter, importText, makeInput } from '../../src/importers/index.js'
import { errorOf } from '../helpers/capture.js'

const fixture = (p: string): string => readFileSync(`fixtures/${p}`, 'utf8')
const nc = { class: 'non-critical' as const }

describe('hyperfine importer', () => {
  it('keeps every run time as a sample, in seconds, lower is better', () => {
    const { format, benchmarks } = importText(
      'h.json',
      fixture('hyperfine/hyperfine-two-commands.json'),
      'auto',
      nc
    )
    expect(format).toBe('hyperfine')
    expect(benchmarks.map((b) => b.name)).toEqual(['sleep 20ms', 'true'])
    const m = benchmarks[0].metrics[0]
    expect(m).toMatchObject({ name: 'time', unit: 's', direction: 'lower', class: 'non-critical' })
    expect(m.samples).toHaveLength(10)
    expect(m.samples.every((s) => s > 0.015 && s < 0.1)).toBe(true)
  })

  it('records the mean user and system times as one sample each, not gated', () => {
    const { benchmarks } = importText(
      'h.json',
      fixture('hyperfine/hyperfine-two-commands.json'),
      'auto',
      nc
    )
    const [, user, system] = benchmarks[0].metrics
    expect(user).toEqual({
      name: 'user',
      unit: 's',
      direction: 'lower',
      class: 'non-critical',
      samples: [0.0009813600000000001],
      gate: false
    })
    expect(system).toMatchObject({ name: 'system', samples: [0.000707788], gate: false })
    // The wall time stays the one gated measure.
    expect(benchmarks[0].metrics[0].gate).toBeUndefined()
  })

  it('imports a file without user and system times (mean only) with the time alone', () => {
    const { benchmarks } = importText(
      'h.json',
      '{"results": [{"command": "x", "mean": 0.5}]}',
      'hyperfine',
      nc
    )
    expect(benchmarks[0].metrics.map((m) => [m.name, m.samples])).toEqual([['time', [0.5]]])
  })

  it('refuses a negative user time with file and line', () => {
    const text = '{"results": [\n {"command": "x", "times": [0.1],\n  "user": -0.01}]}'
    expect(errorOf(() => importText('h.json', text, 'hyperfine', nc))).toBe(
      'h.json:3: results[0].user must not be negative, got -0.01'
    )
  })

  it('refuses a negative time with file and line', () => {
    const text = '{"results": [\n {"command": "x",\n  "times": [0.1,\n   -0.2]}]}'
    expect(errorOf(() => importText('h.json', text, 'hyperfine', nc))).toBe(
      'h.json:4: results[0].times[1] must not be negative, got -0.2'
    )
  })
})

describe('custom importers', () => {
  it('reads github-action-benchmark bigger-is-better files', () => {
    const { benchmarks } = importText(
      'c.json',
      fixture('custom/customBiggerIsBetter_output.json'),
      'customBiggerIsBetter',
      nc
    )
    expect(benchmarks).toHaveLength(2)
    expect(benchmarks[0].metrics[0]).toMatchObject({
      unit: 'req/s',
      direction: 'higher',
      samples: [70]
    })
  })

  it('reads smaller-is-better files, with numeric ranges', () => {
    const { benchmarks } = importText(
      'c.json',
      fixture('custom/customSmallerIsBetter_output2.json'),
      'customSmallerIsBetter',
      nc
    )
    expect(benchmarks[0].metrics[0]).toMatchObject({
      unit: 'ns',
      direction: 'lower',
      samples: [90.9439]
    })
  })

  it('accepts repeated samples in "values" and a per-entry direction', () => {
    const text = JSON.stringify([
      { name: 'decode', unit: 'tokens/s', values: [41.2, 40.9, 41.5] },
      { name: 'vram', unit: 'GiB', direction: 'lower', values: [7.5, 7.5] },
      { name: 'free', unit: 'MB', biggerIsBetter: true, value: 3 }
    ])
    const { format, benchmarks } = importText('c.json', text, 'auto', nc)
    expect(format).toBe('custom')
    expect(
      benchmarks.map((b) => [b.name, b.metrics[0].direction, b.metrics[0].samples.length])
    ).toEqual([
      ['decode', 'higher', 3],
      ['vram', 'lower', 2],
      ['free', 'higher', 1]
    ])
  })

  it('asks for a direction when the unit does not tell', () => {
    const text = '[\n  {"name": "mem", "unit": "Megabytes", "value": 100}\n]'
    expect(errorOf(() => importText('c.json', text, 'custom', nc))).toMatch(
      /^c\.json:2: \[0\]\.unit "Megabytes" does not say whether higher or lower is better/
    )
  })

  it.each([
    [
      'a string where a number belongs',
      '[\n{"name":"a","unit":"ms",\n"value":"12.5"}]',
      'c.json:3: [0].value must be a number, got the string "12.5"'
    ],
    [
      'an empty sample list',
      '[{"name":"a","unit":"ms",\n"values":[]}]',
      'c.json:2: [0].values is an empty sample list: the run recorded nothing'
    ],
    [
      'a duplicate name',
      '[{"name":"a","unit":"ms","value":1},\n{"name":"a","unit":"ms","value":2}]',
      'c.json:2: [1].name duplicates the benchmark name "a" first used at line 1'
    ],
    [
      'a missing value',
      '[{"name":"a","unit":"ms"}]',
      'c.json:1: [0] needs "value" (one number) or "values" (repeated samples)'
    ],
    ['an empty list', '[]', 'c.json:1: (root) is an empty list: the run recorded no benchmark']
  ])('refuses %s', (_what, text, message) => {
    expect(errorOf(() => importText('c.json', text, 'custom', nc))).toBe(message)
  })
})

describe('format detection', () => {
  it('detects from content, not from the file name', () => {
    expect(
      detectImporter(makeInput('results.txt', fixture('hyperfine/work-baseline.json'))).name
    ).toBe('hyperfine')
    expect(
      detectImporter(
        makeInput('hyperfine.json', fixture('custom/customSmallerIsBetter_output.json'))
      ).name
    ).toBe('custom')
  })

  it('names the candidates when nothing matches', () => {
    expect(errorOf(() => importText('x.json', '{"foo": 1}', 'auto', nc))).toMatch(
      /^x\.json: could not recognise the format; set format to one of: .*hyperfine/
    )
  })

  it('reports the syntax error of JSON that no format claims, with its line', () => {
    // Google Benchmark output cut inside its "context", before any benchmark: nothing is
    // recognisable, and the reason is that it does not parse.
    const cut = fixture('googlebench/real-work-reps10.json').slice(0, 800) + ' .x\n'
    expect(errorOf(() => importText('trunc.json', cut, 'auto', nc))).toMatch(
      /^trunc\.json:\d+: unexpected '\.x'/
    )
    expect(errorOf(() => importText('x.json', '{"a": 1,\n "b": .5}', 'auto', nc))).toBe(
      "x.json:2: unexpected '.5}': not valid JSON"
    )
  })

  it('reports a JSON syntax error rather than "unknown format"', () => {
    expect(
      errorOf(() => importText('x.json', '[{"name": "a",\n "value": NaN}]', 'auto', nc))
    ).toMatch(/^x\.json:2: \[0\]\.value is NaN, which JSON does not allow/)
  })

  it('names the candidates when the content matches several formats', () => {
    const text =
      'test bench_a ... bench:         135 ns/iter (+/- 24)\nBenchmarkA-8   1000   325 ns/op\n'
    expect(errorOf(() => importText('mixed.txt', text, 'auto', nc))).toBe(
      'mixed.txt: the content matches several formats (cargo, go); set format explicitly'
    )
    // Naming the format settles it.
    expect(importText('mixed.txt', text, 'go', nc).benchmarks.map((b) => b.name)).toEqual([
      'BenchmarkA'
    ])
  })

  it('refuses an empty file before guessing a format', () => {
    expect(errorOf(() => importText('e.txt', ' \n\n', 'auto', nc))).toBe(
      'e.txt: the file is empty: the run produced no results'
    )
  })

  it('refuses an unknown format name with the list of known ones', () => {
    expect(errorOf(() => importText('x.json', '[]', 'nosuchtool', nc))).toMatch(
      /^unknown format 'nosuchtool'; known formats: auto, perf-gate, hyperfine, custom, cargo, go, /
    )
  })
})
