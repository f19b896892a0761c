import { describe, expect, it } from '@jest/globals'
import { renderLedger } from '../../src/report/ledger.js'
import { renderReportFile } from '../../src/report/report-file.js'
import { renderReport } from '../../src/report/summary.js'
import { neutralReasonsBlock, renderDeltaTable } from '../../src/report/tables.js'
import type { ResultSet } from '../../src/results/model.js'
import { unknownEnvironment } from '../../src/results/environment.js'
import { compareResultSets } from '../../src/stats/compare-sets.js'
import type { MetricComparison } from '../../src/stats/types.js'
import { goldenInput } from './golden-fixture.js'
import { comparison, report } from './helpers.js'

/*
 * #20 item 1: why a metric was not compared used to show only under the terminal table; the
 * markdown tables (job summary, report file, ledger) now list the reasons too, escaped and bounded.
 */

function set(metrics: Record<string, number[]>): ResultSet {
  return {
    version: 1,
    testbed: 't',
    createdAt: '2026-11-22T10:00:00Z',
    commit: { sha: null },
    environment: unknownEnvironment(),
    benchmarks: [
      {
        name: 'BenchmarkMix',
        metrics: Object.entries(metrics).map(([name, samples]) => ({
          name,
          unit: name,
          direction: 'lower' as const,
          class: 'non-critical' as const,
          samples
        }))
      }
    ]
  }
}

// A real comparison: ns/op compared, B/op from two samples only, allocs/op negative (bad data).
const outcome = compareResultSets(
  set({ 'ns/op': [100, 101, 99, 100, 100], 'B/op': [16, 16], 'allocs/op': [1, 1, 1, 1, 1] }),
  set({ 'ns/op': [100, 102, 99, 101, 100], 'B/op': [16, 16], 'allocs/op': [1, -1, 1, 1, 1] })
)

const neutralRow = (i: number, reason: string): MetricComparison =>
  comparison({
    benchmark: `bench${i}`,
    metric: 'm',
    verdict: 'neutral',
    reason,
    valueChange: null,
    baseline: null
  })

describe('reasons under the markdown delta table', () => {
  it('lists why each neutral row was not compared, in the reason the engine gave', () => {
    const neutral = outcome.comparisons.filter((c) => c.verdict === 'neutral')
    expect(neutral.map((c) => c.metric).sort()).toEqual(['B/op', 'allocs/op'])
    const table = renderDeltaTable(outcome.comparisons)
    const block = table.slice(table.indexOf('Not compared'))
    expect(block.split('\n')[0]).toBe('Not compared (2 metrics):')
    expect(block).toContain(
      '- BenchmarkMix/B/op: need ≥ 5 samples per arm, have 2 \\(current\\) and 2 \\(baseline\\)'
    )
    // "#" and ">" escaped: a reason quotes what the tool wrote.
    expect(block).toMatch(
      /^- BenchmarkMix\/allocs\/op: current sample \\#\u200b2 is -1: samples must be &gt; 0 /m
    )
  })

  it('says nothing when every row was compared', () => {
    const table = renderDeltaTable([comparison(), comparison({ metric: 'x', verdict: 'pass' })])
    expect(table).not.toContain('Not compared')
    expect(neutralReasonsBlock([comparison()])).toBeNull()
  })

  it('escapes names and reasons: they come from benchmark output', () => {
    const table = renderDeltaTable([
      comparison({
        benchmark: 'b <!-- x --> [l](https://evil.example) @team',
        verdict: 'neutral',
        reason: 'bad *sample* <img src=x> | cell'
      })
    ])
    const block = table.slice(table.indexOf('Not compared'))
    expect(block).not.toContain('<!--')
    expect(block).not.toContain('](https://evil')
    expect(block).not.toContain('<img')
    expect(block).not.toContain('*sample*')
    expect(block.split('\n')).toHaveLength(3)
  })

  it('groups rows by reason and bounds the list, saying where the rest are', () => {
    const rows = [
      ...Array.from({ length: 6 }, (_, i) => neutralRow(i, 'same reason')),
      ...Array.from({ length: 5 }, (_, i) => neutralRow(10 + i, `reason ${i}`))
    ]
    const block = neutralReasonsBlock(rows, { max: 3, where: 'see the summary' })!
    const lines = block.split('\n')
    expect(lines[0]).toBe('Not compared (11 metrics):')
    expect(lines.slice(2)).toEqual([
      '- bench0/m, bench1/m, bench2/m, bench3/m and 2 more: same reason',
      '- bench10/m: reason 0',
      '- bench11/m: reason 1',
      '- … and 3 more reasons (see the summary)'
    ])
  })

  it("keeps folded rows' reasons: the neutral rows are the ones a cut table drops", () => {
    const rows = [comparison(), neutralRow(1, 'new metric: the baseline has no samples for it yet')]
    const table = renderDeltaTable(rows, { maxRows: 1 })
    expect(table).not.toMatch(/^\| bench1 /m)
    expect(table).toContain('- bench1/m: new metric: the baseline has no samples for it yet')
  })
})

describe('each markdown report lists the reasons', () => {
  const r = report({}, [...outcome.comparisons, comparison()])

  it('the job summary', () => {
    expect(renderReport(r)).toContain(
      '- BenchmarkMix/B/op: need ≥ 5 samples per arm, have 2 \\(current\\) and 2 \\(baseline\\)'
    )
  })

  it('the report file, under its metrics table', () => {
    const input = goldenInput()
    const out = renderReportFile({ ...input, report: { ...input.report, ...r } })
    const section = out.slice(out.indexOf('## Performance Metrics'), out.indexOf('## Per-GPU'))
    expect(section).toContain('Not compared (2 metrics):')
    expect(section).toContain(
      '- BenchmarkMix/B/op: need ≥ 5 samples per arm, have 2 \\(current\\) and 2 \\(baseline\\)'
    )
  })

  it('the ledger, cut to its first three reasons', () => {
    const rows = Array.from({ length: 5 }, (_, i) => neutralRow(i, `reason ${i}`))
    const ledger = renderLedger(null, report({}, [comparison(), ...rows]))
    expect(ledger).toContain('Not compared (5 metrics):')
    expect(ledger).toContain('- bench2/m: reason 2')
    expect(ledger).not.toContain('reason 3')
    expect(ledger).toContain(
      '- … and 2 more reasons (the job summary and the report file list more)'
    )
    // The summary lists all five.
    expect(renderReport(report({}, [comparison(), ...rows]))).toContain('- bench4/m: reason 4')
  })
})
