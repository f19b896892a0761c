import { describe, expect, it } from '@jest/globals'
import { metricKey } from '../../src/results/model.js'
import { renderTrendCharts, stepLevels } from '../../src/report/chart.js'
import { MAX_SUMMARY_BYTES, renderReport, SUMMARY_MAX_ROWS } from '../../src/report/summary.js'
import { renderTerminalTable } from '../../src/report/terminal.js'
import { renderTrendChart } from '../../src/report/chart.js'
import { renderDeltaTable } from '../../src/report/tables.js'
import type { GateReport } from '../../src/types/report.js'
import { unknownEnvironment } from '../../src/results/environment.js'
import type { ResultSet } from '../../src/results/model.js'
import { noBaselineOutcome } from '../../src/stats/compare-sets.js'
import { comparison, report } from './helpers.js'

const history = (key: string, values: number[]): NonNullable<GateReport['history']> =>
  values.map((v, i) => ({
    sha: `${i}${'abcdef0'.repeat(6)}`.slice(0, 40),
    createdAt: `2026-11-0${i + 1}T00:00:00Z`,
    values: { [key]: v }
  }))

describe('renderTrendChart', () => {
  it('draws the most-changed metric over the history', () => {
    const chart = renderTrendChart(report({ history: history('inference / e2e', [100, 110, 88]) }))
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '    title "inference / e2e"',
        '    x-axis ["0abcdef", "1abcdef", "2abcdef"]',
        '    y-axis "ms" 85.8 --> 112.2',
        '    line [100, 110, 88]',
        '```'
      ].join('\n')
    )
  })

  it('draws the level beside the values where it stepped, and says where', () => {
    const values = [100, 101, 99, 100, 100.5, 120, 121, 119, 120.5, 120]
    const r = report({ history: history('inference / e2e', values) })
    const chart = renderTrendChart(r)!
    const lines = chart.split('\n').filter((l) => l.startsWith('    line ['))
    expect(lines).toHaveLength(2)
    const level = JSON.parse(lines[1].slice('    line '.length)) as number[]
    expect(new Set(level.slice(0, 5)).size).toBe(1)
    expect(new Set(level.slice(5)).size).toBe(1)
    expect(level[0]).toBeCloseTo(100.1, 0)
    expect(level[5]).toBeCloseTo(120.1, 0)
    expect(renderTrendCharts(r)).toMatch(
      /The level line steps at 5abcdef \+20\.0 % \(change points/
    )
  })

  it('draws no level line where the history holds its level', () => {
    const flat = [100, 101, 99, 100, 100.5, 100, 101, 99, 100.5, 100]
    const chart = renderTrendChart(report({ history: history('inference / e2e', flat) }))!
    expect(chart.match(/ {4}line \[/g)).toHaveLength(1)
  })

  it('finds history keyed by metricKey as well', () => {
    const chart = renderTrendChart(
      report({ history: history(metricKey('inference', 'e2e'), [1, 2]) })
    )
    expect(chart).toContain('line [1, 2]')
  })

  it('is absent with fewer than two points', () => {
    expect(renderTrendChart(report())).toBeNull()
    expect(renderTrendChart(report({ history: history('inference / e2e', [100]) }))).toBeNull()
    expect(renderTrendChart(report({ history: history('nothing / known', [1, 2]) }))).toBeNull()
  })

  it('strips what could break out of a label or the fence', () => {
    const name = 'a"b[c]d\n```\n%%{init}%%#35;<!-- x -->,e'
    const r = report({ history: history(`${name} / m`, [1, 2]) }, [
      comparison({ benchmark: name, metric: 'm', unit: 'u"]' })
    ])
    const chart = renderTrendChart(r)!
    const lines = chart.split('\n')
    expect(lines).toHaveLength(7)
    expect(lines[2]).toBe('    title "a b c d init 35 -- x -- e / m"')
    expect(lines[4]).toMatch(/^ {4}y-axis "u" \d/)
    expect(lines.slice(1, -1).join('\n')).not.toMatch(/[`<%#]/)
    for (const label of chart.match(/"[^"]*"/g) ?? []) expect(label).not.toMatch(/[,[\]]/)
  })
})

describe('stepLevels', () => {
  it('gives each point the geometric mean of its segment', () => {
    const want = [2, 2, 8, 8, 8, 8]
    stepLevels([1, 4, 8, 8, 8, 8], [2]).forEach((l, i) => expect(l).toBeCloseTo(want[i], 12))
    stepLevels([3, 3], []).forEach((l) => expect(l).toBeCloseTo(3, 12))
  })
})

describe('renderReport', () => {
  it('has the headline, reason, table, baseline and route', () => {
    const out = renderReport(report())
    expect(
      out.startsWith('## ❌ perf: fail\n\ninference/decode is confidently past its 5 % budget\n')
    ).toBe(true)
    expect(out).toContain(
      '**Route A**: fix needed. Baseline: `0123456` from 2026-11-20 on testbed gpu-2x.'
    )
    expect(out).toContain('perf: 2 regressions, 1 unchanged, 1 improvement')
    expect(out).toContain('| Benchmark | Metric | Baseline | Current | Δ | 90 % CI | Verdict |')
    expect(out).not.toContain('```mermaid')
  })

  it('adds the trend chart when there is a history', () => {
    expect(renderReport(report({ history: history('inference / e2e', [1, 2]) }))).toContain(
      '```mermaid\nxychart-beta'
    )
  })

  it('says when there is no baseline', () => {
    const r = report({ baseline: null }, [comparison({ verdict: 'neutral', valueChange: null })])
    const out = renderReport(r)
    expect(out).toContain('No baseline yet for testbed gpu-2x')
    expect(out).toContain('No route: nothing was decided.')
  })

  it('escapes the reason and testbed', () => {
    const out = renderReport(report({ testbed: '<b>@team</b>' }))
    expect(out).toContain('testbed &lt;b&gt;@\u200Bteam&lt;/b&gt;')
  })
})

/** `n` metrics, every 1000th a regression, the rest unchanged. */
function many(n: number, name = (i: number) => `metric-${i}`, metric = 'value') {
  return Array.from({ length: n }, (_, i) =>
    i % 1000 === 7
      ? comparison({ benchmark: name(i), metric, verdict: 'fail', valueChange: -0.3 })
      : comparison({ benchmark: name(i), metric, verdict: 'pass', valueChange: 0.001 })
  )
}

describe('renderReport at scale (#19 item 5)', () => {
  it('keeps the job summary under 1 MiB at 100,000 metrics, every regression shown', () => {
    const out = renderReport(report({}, many(100_000)))
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    const rows = out.split('\n').filter((l) => l.startsWith('| metric-'))
    expect(rows).toHaveLength(SUMMARY_MAX_ROWS)
    expect(rows.slice(0, 100).every((r) => r.includes('fail'))).toBe(true)
    expect(out).toContain(
      `… 99000 more rows (all unchanged) folded; every metric is in the report file and the raw results`
    )
  })

  it('fits the byte limit, not the character count, with multi-byte names', () => {
    // Names of 200 four-byte characters (two UTF-16 units each): 1,000 rows are about 0.9
    // million characters but 1.7 MB.
    const emoji = '😀'.repeat(200)
    const c = many(5000, (i) => `${emoji}${i}`, emoji)
    expect(renderDeltaTable(c, { maxRows: SUMMARY_MAX_ROWS }).length).toBeLessThan(
      MAX_SUMMARY_BYTES
    )
    const out = renderReport(report({}, c))
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(Buffer.byteLength(out)).toBeGreaterThan(MAX_SUMMARY_BYTES * 0.95)
    expect(out).toMatch(/… \d+ more rows \(all unchanged\) folded/)
  })

  it('folds within the budget its caller leaves for a note', () => {
    const out = renderReport(report({}, many(20_000)), { maxBytes: 200_000 })
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(200_000)
    expect(out).toMatch(/more rows \(all unchanged\) folded/)
  })
})

describe('renderTerminalTable', () => {
  it('aligns columns and ends with the verdict line', () => {
    const out = renderTerminalTable(report().outcome)
    expect(out.endsWith('\n')).toBe(true)
    const lines = out.trimEnd().split('\n')
    expect(lines.at(-1)).toBe('verdict: fail (2 regressions, 1 unchanged, 1 improvement)')
    expect(lines[0]).toMatch(
      /^Benchmark\s+Metric\s+Baseline\s+Current\s+Δ\s+CI \(90 %\)\s+Verdict$/
    )
    const table = lines.slice(0, 6)
    // Right-aligned Δ column: every row's Δ ends at the same column.
    const deltaEnd = table.map((l) => l.indexOf(' %  '))
    expect(new Set(deltaEnd.slice(2)).size).toBe(1)
    expect(lines[2]).toMatch(
      /^inference {2}decode {2}45\.2 tokens\/sec {2}41\.2 tokens\/sec {3}-8\.9 % {2}-11\.0 … -6\.8 % {2}fail$/
    )
  })

  it('strips control and bidi characters', () => {
    const out = renderTerminalTable(
      report({}, [comparison({ benchmark: 'ev\u001B[2Jil\u202Egnp.exe\nx' })]).outcome
    )
    expect(out).not.toContain('\u001B')
    expect(out).not.toContain('\u202E')
    expect(out).toContain('ev[2Jilgnp.exe x')
  })

  it('shows what a first run measured, median and spread, and why nothing was compared', () => {
    const first: ResultSet = {
      version: 1,
      testbed: 't',
      createdAt: '2026-11-22T10:00:00Z',
      commit: { sha: null },
      environment: unknownEnvironment(),
      benchmarks: [
        {
          name: 'BenchmarkMix',
          metrics: [
            {
              name: 'ns/op',
              unit: 'ns/op',
              direction: 'lower',
              class: 'non-critical',
              samples: [100, 110, 90, 100]
            },
            {
              name: 'allocs/op',
              unit: 'allocs/op',
              direction: 'lower',
              class: 'non-critical',
              samples: [0, 0, 0, 0]
            }
          ]
        }
      ]
    }
    const out = renderTerminalTable(noBaselineOutcome(first, 'no baseline yet for testbed t'))
    expect(out).toMatch(
      /^BenchmarkMix\s+ns\/op\s+n\/a\s+100 ns\/op \(CV 8\.2 %\)\s+n\/a\s+n\/a\s+neutral$/m
    )
    expect(out).toMatch(
      /^BenchmarkMix\s+allocs\/op\s+n\/a\s+0 allocs\/op\s+n\/a\s+n\/a\s+neutral$/m
    )
    expect(out).toContain(
      'Not compared:\n  BenchmarkMix/ns/op, BenchmarkMix/allocs/op: no baseline yet for testbed t'
    )
  })

  it('says when nothing was compared', () => {
    const out = renderTerminalTable(report({ baseline: null }, []).outcome)
    expect(out.split('\n')[0]).toBe('No metrics were compared.')
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'verdict: neutral (0 regressions, 0 unchanged, 0 improvements)'
    )
  })
})
