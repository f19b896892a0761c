import { describe, expect, it } from '@jest/globals'
import type { ResultSet } from '../../src/results/model.js'
import { renderTrendCharts } from '../../src/report/chart.js'
import { comparatives } from '../../src/report/comparatives.js'
import { hotspots, hotspotLine } from '../../src/report/hotspots.js'
import { insightsOf, keyFindings, recommendations } from '../../src/report/insights.js'
import { findOutliers, scanLog } from '../../src/report/observations.js'
import { renderReportFile, reportFileName, REPORT_MAX_ROWS } from '../../src/report/report-file.js'
import { speedPhrase } from '../../src/report/speed.js'
import { comparison, report } from './helpers.js'
import { goldenInput, goldenReport } from './golden-fixture.js'

function set(
  metrics: Array<{ name: string; samples: number[]; warmup?: number[]; unit?: string }>
): ResultSet {
  return {
    version: 1,
    testbed: 't',
    createdAt: '2026-11-22T10:00:00Z',
    commit: { sha: null },
    environment: { os: 'linux', arch: 'x64', cpu: 'c', cpuCount: 1, memoryBytes: 1, node: 'v20' },
    benchmarks: [
      {
        name: 'b',
        metrics: metrics.map((m) => ({
          name: m.name,
          unit: m.unit ?? 'ms',
          direction: 'lower' as const,
          class: 'core' as const,
          samples: m.samples,
          ...(m.warmup ? { warmup: m.warmup } : {})
        }))
      }
    ]
  }
}

describe('speedPhrase', () => {
  it.each([
    [100, 112, 'higher', 'tokens/s', '1.12× faster'],
    [100, 89.3, 'higher', 'tokens/s', '1.12× slower'],
    [112, 100, 'lower', 'ms', '1.12× faster'],
    [100, 150, 'lower', 's', '1.50× slower'],
    [100, 100.2, 'lower', 'ms', 'about the same'],
    [100, 120, 'higher', 'tokens', '1.20× better'],
    [0, 1, 'higher', 'tokens/s', null]
  ] as const)('%d → %d (%s, %s): %s', (a, b, dir, unit, expected) => {
    expect(speedPhrase(a, b, dir, unit)).toBe(expected)
  })
})

describe('observations', () => {
  it('names outlying runs of any metric with run number, value and distance from the median', () => {
    const s = set([
      { name: 'ttft_ms', samples: [100, 101, 99, 100, 102], warmup: [600] },
      { name: 'output_tokens', unit: 'tokens', samples: [1200, 1190, 3, 1210] }
    ])
    const found = findOutliers(s)
    expect(found.map((o) => [o.metric, o.run, o.warmup, Number(o.ratio.toFixed(3))])).toEqual([
      ['output_tokens', 3, false, 0.003],
      ['ttft_ms', 1, true, 6]
    ])
    const out = renderReportFile({ ...goldenInput(), current: s, baseline: null })
    expect(out).toContain(
      '- b / ttft\\_ms warm-up run 1 (not gated): 600 ms, 6.0× the median of 100 ms'
    )
    expect(out).toContain(
      '- b / output\\_tokens run 3: 3 tokens, 398.3× below the median of 1,195 tokens'
    )
  })

  it('says how many more runs would decide an inconclusive metric', () => {
    const r = report({}, [comparison({ verdict: 'pass', inconclusive: true, runsToDecide: 24 })])
    const ins = insightsOf(r, set([{ name: 'x', samples: [1, 1, 1] }]))
    const out = renderReportFile({
      ...goldenInput(),
      report: r,
      current: set([{ name: 'x', samples: [1, 1, 1] }])
    })
    expect(out).toContain(
      '- inference / decode: inconclusive: about 14 more runs per arm would decide it'
    )
    expect(recommendations(r, ins).join('\n')).toContain(
      'raise repetitions to about 24 (14 more runs per arm)'
    )
  })

  it('finds warning and error lines in a log', () => {
    expect(
      scanLog('bench.log', 'ok\nWARNING: clock throttled\nfine\nCUDA error: out of memory\n')
    ).toEqual([
      { file: 'bench.log', line: 2, text: 'WARNING: clock throttled' },
      { file: 'bench.log', line: 4, text: 'CUDA error: out of memory' }
    ])
  })

  it('recommends a warm-up when a first-run cold start drives the spread', () => {
    const s = set([{ name: 'ttft_ms', samples: [900, 100, 101, 99, 100, 102] }])
    const r = report({}, [])
    const recs = recommendations(r, insightsOf(r, s))
    expect(recs[0]).toMatch(
      /^b \/ ttft\\_ms CV \d+ % is driven by run 1 \(9\.0× the median\), a first-run cold start: .*raise warmup to 1/
    )
  })
})

