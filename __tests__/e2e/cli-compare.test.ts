import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runDist } from '../helpers/dist.js'
import { lognormal, mulberry32, resultSet, timeBench } from '../helpers/results.js'

const tmp = mkdtempSync(path.join(tmpdir(), 'pg-cli-'))
function file(name: string, content: unknown): string {
  const p = path.join(tmp, name)
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return p
}

const rand = mulberry32(20261122)
const base = file('base.json', resultSet([timeBench('tokenize', lognormal(rand, 10, 100, 0.03))]))
const slower = file(
  'slower.json',
  resultSet([timeBench('tokenize', lognormal(rand, 10, 120, 0.03))])
)
const same = file('same.json', resultSet([timeBench('tokenize', lognormal(rand, 10, 100, 0.03))]))

describe('perf-gate compare (dist/cli.js)', () => {
  it('fails a clear regression: 10 samples each, +20 %, CV 3 %', () => {
    const r = runDist('cli.js', ['compare', '--baseline', base, '--current', slower, '--json'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.verdict).toBe('fail')
    const m = out.metrics[0]
    expect(m).toMatchObject({ benchmark: 'tokenize', metric: 'time', verdict: 'fail' })
    expect(m.change).toBeGreaterThan(0.15)
    expect(m.change).toBeLessThan(0.25)
    expect(m.ci[0]).toBeGreaterThan(0.1)
    expect(m.ci[0]).toBeLessThan(m.change)
    expect(m.ci[1]).toBeGreaterThan(m.change)
  })

  it('passes two draws from the same distribution', () => {
    const r = runDist('cli.js', ['compare', base, same, '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).verdict).toBe('pass')
  })

  it('compares real hyperfine exports: +20 % fails, an A/A pair passes', () => {
    const slow = runDist('cli.js', [
      'compare',
      'fixtures/hyperfine/work-baseline.json',
      'fixtures/hyperfine/work-slower-20pct.json'
    ])
    expect(slow.code).toBe(1)
    expect(slow.stdout).toMatch(/work/)
    expect(slow.stdout).toMatch(/verdict: fail/)
    const aa = runDist('cli.js', [
      'compare',
      'fixtures/hyperfine/work-baseline.json',
      'fixtures/hyperfine/work-same.json',
      '--json'
    ])
    expect(aa.code).toBe(0)
    expect(JSON.parse(aa.stdout).verdict).toBe('pass')
  })

  it('says neutral, with the reason, when there are too few samples', () => {
    const few = file('few.json', resultSet([timeBench('tokenize', [100, 101, 99])]))
    const r = runDist('cli.js', ['compare', base, few, '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.verdict).toBe('neutral')
    expect(out.metrics[0].reason).toMatch(/5/)
  })

  it.each([
    [
      'NaN',
      '[{"name": "a", "unit": "ms",\n  "values": [1, NaN]}]',
      /^perf-gate: .*bad-NaN\.json:2: \[0\]\.values\[1\] is NaN, which JSON does not allow/
    ],
    [
      'a string for a number',
      '[{"name": "a", "unit": "ms",\n  "value": "fast"}]',
      /^perf-gate: .*:2: \[0\]\.value must be a number, got the string "fast"/
    ],
    [
      'an empty sample list',
      '[{"name": "a", "unit": "ms", "values": []}]',
      /^perf-gate: .*:1: \[0\]\.values is an empty sample list/
    ],
    ['invalid JSON', '{"results": [', /^perf-gate: .*:1: the file ends early \(truncated JSON\?\)/]
  ])('refuses %s with one clear line and exit 2', (what, content, message) => {
    const bad = file(`bad-${what.split(' ')[0]}.json`, content)
    const r = runDist('cli.js', ['compare', base, bad])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('reports a missing file and a usage error with exit 2', () => {
    expect(runDist('cli.js', ['compare', base, path.join(tmp, 'nope.json')])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/nope\.json: file not found/)
    })
    expect(runDist('cli.js', ['compare', '--bogus'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^perf-gate: .*--bogus/)
    })
    expect(runDist('cli.js', ['frobnicate'])).toMatchObject({
      code: 2,
      stderr: "perf-gate: unknown command 'frobnicate'; run 'perf-gate --help'\n"
    })
  })

  it('imports a file and prints the results document', () => {
    const r = runDist('cli.js', [
      'import',
      'fixtures/hyperfine/hyperfine-two-commands.json',
      '--json'
    ])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({
      version: 1,
      benchmarks: [{ name: 'sleep 20ms' }, { name: 'true' }]
    })
    expect(doc.benchmarks[0].metrics[0].samples).toHaveLength(10)
  })
})
