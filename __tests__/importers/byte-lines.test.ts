import { describe, expect, it, jest } from '@jest/globals'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { importInput } from '../../src/importers/index.js'
import { slimObject } from '../../src/importers/read/slim.js'
import { fileInput, stringInput } from '../../src/importers/read/source.js'
import { expectSameOutcome } from '../helpers/capture.js'
import { scratchFiles } from '../helpers/scratch.js'
import { mulberry32 } from '../helpers/random.js'

/**
 * JSON Lines from a file are read as bytes (source.ts `byteLines`), and vLLM's lines are slimmed
 * (slim.ts) so their per-request arrays are never parsed. Both are new paths beside the old ones
 * (decoded lines, whole lines parsed): each file must import exactly as the same content given as
 * a string does, and each malformed one must fail with the very message, line included.
 */
const nc = { class: 'non-critical' as const }
const write = scratchFiles('pg-bytes-', '.jsonl')

/** Decoded as they come: each line's bytes are reused for the next. */
function decoded(file: string): Array<{ text: string; line: number }> {
  const out = []
  for (const { bytes, line } of fileInput(file, 'r.jsonl').byteLines?.() ?? [])
    out.push({ text: bytes.toString('utf8'), line })
  return out
}
const lines = (file: string) => [...fileInput(file, 'r.jsonl').lines()]

/** The same outcome from the file and from its text: equal benchmarks, or the same message. */
function expectSame(file: string, format: string): void {
  expectSameOutcome(
    () => importInput(stringInput('r.jsonl', readFileSync(file, 'utf8')), format, nc),
    () => importInput(fileInput(file, 'r.jsonl'), format, nc)
  )
}

describe('byteLines', () => {
  it('cuts a file into the lines that lines() gives, byte for byte', () => {
    const pieces = ['\n', '\r\n', '\r', 'a', 'é', '€', '😀', '{"x":1}', ' ', '\t', '\u2028']
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.constantFrom(...pieces), { maxLength: 60 }),
        (bom, parts) => {
          const file = write((bom ? '\ufeff' : '') + parts.join(''))
          expect(decoded(file)).toEqual(lines(file))
        }
      ),
      { seed: 5, numRuns: 200 }
    )
  })

  it('reads lines longer than its buffer whole, however the file ends', () => {
    const rng = mulberry32(11)
    const letter = () => String.fromCharCode(97 + Math.floor(rng() * 26))
    // Runs of random letters: cheap to build, and a misplaced byte still shows.
    const long = (k: number) =>
      Array.from({ length: k / 1000 }, () => letter().repeat(Math.floor(rng() * 1000))).join('')
    for (const end of ['', '\n', '\r\n']) {
      // Longer, shorter and longer again: the buffer kept for long lines is reused and grown.
      const file = write(
        ['short', long(3_000_000), long(2_400_000), 'é' + long(5_000_000), 'x'].join('\r\n') + end
      )
      expect(decoded(file)).toEqual(lines(file))
    }
  })
})

describe('slimObject', () => {
  const keepNothing = () => false

  it('keeps scalars and kept keys, and empties other arrays and objects', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.constantFrom(0, 1),
        (o, indent) => {
          const text = JSON.stringify(o, null, indent)
          const keep = (k: string) => k.length % 2 === 0
          const slim = slimObject(Buffer.from(text), keep)
          expect(slim).toBeDefined()
          const want = JSON.parse(text) as Record<string, unknown>
          for (const [k, v] of Object.entries(want)) {
            if (v === null || typeof v !== 'object' || keep(k)) continue
            Object.defineProperty(want, k, { value: Array.isArray(v) ? [] : {} })
          }
          expect(JSON.parse(slim ?? '')).toEqual(want)
        }
      ),
      { seed: 3, numRuns: 300 }
    )
  })

  it('vouches only for text that JSON.parse accepts', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
        fc.nat(),
        fc.constantFrom('', ',', '"', '\\', ']', '}', '1e999', 'x', '\u0001', '-', '.', ' '),
        (o, at, insert) => {
          const text = JSON.stringify(o)
          const i = at % text.length
          const broken = text.slice(0, i) + insert + text.slice(i + 1)
          if (slimObject(Buffer.from(broken), keepNothing) !== undefined)
            expect(() => JSON.parse(broken) as unknown).not.toThrow()
        }
      ),
      { seed: 4, numRuns: 500 }
    )
  })

  it.each([
    ['an array root', '[{"a":1}]'],
    ['a truncated array', '{"a":[1,2}'],
    ['a raw control character', '{"a":["x\u0001"]}'],
    ['a number that overflows', '{"a":[1e309]}'],
    ['a long integer that overflows', `{"a":[${'9'.repeat(400)}]}`],
    ["Python's NaN", '{"a":[NaN]}'],
    ['a leading zero', '{"a":[01]}'],
    ['a bare point', '{"a":[1.]}'],
    ['a bad escape', '{"a":["\\x"]}'],
    ['a short unicode escape', '{"a":["\\u12"]}'],
    ['content after the object', '{"a":1} x'],
    ['a trailing comma', '{"a":1,}'],
    ['a missing colon', '{"a" 1}'],
    ['a cut literal', '{"a":[tru]}'],
    ['deep nesting', `{"a":${'['.repeat(300)}${']'.repeat(300)}}`]
  ])('leaves %s to the whole read', (_what, text) => {
    expect(slimObject(Buffer.from(text), keepNothing)).toBeUndefined()
  })
})

