import { describe, expect, it } from '@jest/globals'
import { renderLedger } from '../../src/report/ledger.js'
import { renderMetricsTable } from '../../src/report/report-file.js'
import { recommendations, renderObservations } from '../../src/report/insights.js'
import { resolutionDetails, resolutionLine } from '../../src/report/resolution.js'
import { renderHeadline } from '../../src/report/summary.js'
import { renderDeltaTable, shownCentres } from '../../src/report/tables.js'
import { renderTerminalTable } from '../../src/report/terminal.js'
import { compareMetric } from '../../src/stats/compare.js'
import { gate } from '../../src/stats/gate.js'
import type { HistoryFacts, MetricComparison } from '../../src/stats/types.js'
import { comparison, report, tableCells } from './helpers.js'

/*
 * Issue 15, part 3: the reports say what the verdict used. The Baseline and Current columns agree
 * with Δ; the stored jobs' resolution is stated; "runs to decide" stops being a number past 100.
 */

function facts(over: Partial<HistoryFacts> = {}): HistoryFacts {
  return {
    jobs: 12,
    found: 12,
    beforeChangePoint: 0,
    runnerDrift: 0.05,
    tau: 0.041,
    tauHat: 0.038,
    df: 15,
    resolution: 0.14,
    budgetBelowResolution: true,
    priorOnly: false,
    ...over
  }
}

function judged(metric: string, over: Partial<HistoryFacts>, c: Partial<MetricComparison> = {}) {
  return comparison({ metric, verdict: 'pass', valueChange: 0.01, history: facts(over), ...c })
}

describe('the Baseline and Current columns agree with Δ', () => {
  // Throughput that sits at two levels in both arms: more of the baseline's runs at the low one,
  // more of this run's at the high one, while every level dropped by 12 %. The medians say +17 %,
  // the Hodges-Lehmann shift over every pair of runs says −12 %.
  const bimodal = compareMetric({
    benchmark: 'parse',
    metric: 'throughput',
    unit: 'ops/s',
    direction: 'higher',
    class: 'non-critical',
    thresholds: { warn: 0.05, fail: 0.1 },
    baseline: [44.8, 45.1, 45.0, 44.9, 45.2, 60.1, 59.8, 60.2, 60.0],
    current: [39.5, 39.7, 39.6, 39.4, 52.9, 52.7, 52.8, 53.0, 52.6]
  })

  it('shows the baseline median moved by Δ, marked, and says in words what the medians said', () => {
    expect(bimodal.current!.median / bimodal.baseline!.median - 1).toBeGreaterThan(0.15)
    expect(bimodal.valueChange).toBeLessThan(-0.1)
    const shown = shownCentres(bimodal)
    expect(shown.current! / shown.baseline! - 1).toBeCloseTo(bimodal.valueChange!, 12)
    const table = renderDeltaTable([bimodal])
    const row = tableCells(table.split('\n')[2])
    expect(row.slice(2, 5)).toEqual(['45.2 ops/s', '39.8 ops/s †', '-11.7 %'])
    expect(table).toContain(
      '† parse/throughput: Current is the baseline median moved by Δ, the shift over every pair of runs; ' +
        'the medians (45.2 ops/s → 52.7 ops/s, +16.6 %) disagree with it, so the runs likely sit at more than one level.'
    )
    // The report file's table and the terminal say the same.
    expect(renderMetricsTable([bimodal])).toContain('| 39.8 ops/s † | 45.2 ops/s |')
    expect(renderMetricsTable([bimodal])).toContain(
      'the medians (45.2 ops/s → 52.7 ops/s, +16.6 %)'
    )
    expect(renderTerminalTable(gate([bimodal]))).toContain('39.8 ops/s †')
  })

  it('keeps the medians where they agree with Δ', () => {
    const c = comparison({ valueChange: -0.089 })
    expect(shownCentres(c)).toEqual({ baseline: 45.2, current: c.current?.median })
    expect(renderDeltaTable([c])).not.toContain('†')
  })

  it("shows a rule's own centres when it has them", () => {
    const c = comparison({ valueChange: 0.07, centres: { baseline: 100, current: 107 } })
    expect(tableCells(renderDeltaTable([c]).split('\n')[2]).slice(2, 4)).toEqual([
      '100 tokens/sec',
      '107 tokens/sec'
    ])
  })
})

