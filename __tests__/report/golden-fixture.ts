import { readFileSync } from 'node:fs'
import path from 'node:path'
import { buildFacts, deterministicSection } from '../../src/analyst/index.js'
import { compareResultSets } from '../../src/stats/compare-sets.js'
import { trendHistory } from '../../src/engine/history.js'
import { ResultSet } from '../../src/results/model.js'
import type { ReportFileInput } from '../../src/report/report-input.js'
import type { GateReport } from '../../src/types/report.js'

/** The fixture comparison behind the golden report and ledger: two stored result sets, fixed clock. */
export const GOLDEN_DIR = path.resolve('fixtures/golden')

export function readSet(name: string): ResultSet {
  return ResultSet.parse(JSON.parse(readFileSync(path.join(GOLDEN_DIR, name), 'utf8')))
}

export function goldenReport(): { report: GateReport; current: ResultSet; baseline: ResultSet } {
  const baseline = readSet('baseline.json')
  const current = readSet('current.json')
  const outcome = compareResultSets(baseline, current)
  const report: GateReport = {
    outcome,
    testbed: current.testbed,
    current: { sha: current.commit.sha, createdAt: current.createdAt },
    baseline: { sha: baseline.commit.sha, createdAt: baseline.createdAt },
    runId: '42-1',
    runUrl: 'https://github.com/o/r/actions/runs/42/attempts/1',
    timestamp: '2026-11-22T10:05:00.000Z',
    history: trendHistory([baseline], current)
  }
  return { report, current, baseline }
}

export function goldenInput(): ReportFileInput {
  const { report, current, baseline } = goldenReport()
  return {
    report,
    current,
    baseline,
    comparisons: [{ name: 'Q5 vs Q4', a: 'llama-q4', b: 'llama-q5' }],
    workflow: {
      filesRead: [
        { type: 'config (perf-gate.yml)', count: 1 },
        { type: 'hyperfine file', count: 1 }
      ],
      phasesMs: { ingesting: 8, benchmarking: 312_400, analysing: 41, reporting: 12 }
    },
    rawData: [
      { label: 'Raw results (JSON)', path: '../raw/20261122T100000Z_abc1234.json' },
      { label: 'Source: tokenize.json', path: '../../../bench/tokenize.json' },
      { label: 'Ledger', path: '../../../.perf-gate/out/ledger.md' }
    ],
    analyst: deterministicSection(buildFacts(report, current, baseline))
  }
}
