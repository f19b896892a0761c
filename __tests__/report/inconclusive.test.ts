import { describe, expect, it } from '@jest/globals'
import { renderDeltaTable } from '../../src/report/tables.js'
import { renderTerminalTable } from '../../src/report/terminal.js'
import { compareMetric } from '../../src/stats/compare.js'
import { gate } from '../../src/stats/gate.js'
import { comparison, report, tableCells } from './helpers.js'

const open = comparison({
  metric: 'ttft',
  unit: 'ms',
  direction: 'lower',
  verdict: 'pass',
  valueChange: 0.03,
  ci: [-0.04, 0.11],
  inconclusive: true,
  runsToDecide: 24
})

describe('inconclusive metrics in the tables', () => {
  it('shows the change, its CI and the runs per arm that would decide it (markdown)', () => {
    const table = renderDeltaTable([open])
    const row = tableCells(table.split('\n')[2])
    expect(row.slice(4)).toEqual([
      '+3.0 %',
      '-4.0 … +11.0 %',
      '✅ pass (inconclusive: ~24 runs/arm would decide)'
    ])
  })

  it('shows the same in the terminal table', () => {
    const out = renderTerminalTable(report({}, [open]).outcome)
    expect(out.split('\n')[2]).toMatch(
      /\+3\.0 % {2}-4\.0 … \+11\.0 % {2}pass \(inconclusive: ~24 runs\/arm would decide\)$/
    )
  })

  it('says only "inconclusive" when no number of runs is estimated', () => {
    const table = renderDeltaTable([{ ...open, runsToDecide: undefined }])
    expect(tableCells(table.split('\n')[2]).at(-1)).toBe('✅ pass (inconclusive)')
  })

  it('says a metric cannot be decided at this noise past 100 runs per arm, not how many', () => {
    const noisy = { ...open, runsToDecide: 1_475_103 }
    const table = renderDeltaTable([noisy])
    expect(tableCells(table.split('\n')[2]).at(-1)).toBe(
      '✅ pass (inconclusive: cannot be decided at this noise)'
    )
    expect(table).not.toContain('1,475,103')
    expect(renderTerminalTable(report({}, [noisy]).outcome)).toContain(
      'pass (inconclusive: cannot be decided at this noise)'
    )
  })

  it('carries the estimate from the stats engine to the report', () => {
    // A noisy +4 % against a 5 % budget: neither ruled in nor out with 10 runs per arm.
    const c = compareMetric({
      benchmark: 'serve',
      metric: 'ttft',
      unit: 'ms',
      direction: 'lower',
      class: 'core',
      thresholds: { warn: 0.05, fail: 0.05 },
      current: [104, 98, 112, 101, 109, 95, 107, 114, 99, 106],
      baseline: [100, 96, 105, 99, 103, 94, 101, 108, 97, 102]
    })
    expect(c.inconclusive).toBe(true)
    // Over 100 runs per arm at this noise: the report says so rather than giving the number.
    expect(c.runsToDecide).toBeGreaterThan(100)
    const row = tableCells(renderDeltaTable(gate([c]).comparisons).split('\n')[2])
    expect(row.at(-1)).toBe('✅ pass (inconclusive: cannot be decided at this noise)')
  })
})
