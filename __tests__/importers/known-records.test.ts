import { describe, expect, it, jest } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { importInput } from '../../src/importers/index.js'
import { numberAt } from '../../src/importers/read/bytes.js'
import { KnownRecords } from '../../src/importers/read/known-records.js'
import { fileInput, stringInput } from '../../src/importers/read/source.js'
import type { ImportInput } from '../../src/importers/read/types.js'
import { errorOf, expectSameOutcome } from '../helpers/capture.js'
import { scratchFiles } from '../helpers/scratch.js'
import { mulberry32, type Rng } from '../helpers/random.js'

/**
 * Repeated records are read from their bytes (known-records.ts): llama-bench JSON Lines and
 * Google Benchmark repetitions, each file read twice (count, then fill). That path must give
 * exactly what parsing every record gives (the same content as a string, which never takes it),
 * refuse whatever it cannot vouch for, and leave every error to the usual way, line and all.
 */
const nc = { class: 'non-critical' as const }
const write = scratchFiles('pg-known-')

/** The same outcome from the file (bytes, streamed) and from its text: equal, or one message. */
function expectSame(file: string, format: string): void {
  expectSameOutcome(
    () => importInput(stringInput('r', readFileSync(file, 'utf8')), format, nc),
    () => importInput(fileInput(file, 'r', { streamAbove: 0 }), format, nc)
  )
}

/** `expectSame` for up to three one-character edits of `base`, from JSON's own characters. */
function expectSameMutated(base: string, format: string, extra: string, seed: number): void {
  const inserts = ['', ',', '"', '\\', ']', '[', '}', '{', '-', '1e999', 'x', ' ', extra]
  const edit = fc.tuple(fc.nat(), fc.constantFrom(...inserts))
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
      let text = base
      for (const [at, insert] of edits) {
        const i = at % text.length
        text = text.slice(0, i) + insert + text.slice(i + 1)
      }
      expectSame(write(text), format)
    }),
    { seed, numRuns: 400 }
  )
}

const buf = (s: string) => Buffer.from(s)

