import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runDist } from '../helpers/dist.js'

/*
 * What a first use with five real tools found (issue 20), replayed on their committed outputs
 * (fixtures/<tool>/README.md says how each was recorded): each tool's run made 30 % slower
 * fails, and the tool-specific traps are handled.
 */
const tmp = mkdtempSync(path.join(tmpdir(), 'pg-real-tools-'))
function config(name: string, text: string): string {
  const p = path.join(tmp, name)
  writeFileSync(p, text)
  return p
}

const compare = (...args: string[]) => runDist('cli.js', ['compare', ...args])
const json = (...args: string[]) => {
  const r = compare(...args, '--json')
  return { code: r.code, out: JSON.parse(r.stdout) as CompareJson, stderr: r.stderr }
}
interface CompareJson {
  verdict: string
  reason: string
  metrics: Array<{
    benchmark: string
    metric: string
    verdict: string
    change: number | null
    absoluteChange?: number
    reason: string
  }>
}

describe('real tools, normal against 30 % slower (dist/cli.js)', () => {
  it.each([
    ['catch2/real-v2-console-x10.txt', 'catch2/real-v2-console-x10-slowed.txt', 'Mix 1000'],
    ['catch2/real-v3-xml-x10.xml', 'catch2/real-v3-xml-x10-slowed.xml', 'Mix 1000'],
    ['pytest/real-work.json', 'pytest/real-work-slowed.json', 'test_work.py::test_mix'],
    ['hyperfine/loop.json', 'hyperfine/loop-slowed.json', 'loop']
  ])('fails %s against %s', (base, slow, bench) => {
    const r = json(`fixtures/${base}`, `fixtures/${slow}`)
    expect(r.code).toBe(1)
    const m = r.out.metrics.find((x) => x.benchmark === bench)
    expect(m?.verdict).toBe('fail')
    expect(m?.change).toBeGreaterThan(0.2)
  })
})

describe('Go: an allocation regression and GOMAXPROCS', () => {
  it('fails 0 → 1 allocs/op and 0 → 8 B/op, shown as absolute changes from 0', () => {
    const r = compare(
      'fixtures/go/real-work-count10.txt',
      'fixtures/go/real-work-count10-slowed.txt'
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /BenchmarkKey\s+allocs\/op\s+0 allocs\/op\s+1 allocs\/op\s+\+1 allocs\/op\s+n\/a\s+fail/
    )
    expect(r.stdout).toMatch(/BenchmarkKey\s+B\/op\s+0 B\/op\s+8 B\/op\s+\+8 B\/op\s+n\/a\s+fail/)
    expect(r.stdout).toMatch(/BenchmarkKey\/allocs\/op \+1 allocs\/op \(was 0\)/)
    const { out } = json(
      'fixtures/go/real-work-count10.txt',
      'fixtures/go/real-work-count10-slowed.txt'
    )
    expect(
      out.metrics.find((m) => m.metric === 'allocs/op' && m.benchmark === 'BenchmarkKey')
    ).toMatchObject({ verdict: 'fail', change: null, absoluteChange: 1 })
    // 0 on both sides is compared too, and unchanged.
    expect(
      out.metrics.find((m) => m.metric === 'allocs/op' && m.benchmark === 'BenchmarkMix')
    ).toMatchObject({ verdict: 'pass', change: 0 })
  })

  it('only warns on a change from 0 with from-zero: warn', () => {
    const cfg = config(
      'from-zero.yml',
      'from-zero: warn\nthresholds:\n  metrics:\n    ns/op: { warn: 500%, fail: 500% }\n'
    )
    const r = json(
      'fixtures/go/real-work-count10.txt',
      'fixtures/go/real-work-count10-slowed.txt',
      '--config',
      cfg
    )
    expect(r.out.verdict).toBe('warn')
    expect(r.code).toBe(0)
  })

  it('names benchmarks without the GOMAXPROCS suffix, and will not compare 2 with 4 silently', () => {
    const r = compare('fixtures/go/real-work-count10.txt', 'fixtures/go/real-work-count10-cpu4.txt')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^BenchmarkMix\s+ns\/op\s+3,170 ns\/op\s+3,296 ns\/op\s+n\/a\s+n\/a\s+neutral$/m
    )
    expect(r.stdout).toMatch(
      /reason: not compared: the environment differs from the baseline \(go\.gomaxprocs 2 → 4\)/
    )
    // Allowed, the same benchmarks are compared.
    const allowed = json(
      'fixtures/go/real-work-count10.txt',
      'fixtures/go/real-work-count10-cpu4.txt',
      '--allow-fingerprint-changes',
      'go.gomaxprocs'
    )
    expect(allowed.out.metrics.filter((m) => m.verdict !== 'neutral')).toHaveLength(6)
  })

  it('shows why a metric was not compared under the table, not only in --json', () => {
    const r = compare('fixtures/go/real-work-count10.txt', 'fixtures/go/real-work-count10-cpu4.txt')
    expect(r.stdout).toMatch(
      /Not compared:\n {2}BenchmarkMix\/ns\/op, .* and 2 more: not compared: the environment differs/
    )
  })
})

