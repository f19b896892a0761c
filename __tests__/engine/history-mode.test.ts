import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { main } from '../../src/cli/main.js'
import { analyseHistory, runHistoryJob } from '../../src/engine/history-mode.js'
import type { Benchmark, ResultSet } from '../../src/results/model.js'
import { renderHistory } from '../../src/report/history.js'
import { lognormal, mulberry32, resultSet } from '../helpers/results.js'

const STEP_AT = 25

function sha(i: number): string {
  return (i.toString(16).padStart(4, '0') + 'c0ffee').repeat(4)
}

/**
 * 40 nightly baselines: decode speed drops 10 % from baseline #25 on, time to first token holds.
 * Each baseline is 10 samples with 2 % noise, as a real run would record.
 */
function series(seed = 11, n = 40): ResultSet[] {
  const rng = mulberry32(seed)
  return Array.from({ length: n }, (_, i) => {
    const benchmarks: Benchmark[] = [
      {
        name: 'llama70b-chat',
        metrics: [
          {
            name: 'decode_tps',
            unit: 'tokens/s',
            direction: 'higher',
            class: 'core',
            samples: lognormal(rng, 10, i < STEP_AT ? 40 : 36, 0.02)
          },
          {
            name: 'ttft_ms',
            unit: 'ms',
            direction: 'lower',
            class: 'core',
            samples: lognormal(rng, 10, 180, 0.02)
          },
          {
            name: 'output_tokens',
            unit: 'tokens',
            direction: 'higher',
            class: 'non-critical',
            gate: false,
            samples: [i < 10 ? 256 : 128]
          }
        ]
      }
    ]
    return resultSet(benchmarks, {
      testbed: 'dual-5090',
      commit: { sha: sha(i) },
      createdAt: new Date(Date.UTC(2026, 9, 1 + i, 2)).toISOString()
    })
  })
}

describe('change points over the baseline history', () => {
  it('finds the commit where a seeded step happened, and nothing in a steady metric', () => {
    const report = analyseHistory(series(), { testbed: 'dual-5090', location: 'local:x' })
    const decode = report.metrics.find((m) => m.metric === 'decode_tps')
    const ttft = report.metrics.find((m) => m.metric === 'ttft_ms')
    expect(decode?.points).toHaveLength(40)
    expect(decode?.steps).toHaveLength(1)
    const step = decode?.steps[0]
    expect(step?.index).toBe(STEP_AT)
    expect(step?.sha).toBe(sha(STEP_AT))
    expect(step?.createdAt).toBe('2026-10-26T02:00:00.000Z')
    expect(step?.change).toBeGreaterThan(-0.12)
    expect(step?.change).toBeLessThan(-0.08)
    expect(step?.before).toBeCloseTo(40, 0)
    expect(step?.after).toBeCloseTo(36, 0)
    expect(step?.worse).toBe(true)
    expect(ttft?.steps).toEqual([])
    // Context metrics (gate: false) are not part of the history.
    expect(report.metrics.map((m) => m.metric)).toEqual(['decode_tps', 'ttft_ms'])
  })

  it('gives the same answer every night for the same history', () => {
    const a = analyseHistory(series(), { testbed: 't', location: 'l' })
    const b = analyseHistory(series(), { testbed: 't', location: 'l' })
    expect(a.metrics).toEqual(b.metrics)
  })

  it('renders the step with its commit, size and levels, and a chart of that metric', () => {
    const md = renderHistory(
      analyseHistory(series(), { testbed: 'dual-5090', location: 'local:.perf-gate/baselines' })
    )
    expect(md).toContain('## perf history: testbed dual-5090')
    expect(md).toContain(
      '1 change point in 2 metrics over 40 baselines (2026-10-01 … 2026-11-09) in local:.perf-gate/baselines.'
    )
    const row = md.split('\n').find((l) => l.startsWith(`| \`${sha(STEP_AT).slice(0, 7)}\``))
    expect(row).toMatch(
      /^\| `0019c0f` \| 2026-10-26 \| llama70b-chat \| decode\\_tps \| -\d+\.\d % \| (39\.\d|40\.?\d?) tokens\/s \| (35\.\d|36\.?\d?) tokens\/s \| ⚠️ worse \|$/
    )
    expect(md).toContain('```mermaid\nxychart-beta\n    title "llama70b-chat / decode_tps"')
    // The values, and the level between the steps.
    expect(md.match(/^ {4}line \[/gm)).toHaveLength(2)
    expect(md).not.toContain('ttft')
  })

  it('says when there are too few baselines to look', () => {
    const md = renderHistory(analyseHistory(series(11, 4), { testbed: 't', location: 'l' }))
    expect(md).toContain(
      'Too few baselines to look for change points: at least 6 are needed, there are 4.'
    )
    expect(md).not.toContain('```mermaid')
  })

  it('escapes names from result files', () => {
    const sets = series().map((s) => ({
      ...s,
      benchmarks: s.benchmarks.map((b) => ({ ...b, name: '<img src=x>|@team' }))
    }))
    const md = renderHistory(analyseHistory(sets, { testbed: 't', location: 'l' }))
    expect(md).not.toContain('<img')
    expect(md).toContain('&lt;img src=x&gt;\\|@\u200Bteam')
    expect(md).toContain('title "img src x team / decode_tps"')
  })
})

describe('perf-gate history', () => {
  async function workspace() {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-history-'))
    writeFileSync(
      path.join(dir, 'perf-gate.yml'),
      'testbed: dual-5090\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*.json\n'
    )
    const store = new LocalBaselineStore(path.join(dir, 'baselines'))
    for (const set of series()) await store.write(set)
    return { dir, store }
  }

  it('reads every retained baseline, writes history.md and never fails', async () => {
    const { dir, store } = await workspace()
    const out = path.join(dir, 'out')
    const result = await runHistoryJob({
      configPath: path.join(dir, 'perf-gate.yml'),
      store,
      outDir: out,
      now: () => new Date('2026-11-22T03:00:00Z')
    })
    expect(result.changePoints).toBe(1)
    expect(result.report.baselines).toBe(40)
    expect(readFileSync(path.join(out, 'history.md'), 'utf8')).toBe(result.markdown)
  })

  it('is a CLI command that prints the report and exits 0', async () => {
    const { dir } = await workspace()
    let stdout = ''
    let stderr = ''
    const code = await main(
      [
        'history',
        '--config',
        path.join(dir, 'perf-gate.yml'),
        '--store',
        `local:${path.join(dir, 'baselines')}`,
        '--out',
        path.join(dir, 'out')
      ],
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }
    )
    expect(code).toBe(0)
    expect(stdout).toContain('| ⚠️ worse |')
    expect(stderr).toContain(`history: ${path.join(dir, 'out', 'history.md')}`)
  })
})