describe('what the stored jobs could resolve', () => {
  it('says it in one line: jobs, spread, resolution, and the finer budgets', () => {
    const line = resolutionLine([
      judged('a', { jobs: 12, resolution: 0.14 }),
      judged('b', { jobs: 12, resolution: 0.09, tau: 0.03, budgetBelowResolution: false }),
      judged('c', { jobs: 12, resolution: 0.22, tau: 0.06 }),
      comparison({ metric: 'two-sample' })
    ])
    expect(line).toBe(
      'Judged against stored jobs: 12 stored jobs, job-to-job spread 3–6 % (prior 5 %); stored baselines on this runner ' +
        'can confirm regressions past 14 % (9–22 % across 3 metrics); 2 of 3 budgets are finer than that: use `ab: true` to gate at 5 %.'
    )
  })

  it('with one stored job says the prior carries the decision', () => {
    const line = resolutionLine([
      judged('a', { jobs: 1, found: 1, tauHat: null, tau: 0.05, priorOnly: true, resolution: 0.27 })
    ])
    expect(line).toBe(
      'Judged against stored jobs: one stored job, so the 5 % runner-drift prior carries the decision; ' +
        'stored baselines on this runner can confirm regressions past 27 %; use `ab: true` to gate at 5 %.'
    )
  })

  it('says when the stored jobs drift well past the prior, and what would match them', () => {
    const line = resolutionLine([
      judged('a', { jobs: 10, tauHat: 0.093, tau: 0.082 }),
      judged('b', { jobs: 10, tauHat: 0.13, tau: 0.114 })
    ])
    expect(line).toMatch(
      / The stored jobs drift more than the 5 % prior: `runner-drift: 12%` would match them\.$/
    )
    // A few jobs are not enough to overrule the prior, and a spread near it needs no word.
    expect(resolutionLine([judged('a', { jobs: 3, tauHat: 0.13 })])).not.toMatch(/drift more/)
    expect(resolutionLine([judged('a', { jobs: 10, tauHat: 0.06 })])).not.toMatch(/drift more/)
  })

  it('is silent when no metric was judged against stored jobs', () => {
    expect(resolutionLine([comparison()])).toBeNull()
    expect(resolutionDetails([comparison()])).toBeNull()
    expect(renderHeadline(report())).not.toContain('stored jobs')
  })

  it('folds the per-metric table, escaped, with the jobs a change point left out', () => {
    const details = resolutionDetails([
      judged('a|<b>', { jobs: 8, found: 20, beforeChangePoint: 12 }),
      judged('b', { jobs: 20, budgetBelowResolution: false, resolution: 0.06 })
    ])
    expect(details).toContain('<details><summary>Stored-baseline resolution per metric</summary>')
    expect(details).toContain(
      '| inference | a\\|&lt;b&gt; | 8 (12 before a change point left out) | 4.1 % (seen 3.8 %) | 5 % | 14 % (finer budget: use `ab: true`) |'
    )
    expect(details).toContain('| inference | b | 20 | 4.1 % (seen 3.8 %) | 5 % | 6 % |')
  })

  it('puts the line and the folded table in the ledger, the line in the headline', () => {
    const r = report({}, [judged('a', {}), judged('b', { resolution: 0.2 })])
    const ledger = renderLedger(null, r)
    const line = resolutionLine(r.outcome.comparisons) ?? ''
    expect(ledger).toContain(line)
    expect(ledger.indexOf(line)).toBeLessThan(
      ledger.indexOf('Stored-baseline resolution per metric')
    )
    expect(renderHeadline(r)).toContain(line)
  })
})

describe('advice for an open metric', () => {
  const noisy = comparison({
    verdict: 'pass',
    valueChange: 0.03,
    inconclusive: true,
    runsToDecide: 1_475_103
  })

  it('past 100 runs per arm says it cannot be decided at this noise and what would help', () => {
    const r = report({}, [noisy])
    const observations = renderObservations(
      { outliers: [], spread: [], notes: [], inconclusive: [noisy] },
      []
    )
    expect(observations).toContain(
      'inference / decode: inconclusive; it cannot be decided at this noise (over 100 runs per arm): ' +
        'same-job A/B (ab: true), a quieter runner or more work per run (e.g. more requests) would help'
    )
    const recs = recommendations(r, { outliers: [], spread: [], notes: [], inconclusive: [noisy] })
    expect(recs.join('\n')).not.toMatch(/raise repetitions|1,475/)
    expect(recs.join('\n')).toContain('cannot be decided at this noise')
  })

  it('for a metric the stored jobs keep open, names their resolution and A/B', () => {
    const open = judged('a', { resolution: 0.23 }, { inconclusive: true })
    const observations = renderObservations(
      { outliers: [], spread: [], notes: [], inconclusive: [open] },
      []
    )
    expect(observations).toContain(
      'stored baselines on this runner can confirm regressions past 23 % only, and more runs here do not change that: same-job A/B (ab: true) would decide it'
    )
    expect(tableCells(renderDeltaTable([open]).split('\n')[2]).at(-1)).toBe(
      '✅ pass (inconclusive: stored baselines confirm only past 23 %)'
    )
  })
})