describe('executive summary', () => {
  it('has exactly three computed findings', () => {
    const { report: r, current } = goldenReport()
    const findings = keyFindings(r, current, insightsOf(r, current))
    expect(findings).toHaveLength(3)
    expect(findings[0]).toBe(
      'Verdict **fail**: 4 regressions, 5 unchanged, 0 improvements. **Route A**: fix needed.'
    )
    expect(findings[1]).toMatch(
      /^Largest change: llama-q4 \/ prompt\\_tps 1\.32× slower \(-23\.9 %/
    )
  })
})

describe('hotspot attribution', () => {
  it('lays a TTFT change at the stage that moved', () => {
    const { report: r, current, baseline } = goldenReport()
    const hs = hotspots(r.outcome.comparisons, current, baseline)
    const q4 = hs.find((h) => h.benchmark === 'llama-q4' && h.total === 'TTFT')!
    expect(q4.carriedBy).toBe('prompt eval')
    expect(hotspotLine(q4)).toBe(
      'TTFT +17.1 %: load unchanged, prompt eval +32.1 %; carried by prompt eval'
    )
    expect(hs.find((h) => h.benchmark === 'llama-q5' && h.total === 'TTFT')!.carriedBy).toBeNull()
  })
})

describe('comparative insights', () => {
  it('gives ratios with a CI for a declared comparison, and names a missing benchmark', () => {
    const { current } = goldenReport()
    const [c, missing] = comparatives(current, [
      { name: 'Q5 vs Q4', a: 'llama-q4', b: 'llama-q5' },
      { name: 'x', a: 'llama-q4', b: 'nope' }
    ])
    const ttft = c.rows.find((r) => r.metric === 'ttft_ms')!
    expect(ttft.ratio).toBeCloseTo(ttft.b / ttft.a, 10)
    expect(ttft.ci![0]).toBeLessThanOrEqual(ttft.ratio)
    expect(ttft.ci![1]).toBeGreaterThanOrEqual(ttft.ratio)
    expect(ttft.phrase).toBe('1.11× faster')
    expect(missing.missing).toEqual(['nope'])
  })
})

describe('trend charts', () => {
  it('draws the most-changed metrics, each with a text fallback', () => {
    const { report: r } = goldenReport()
    const out = renderTrendCharts(r, { max: 2 })!
    expect(out.match(/```mermaid\nxychart-beta/g)).toHaveLength(2)
    expect(out).toContain(
      'Trend of llama-q4 / prompt\\_tps (tokens/s), oldest first, last is this run: 0123456 2,407 → abc1234 1,822'
    )
  })
})

describe('reportFileName', () => {
  it('is <date>T<time>Z_<sha7>.md, so two runs of one commit on one day keep both reports', () => {
    expect(reportFileName('2026-11-22T10:00:00Z', 'ABCDEF1234567')).toBe(
      '2026-11-22T100000.000Z_abcdef1.md'
    )
    expect(reportFileName('2026-11-22T10:00:00Z', null)).toBe('2026-11-22T100000.000Z_nosha.md')
    const morning = reportFileName('2026-11-22T09:15:07.250Z', 'abcdef1234')
    const evening = reportFileName('2026-11-22T18:40:00.001Z', 'abcdef1234')
    expect(morning).toBe('2026-11-22T091507.250Z_abcdef1.md')
    expect(evening).not.toBe(morning)
    expect([evening, morning].sort()).toEqual([morning, evening])
  })
})

describe('untrusted text in the report', () => {
  it('escapes model output and benchmark names', () => {
    const evil = 'See [this](https://evil.example) @org/team <!-- perf-gate:ledger --> | x'
    const out = renderReportFile({
      ...goldenInput(),
      current: set([{ name: `m ${evil}`, samples: [1, 1, 50] }]),
      analyst: {
        source: 'model',
        model: 'm<b>',
        summary: evil,
        recommendations: [{ focus: 'quality', text: evil }],
        risks: [{ risk: evil, mitigation: evil }],
        dropped: { number: 0, entity: 0, script: 0 },
        kept: 4,
        filled: 0
      }
    })
    expect(out).not.toContain('<!-- perf-gate:ledger -->')
    expect(out).not.toContain('](https://evil')
    expect(out).not.toContain('@org')
    expect(out).not.toContain('<b>')
    expect(out).toContain('&lt;\\!-- perf-gate:ledger --&gt;')
  })
})

describe('the report file at 100,000 metrics (#19 item 5)', () => {
  it('keeps the worst 1,000 rows, folds the rest and links the raw results', () => {
    const comparisons = Array.from({ length: 100_000 }, (_, i) =>
      i % 1000 === 3
        ? comparison({ benchmark: `m${i}`, verdict: 'fail', valueChange: -0.3 })
        : comparison({ benchmark: `m${i}`, verdict: 'pass', valueChange: 0.001 })
    )
    const input = goldenInput()
    const out = renderReportFile({
      ...input,
      report: { ...input.report, ...report({}, comparisons) }
    })
    const rows = out.split('\n').filter((l) => /^\| m\d+ \|/.test(l))
    expect(rows).toHaveLength(REPORT_MAX_ROWS)
    expect(rows.slice(0, 100).every((r) => r.includes('fail'))).toBe(true)
    expect(out).toContain(
      '… 99000 more rows (all unchanged) folded; every metric, with its samples, is in the [raw results](../raw/20261122T100000Z_abc1234.json)'
    )
    // Before: 11.3 MB for 100,000 metrics.
    expect(Buffer.byteLength(out)).toBeLessThan(300_000)
  })
})