describe('JSON Lines from a file', () => {
  const rng = mulberry32(7)
  const run = (extra: Record<string, unknown> = {}, requests = 20) =>
    JSON.stringify({
      date: `2025-${Math.floor(rng() * 1e6)}`,
      backend: 'openai',
      model_id: 'llama3.1:8b',
      max_concurrency: 8,
      completed: requests,
      failed: 0,
      request_throughput: 1 + rng(),
      output_throughput: 60 + rng(),
      total_token_throughput: 500 + rng(),
      ttfts: Array.from({ length: requests }, () => rng()),
      itls: Array.from({ length: requests }, () => [rng(), rng()]),
      generated_texts: Array.from({ length: requests }, () => 'lorem "ipsum" é\n'),
      median_ttft_ms: 150 + rng(),
      p99_ttft_ms: 170 + rng(),
      ...extra
    })

  it.each(
    ['vllm', 'llama-bench'].flatMap((format) =>
      readdirSync(path.join('fixtures', format))
        .filter((f) => /\.jsonl?$/.test(f))
        .map((f) => [format, path.join('fixtures', format, f)])
    )
  )('imports the %s fixture %s as its text does', (format, file) => {
    expectSame(file, format)
  })

  it('imports vLLM runs, some larger than the read buffer, as their text does', () => {
    const lines = [run(), run({ max_concurrency: 1 }, 60_000), run(), run({}, 30_000), run()]
    for (const end of ['\n', '\r\n']) {
      const file = write('\ufeff' + lines.join(end) + end + end)
      expectSame(file, 'vllm')
      // The per-request arrays are what slimming leaves out; the runs are all still there.
      const got = importInput(fileInput(file), 'vllm', nc)
      expect(got.benchmarks.flatMap((b) => b.metrics[0]?.samples ?? [])).toHaveLength(5)
    }
  })

  it('never parses the per-request arrays of a vLLM file, nor decodes its long lines', () => {
    const file = write([run({}, 20_000), run({}, 20_000)].join('\n'))
    const parse = jest.spyOn(JSON, 'parse')
    const decode = jest.spyOn(Buffer.prototype, 'toString')
    try {
      importInput(fileInput(file), 'vllm', nc)
      const longest = (calls: unknown[][]) =>
        Math.max(...calls.map(([t]) => (typeof t === 'string' ? t.length : 0)))
      expect(longest(parse.mock.calls)).toBeLessThan(2000)
      const decoded = decode.mock.results.map((r) => (r.value as string).length)
      expect(Math.max(...decoded)).toBeLessThan(2000)
    } finally {
      parse.mockRestore()
      decode.mockRestore()
    }
  })

  it.each([
    ['an overflowing number in a per-request array', run().replace('"itls":[[', '"itls":[[1e309,')],
    [
      'an overflowing throughput',
      run().replace('"output_throughput":', '"output_throughput":1e309,"x":')
    ],
    ["Python's NaN in a per-request array", run().replace('"ttfts":[', '"ttfts":[NaN,')],
    ['a truncated run', run().slice(0, -40)],
    ['no completed request', run({ completed: 0 })],
    ['a negative throughput', run({ output_throughput: -1 })],
    ['a throughput given as an array', run({ output_throughput: [60] })],
    ['a run that is not an object', '[1, 2]'],
    ['a run of text', 'not json']
  ])('fails on %s with the message the text gives', (_what, bad) => {
    expectSame(write([run(), run(), bad, run()].join('\n')), 'vllm')
    expectSame(write([bad, run()].join('\n')), 'vllm')
  })

  it('fails on a malformed llama-bench line with the message the text gives', () => {
    const row = (ts: unknown) =>
      JSON.stringify({ n_prompt: 512, n_gen: 0, avg_ts: 100, samples_ts: ts })
    for (const bad of [row([1, -2]), row('x'), row([1]).slice(0, -3), '{"n_gen":1e999}'])
      expectSame(write([row([1, 2]), bad, row([3])].join('\n')), 'llama-bench')
  })
})