describe('numberAt', () => {
  it('gives the double Number() gives for any JSON number it is handed', () => {
    const digits = (k: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${k}}$`))
    const json = fc
      .tuple(digits(22), fc.option(digits(22)), fc.option(fc.integer({ min: -30, max: 30 })))
      .map(([int, frac, exp]) => {
        const i = int.replace(/^0+(?=\d)/, '')
        return `${i}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`
      })
    fc.assert(
      fc.property(
        fc.oneof(json, fc.double({ min: 0, noNaN: true, noDefaultInfinity: true })),
        (x) => {
          const text = typeof x === 'string' ? x : JSON.stringify(x)
          const b = buf(` ${text},`)
          expect(numberAt(b, 1, 1 + text.length)).toBe(Number(text))
        }
      ),
      { seed: 21, numRuns: 3000 }
    )
  })
})

describe('KnownRecords', () => {
  /** Records all numbers handed to a target, with its name. */
  function recorder() {
    const got: Array<[string, number[]]> = []
    const target = (name: string) => (r: KnownRecords) => {
      const values: number[] = []
      for (let c = 0; c < 2; c++)
        for (let k = 0; k < r.count(c); k++) values.push(r.numbers[r.start(c) + k] ?? NaN)
      got.push([name, values])
    }
    return { got, target }
  }

  it('sends a repeat to the target learnt from its first record, with its own numbers', () => {
    const known = new KnownRecords(['t'], ['s', 'm'])
    const { got, target } = recorder()
    expect(known.add(buf('{"n":"a","t":1,"s":[1,2.5],"m":3}'))).toBe(false)
    known.learn(target('a'))
    expect(known.add(buf('{"n":"b","t":1,"s":[4],"m":5}'))).toBe(false)
    known.learn(target('b'))
    // Varying fields and spaces do not matter; the others' raw text does.
    expect(known.add(buf('{"n":"a","t":9,"s":[7,8,9],"m":0.5}'))).toBe(true)
    expect(known.add(buf('  {"n" : "b","t":"x","s":[6],"m":1e2}\r'))).toBe(true)
    expect(known.add(buf('{"n":"\\u0061","t":1,"s":[1],"m":3}'))).toBe(false)
    expect(got).toEqual([
      ['a', [7, 8, 9, 0.5]],
      ['b', [6, 100]]
    ])
  })

  it("tells a captured field's shapes apart: a number, an array, absent", () => {
    const known = new KnownRecords([], ['s', 'm'])
    const { got, target } = recorder()
    expect(known.add(buf('{"n":1,"s":[1]}'))).toBe(false)
    known.learn(target('array'))
    for (const other of ['{"n":1,"s":1}', '{"n":1,"s":[1],"m":2}', '{"n":1}'])
      expect(known.add(buf(other))).toBe(false)
    expect(known.add(buf('{"n":1,"s":[3,4]}'))).toBe(true)
    expect(got).toEqual([['array', [3, 4]]])
  })

  it('keeps the last of a repeated captured key, as JSON.parse does', () => {
    const known = new KnownRecords([], ['s'])
    const { got, target } = recorder()
    known.add(buf('{"s":[1],"n":1}'))
    known.learn(target('x'))
    expect(known.add(buf('{"s":[1,2],"n":1,"s":[3]}'))).toBe(true)
    expect(got).toEqual([['x', [3]]])
  })

  it.each([
    ['a negative sample', '{"n":1,"s":[-1]}'],
    ['minus zero', '{"n":1,"s":[-0]}'],
    ['a string sample', '{"n":1,"s":["1"]}'],
    ['a null sample', '{"n":1,"s":[null]}'],
    ['an empty sample list', '{"n":1,"s":[]}'],
    ['a nested sample list', '{"n":1,"s":[[1]]}'],
    ['a sample that overflows', '{"n":1,"s":[1e309]}'],
    ["Python's NaN", '{"n":1,"s":[NaN]}'],
    ['a nested field', '{"n":{"a":1},"s":[1]}'],
    ['an array field', '{"n":[1],"s":[1]}'],
    ['an escaped key', '{"\\u006e":1,"s":[1]}'],
    ['an array root', '[{"n":1,"s":[1]}]'],
    ['an empty object', '{}'],
    ['content after the object', '{"n":1,"s":[1]} x'],
    ['a truncated object', '{"n":1,"s":[1]'],
    ['a trailing comma', '{"n":1,"s":[1],}'],
    ['a raw control character', '{"n":"a\u0001","s":[1]}']
  ])('refuses %s, and learns nothing from it', (_what, text) => {
    const known = new KnownRecords([], ['s'])
    const { got, target } = recorder()
    expect(known.add(buf(text))).toBe(false)
    known.learn(target('bad'))
    expect(known.add(buf(text))).toBe(false)
    expect(got).toEqual([])
  })

  it('reads a line only within its range, not into the next', () => {
    const known = new KnownRecords([], ['s'])
    const { got, target } = recorder()
    known.add(buf('{"n":1,"s":[1]}'))
    known.learn(target('x'))
    const two = buf('{"n":1,"s":[2\n]}{"n":1,"s":[3]}')
    expect(known.add(two, 0, two.indexOf('\n'))).toBe(false)
    // As an element of an array it may span lines; it ends at its brace, before the limit.
    expect(known.take(two, 0, two.length)).toBe(true)
    const end = known.end
    expect(end).toBe(two.indexOf('}') + 1)
    expect(known.take(two, 0, end - 1)).toBe(false)
    expect(known.add(two, end, two.length)).toBe(true)
    expect(got).toEqual([
      ['x', [2]],
      ['x', [3]]
    ])
  })

  it('replays a second pass to the same targets, and the records it refused to the usual way', () => {
    const known = new KnownRecords(['t'], ['s'])
    const { got, target } = recorder()
    const lines = [
      '{"n":"a","t":1,"s":[1]}',
      '{"n":"a","t":2,"s":[2]}',
      '{"n":"b","s":[3]}',
      '{"n":"a","s":[-4]}',
      '{"n":"b","s":[5]}'
    ].map(buf)
    const pass = () =>
      lines.map((l, i) => {
        if (known.add(l)) return true
        known.learn(target(`learnt at ${i}`))
        return false
      })
    expect(pass()).toEqual([false, true, false, false, true])
    known.replay()
    expect(pass()).toEqual([false, true, false, false, true])
    expect(got).toEqual([
      ['learnt at 0', [2]],
      ['learnt at 2', [5]],
      ['learnt at 0', [2]],
      ['learnt at 2', [5]]
    ])
  })
})

/** llama-bench JSON Lines with some lines the byte walk refuses, read as the text reads. */
function llamaLines(rng: Rng, count: number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)]
  const num = () => pick([`${(rng() * 9000).toFixed(3)}`, `${Math.floor(rng() * 9000)}`, '7.1e3'])
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const fields: Array<[string, string]> = [
      ['build_commit', '"8cf427ff"'],
      ['model_type', pick(['"qwen2 7B Q4_K - Medium"', '"llama 8B \\"Q8\\""'])],
      ['n_threads', pick(['4', '8'])],
      ['n_gpu_layers', pick(['0', '99'])],
      ['n_prompt', pick(['512', '0'])],
      ['n_gen', pick(['0', '128'])],
      ['test_time', `"2025-04-${10 + i}"`],
      ['avg_ts', num()],
      ['samples_ts', `[${Array.from({ length: 1 + Math.floor(rng() * 4) }, num).join(', ')}]`]
    ]
    const odd = rng()
    if (odd < 0.05)
      fields.splice(8, 1) // no samples: the mean stands in
    else if (odd < 0.1)
      fields.push(['extra', '{"a":1}']) // nested: read the usual way
    else if (odd < 0.13) fields.reverse()
    else if (odd < 0.15)
      fields.push(['samples_ts', `[${num()}]`]) // the last one counts
    else if (odd < 0.17) fields[2] = ['n_\\u0074hreads', '4'] // escaped key
    lines.push(`{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}`)
    if (rng() < 0.05) lines.push(pick(['', '  ', '[]']))
  }
  return lines.join(pick(['\n', '\r\n'])) + '\n'
}

describe('llama-bench JSON Lines, read twice from bytes', () => {
  it('imports mixed configurations exactly as their text does', () => {
    for (let seed = 1; seed <= 40; seed++)
      expectSame(write(llamaLines(mulberry32(seed), 60)), 'llama-bench')
  })

  it('parses only the first line of a configuration; its repeats are read from bytes', () => {
    const rng = mulberry32(2)
    const line = () =>
      `{"model_type":"qwen2","n_prompt":512,"n_gen":0,"test_time":"${rng()}","samples_ts":[${rng()},${rng()}]}`
    const file = write(Array.from({ length: 500 }, line).join('\n'))
    const parse = jest.spyOn(JSON, 'parse')
    try {
      const got = importInput(fileInput(file, 'r'), 'llama-bench', nc)
      // Telling JSON Lines apart, then the first line in each of the two passes.
      expect(parse.mock.calls.length).toBeLessThanOrEqual(3)
      expect(got.benchmarks[0]?.metrics[0]?.samples).toHaveLength(1000)
    } finally {
      parse.mockRestore()
    }
    expectSame(file, 'llama-bench')
  })

  it.each([
    ['a negative sample in a repeat', '{"n_prompt":512,"n_gen":0,"samples_ts":[-1]}'],
    ['a string sample in a repeat', '{"n_prompt":512,"n_gen":0,"samples_ts":["1"]}'],
    ['an empty sample list in a repeat', '{"n_prompt":512,"n_gen":0,"samples_ts":[]}'],
    ['an overflowing sample in a repeat', '{"n_prompt":512,"n_gen":0,"samples_ts":[1e999]}'],
    ['a truncated repeat', '{"n_prompt":512,"n_gen":0,"samples_ts":[1'],
    ["Python's Infinity", '{"n_prompt":512,"n_gen":0,"samples_ts":[Infinity]}']
  ])('fails on %s with the message and line the text gives', (_what, bad) => {
    const good = '{"n_prompt":512,"n_gen":0,"samples_ts":[1,2]}'
    const file = write([good, good, bad, good].join('\n'))
    expectSame(file, 'llama-bench')
    expect(errorOf(() => importInput(fileInput(file, 'r'), 'llama-bench', nc))).toMatch(/^r:3: /)
  })

  it('gives the outcome of the text for mutated files too: equal benchmarks or one message', () => {
    expectSameMutated(llamaLines(mulberry32(77), 12), 'llama-bench', '\n', 12)
  })

  it('refuses a file whose lines changed between the two passes', () => {
    const a = write('{"n_prompt":512,"n_gen":0,"samples_ts":[1,2]}\n')
    const b = write('{"n_prompt":512,"n_gen":0,"samples_ts":[1,2,3]}\n')
    const input = fileInput(a, 'r.jsonl')
    let reads = 0
    const changing: ImportInput = {
      ...input,
      byteReader: () => fileInput(reads++ === 0 ? a : b, 'r.jsonl').byteReader?.() as never
    }
    expect(errorOf(() => importInput(changing, 'llama-bench', nc))).toBe(
      'r.jsonl: changed while it was read; import it again once it is complete'
    )
  })
})

/** A Google Benchmark document with repetitions, aggregates, rates and refused records. */
function googleDocument(rng: Rng, count: number): string {
  const benchmarks: string[] = []
  const families = 1 + Math.floor(rng() * 4)
  for (let i = 0; i < count; i++) {
    const f = Math.floor(rng() * families)
    const name = `BM_case/${f}`
    const t = () => (rng() * 1000).toFixed(2)
    const fields: Array<[string, string]> = [
      ['name', `"${name}"`],
      ['run_name', `"${name}"`],
      ['run_type', '"iteration"'],
      ['repetition_index', String(i)],
      ['iterations', String(1000 + Math.floor(rng() * 10))],
      ['real_time', t()],
      ['cpu_time', t()],
      ['time_unit', f === 2 ? '"us"' : '"ns"']
    ]
    if (f % 2) fields.push(['items_per_second', (rng() * 1e6).toFixed(1)])
    const odd = rng()
    if (odd < 0.05)
      fields.splice(
        2,
        1,
        ['run_type', '"aggregate"'],
        ['aggregate_name', rng() < 0.5 ? '"mean"' : '"stddev"']
      )
    else if (odd < 0.1)
      fields.push(['my_counter', (rng() * 10).toFixed(3)]) // varies: never repeats
    else if (odd < 0.12) fields.push(['label', '"a \\"quoted\\" label"'])
    benchmarks.push(`{${fields.map(([k, v]) => `"${k}": ${v}`).join(', ')}}`)
  }
  return `{"context": {"date": "2026-01-01"}, "benchmarks": [\n${benchmarks.join(',\n')}\n]}\n`
}

describe('Google Benchmark, streamed and read twice from bytes', () => {
  it('imports repetitions, aggregates and rates exactly as the whole document does', () => {
    for (let seed = 1; seed <= 40; seed++)
      expectSame(write(googleDocument(mulberry32(seed), 80)), 'googlebench')
  })

  it('parses only the batches where a benchmark first appears', () => {
    const file = write(googleDocument(mulberry32(8), 3000).replace(/, "my_counter": [0-9.]+/g, ''))
    const parse = jest.spyOn(JSON, 'parse')
    try {
      importInput(fileInput(file, 'r', { streamAbove: 0 }), 'googlebench', nc)
      // The document around the array, and the first batch in each of the two passes.
      expect(parse.mock.calls.length).toBeLessThanOrEqual(6)
    } finally {
      parse.mockRestore()
    }
    expectSame(file, 'googlebench')
  })

  it('gives the outcome of the whole document for mutated files too', () => {
    expectSameMutated(googleDocument(mulberry32(78), 16), 'googlebench', ':', 13)
  })

  it('fails on a bad repetition with the message and line the whole document gives', () => {
    const doc = googleDocument(mulberry32(3), 30).replace(
      /"real_time": [0-9.]+/g,
      (m, at: number) => (at > 2000 && at < 2200 ? '"real_time": -5' : m)
    )
    expect(doc).toContain('-5')
    const file = write(doc)
    expectSame(file, 'googlebench')
    expect(
      errorOf(() => importInput(fileInput(file, 'r', { streamAbove: 0 }), 'googlebench', nc))
    ).toMatch(/^r:\d+: benchmarks\[\d+\]\.real_time must not be negative, got -5$/)
  })
})
