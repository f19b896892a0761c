import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { importFile, importFiles } from '../../src/importers/index.js'
import { fileInput } from '../../src/importers/read/source.js'

const nc = { class: 'non-critical' as const }
let dir: string

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pg-importers-'))
  const raw = path.join(dir, 'benchmarks/results/raw')
  mkdirSync(path.join(raw, 'go'), { recursive: true })
  copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(raw, 'hyperfine.json'))
  copyFileSync('fixtures/go/real-single.txt', path.join(raw, 'go/bench.txt'))
  copyFileSync('fixtures/llama-bench/llama-bench.jsonl', path.join(raw, 'llama.jsonl'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const errorOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

describe('a directory or glob of mixed result files', () => {
  it('detects each file on its own and keeps the file each benchmark came from', async () => {
    const { files, benchmarks } = await importFiles('benchmarks/results/raw/**', 'auto', nc, dir)
    expect(files).toEqual([
      { file: 'benchmarks/results/raw/go/bench.txt', format: 'go', benchmarks: 1 },
      { file: 'benchmarks/results/raw/hyperfine.json', format: 'hyperfine', benchmarks: 1 },
      { file: 'benchmarks/results/raw/llama.jsonl', format: 'llama-bench', benchmarks: 2 }
    ])
    expect(benchmarks.map((b) => [b.name, b.source?.format, b.source?.file])).toEqual([
      ['BenchmarkFib10-2', 'go', 'benchmarks/results/raw/go/bench.txt'],
      ['work', 'hyperfine', 'benchmarks/results/raw/hyperfine.json'],
      ['pp512', 'llama-bench', 'benchmarks/results/raw/llama.jsonl'],
      ['tg128', 'llama-bench', 'benchmarks/results/raw/llama.jsonl']
    ])
  })

  it('takes a directory as every file under it, and a single file as itself', async () => {
    const all = await importFiles('benchmarks/results/raw', 'auto', nc, dir)
    expect(all.files.map((f) => f.file)).toHaveLength(3)
    const one = await importFiles('benchmarks/results/raw/hyperfine.json', 'auto', nc, dir)
    expect(one.files).toEqual([
      { file: 'benchmarks/results/raw/hyperfine.json', format: 'hyperfine', benchmarks: 1 }
    ])
  })

  it('refuses a benchmark name defined by two files, naming both', async () => {
    const twice = path.join(dir, 'twice')
    mkdirSync(twice)
    copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(twice, 'a.json'))
    copyFileSync('fixtures/hyperfine/work-same.json', path.join(twice, 'b.json'))
    expect(await errorOf(importFiles('twice/*.json', 'auto', nc, dir))).toBe(
      'twice/b.json: benchmark "work" is also in twice/a.json: each benchmark must come from one file'
    )
  })

  it('names the file at fault when one of them cannot be read', async () => {
    const bad = path.join(dir, 'bad')
    mkdirSync(bad)
    copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(bad, 'a.json'))
    writeFileSync(path.join(bad, 'b.json'), '{"results": [\n{"command": "x", "times": [1,')
    expect(await errorOf(importFiles('bad', 'auto', nc, dir))).toBe(
      'bad/b.json:2: the file ends early (truncated JSON?)'
    )
  })

  it("names criterion's sample.json files from the benchmark.json beside them", async () => {
    const { benchmarks } = await importFiles(
      'target/criterion/**/new/sample.json',
      'auto',
      nc,
      path.resolve('fixtures/criterion')
    )
    expect(benchmarks.map((b) => [b.name, b.source?.file, b.metrics.map((m) => m.name)])).toEqual([
      ['copy/4k', 'target/criterion/copy/4k/new/sample.json', ['time', 'throughput']],
      ['fib/15', 'target/criterion/fib/15/new/sample.json', ['time']]
    ])
  })

  it('says when nothing matches', async () => {
    expect(await errorOf(importFiles('nothing/**/*.json', 'auto', nc, dir))).toBe(
      `no file matches 'nothing/**/*.json' (looked in ${dir})`
    )
  })
})

describe('reading files', () => {
  it('streams lines across chunk boundaries: long lines, multi-byte characters, CRLF, BOM', () => {
    const long = 'x'.repeat(200_000)
    // Put a two-byte character across the first 64 KiB boundary.
    const first = 'a'.repeat((1 << 16) - 1 - 3) + 'é' + 'b'
    const text = '\ufeff' + 'one\r\n' + first + '\n' + long + '\r\n\nlast'
    const file = path.join(dir, 'lines.txt')
    writeFileSync(file, text)
    const got = [...fileInput(file).lines()]
    expect(got.map((l) => l.line)).toEqual([1, 2, 3, 4, 5])
    expect(got.map((l) => l.text)).toEqual(['one', first, long, '', 'last'])
  })

  it('reports a missing file and a directory plainly', async () => {
    expect(await errorOf(importFile(path.join(dir, 'none.json'), 'auto', nc))).toBe(
      `${path.join(dir, 'none.json')}: file not found`
    )
    expect(await errorOf(importFile(dir, 'auto', nc))).toBe(
      `${dir}: is a directory; import a file, or a glob`
    )
  })
})
