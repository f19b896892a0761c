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
      ['BenchmarkFib10', 'go', 'benchmarks/results/raw/go/bench.txt'],
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

  it('takes Catch2 runs spread over the files of a glob as samples of one benchmark', async () => {
    // Catch2 prints one mean per run; a run per file (console or -r xml) adds a sample each.
    const runs = path.join(dir, 'catch2-runs')
    mkdirSync(runs)
    copyFileSync('fixtures/catch2/real-v2.xml', path.join(runs, 'run-1.xml'))
    copyFileSync('fixtures/catch2/real-v3-xml-x10.xml', path.join(runs, 'run-2.xml'))
    copyFileSync('fixtures/catch2/real-v2-console-x10.txt', path.join(runs, 'run-3.txt'))
    const { benchmarks } = await importFiles('catch2-runs/*', 'auto', nc, dir)
    expect(benchmarks.map((b) => [b.name, b.source?.file])).toEqual([
      ['Mix 1000', 'catch2-runs/run-1.xml']
    ])
    const samples = benchmarks[0].metrics[0].samples
    expect(samples).toHaveLength(1 + 10 + 10)
    expect(samples.slice(0, 3)).toEqual([1097.31, 1064.93, 1064.95])
  })

  it('records the GOMAXPROCS of Go files in the fingerprint, both values when they differ', async () => {
    const go = path.join(dir, 'go-two')
    mkdirSync(go)
    copyFileSync('fixtures/go/real-single.txt', path.join(go, 'a.txt'))
    copyFileSync('fixtures/go/go_fiber_output.txt', path.join(go, 'b.txt'))
    const { fingerprint } = await importFiles('go-two/*', 'auto', nc, dir)
    expect(fingerprint).toEqual({ 'go.gomaxprocs': '2 | 4' })
  })

  it('takes hyperfine runs over the files of a glob as more samples: user and system one per file', async () => {
    // hyperfine writes every run's wall time but only the mean user and system times.
    const { files, benchmarks } = await importFiles(
      'runs/loop/*.json',
      'auto',
      nc,
      path.resolve('fixtures/hyperfine')
    )
    expect(files).toHaveLength(5)
    expect(benchmarks.map((b) => [b.name, b.source?.file])).toEqual([
      ['loop', 'runs/loop/run-1.json']
    ])
    const byName = new Map(benchmarks[0].metrics.map((m) => [m.name, m]))
    expect([...byName.keys()]).toEqual(['time', 'user', 'system'])
    expect(byName.get('time')?.samples).toHaveLength(5 * 5)
    expect(byName.get('user')?.samples).toHaveLength(5)
    expect(byName.get('user')?.samples[0]).toBeCloseTo(0.0960199, 7)
    expect(byName.get('system')?.samples).toHaveLength(5)
    expect(byName.get('user')?.gate).toBe(false)
  })

  it('refuses a benchmark name defined by two files, naming both', async () => {
    const twice = path.join(dir, 'twice')
    mkdirSync(twice)
    copyFileSync('fixtures/googlebench/real-work-reps10.json', path.join(twice, 'a.json'))
    copyFileSync('fixtures/googlebench/real-work-reps10-slowed.json', path.join(twice, 'b.json'))
    expect(await errorOf(importFiles('twice/*.json', 'auto', nc, dir))).toBe(
      'twice/b.json: benchmark "BM_Mix/1000" is also in twice/a.json: each benchmark must come from one file'
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