describe("Google Benchmark: which of a tool's measures is gated", () => {
  const base = 'fixtures/googlebench/real-work-reps10.json'
  const slow = 'fixtures/googlebench/real-work-reps10-slowed.json'

  it('gates real_time by default, which the load on the machine hid', () => {
    const r = json(base, slow)
    expect(r.out.metrics.map((m) => m.metric)).toEqual(['real_time'])
    expect(r.out.verdict).not.toBe('fail')
  })

  it('gates cpu_time too with metrics: { cpu_time: { gate: true } }, and it fails +30 %', () => {
    const cfg = config('cpu.yml', 'metrics:\n  cpu_time: { gate: true }\n')
    const r = json(base, slow, '--config', cfg)
    expect(r.code).toBe(1)
    const cpu = r.out.metrics.find((m) => m.metric === 'cpu_time')
    expect(cpu?.verdict).toBe('fail')
    expect(cpu?.change).toBeGreaterThan(0.25)
  })

  it('gates cpu_time alone when real_time is turned off', () => {
    const cfg = config(
      'cpu-only.yml',
      'metrics:\n  cpu_time: { gate: true }\n  real_time: { gate: false }\n'
    )
    expect(json(base, slow, '--config', cfg).out.metrics.map((m) => m.metric)).toEqual(['cpu_time'])
  })
})

describe('a gate job on imported results applies the top-level metrics of its config', () => {
  it('fails +30 % cpu_time when the config gates it, from a stored baseline', () => {
    const dir = mkdtempSync(path.join(tmp, 'job-'))
    // runner-drift 0: the within-job rule against the one stored baseline.
    writeFileSync(
      path.join(dir, 'perf-gate.yml'),
      'runner-drift: 0\nmetrics:\n  cpu_time: { gate: true }\n'
    )
    const store = ['--store', `local:${path.join(dir, 'store')}`, '--out', path.join(dir, 'out')]
    const raw = ['--raw-dir', path.join(dir, 'raw')]
    const fixture = (f: string) => path.resolve('fixtures/googlebench', f)
    const base = runDist(
      'cli.js',
      ['baseline', ...store, ...raw, '--results', fixture('real-work-reps10.json')],
      { cwd: dir }
    )
    expect(base.code).toBe(0)
    const gate = runDist(
      'cli.js',
      ['gate', ...store, ...raw, '--results', fixture('real-work-reps10-slowed.json')],
      { cwd: dir }
    )
    expect(gate.code).toBe(1)
    expect(gate.stdout).toMatch(/BM_Mix\/1000\s+cpu_time\s+.*\+30\.\d %.*fail/)
  })
})

describe('compare refuses what cannot be compared', () => {
  it('exits 2 naming what each side holds when the files share no benchmark', () => {
    const r = compare(
      'fixtures/googlebench/real-work-reps10.json',
      'fixtures/go/real-work-count10.txt'
    )
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      'perf-gate: nothing to compare: the two sides share no benchmark; fixtures/googlebench/real-work-reps10.json (googlebench) holds BM_Mix/1000; fixtures/go/real-work-count10.txt (go) holds BenchmarkMix, BenchmarkKey\n'
    )
  })
})
