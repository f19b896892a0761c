import { describe, expect, it } from '@jest/globals'
import { buildFacts, deterministicSection } from '../../src/analyst/index.js'
import { importFile } from '../../src/importers/index.js'
import { unknownEnvironment } from '../../src/results/environment.js'
import type { ResultSet } from '../../src/results/model.js'
import { compareResultSets } from '../../src/stats/compare-sets.js'
import type { GateReport } from '../../src/types/report.js'
import { goldenReport } from '../report/golden-fixture.js'

/** A real tool's output as a result set (fixtures/<tool>/README.md says how it was recorded). */
async function imported(file: string, sha: string): Promise<ResultSet> {
  const { benchmarks } = await importFile(`fixtures/${file}`, 'auto', { class: 'non-critical' })
  return {
    version: 1,
    testbed: 't',
    createdAt: '2026-12-07T10:00:00Z',
    commit: { sha },
    environment: unknownEnvironment(),
    benchmarks
  }
}

function reportOf(baseline: ResultSet, current: ResultSet): GateReport {
  return {
    outcome: compareResultSets(baseline, current),
    testbed: 't',
    current: { sha: current.commit.sha, createdAt: current.createdAt },
    baseline: { sha: baseline.commit.sha, createdAt: baseline.createdAt },
    runId: '1-1',
    timestamp: '2026-12-07T10:05:00.000Z'
  }
}

const LLM_WORDS = /tokens\/s|TTFT|num_ctx|model digest|driver|Ollama|prompts/

describe('the deterministic analyst section', () => {
  it('advises a Go project on its own benchmarks, with no word about models', async () => {
    const base = await imported('go/real-work-count10.txt', 'a'.repeat(40))
    const slow = await imported('go/real-work-count10-slowed.txt', 'b'.repeat(40))
    const section = deterministicSection(buildFacts(reportOf(base, slow), slow, base))
    const text = [
      section.summary,
      ...section.recommendations.map((r) => r.text),
      ...section.risks.flatMap((r) => [r.risk, r.mitigation])
    ].join('\n')
    expect(text).not.toMatch(LLM_WORDS)
    expect(section.recommendations.map((r) => r.focus)).toEqual(['change', 'coverage', 'quality'])
    expect(section.recommendations[0]?.text).toMatch(/^BenchmarkKey \/ ns\/op changed \+\d+/)
    expect(section.risks[0]?.risk).toMatch(
      /^BenchmarkKey \/ ns\/op changed \+\d+.*and ships with the merge\.$/
    )
    // The allocation regression from 0 is a fact in its unit, not a metric "not compared".
    const facts = buildFacts(reportOf(base, slow), slow, base)
    expect(
      facts.metrics.find((m) => m.benchmark === 'BenchmarkKey' && m.metric === 'allocs/op')
    ).toMatchObject({ verdict: 'fail', changePct: null, absoluteChange: 1 })
    expect(text).not.toMatch(/was not compared and ships/)
  })

  it('counts compared metrics as the table does, and says how many were not compared', async () => {
    const base = await imported('go/real-work-count10.txt', 'a'.repeat(40))
    const cur = await imported('go/real-work-count10-slowed.txt', 'b'.repeat(40))
    // One benchmark only in this run: its three metrics are new, shown but not compared.
    cur.benchmarks.push({ ...cur.benchmarks[0], name: 'BenchmarkNew' })
    const report = reportOf(base, cur)
    const o = report.outcome
    const section = deterministicSection(buildFacts(report, cur, base))
    expect(o.comparisons).toHaveLength(9)
    expect(section.summary).toMatch(
      new RegExp(
        `^Verdict fail: ${o.regressions} regressions, ${o.unchanged} unchanged and ${o.improvements} improvements over 6 compared metrics; 3 not compared\\.`
      )
    )
    expect(o.regressions + o.unchanged + o.improvements).toBe(6)
    expect(section.recommendations[1]?.text).toBe(
      '3 metrics were not compared (new, too few samples, or another environment); the list under the table says why for each.'
    )
  })

  it('keeps the advice on decode speed and TTFT for runs that measure a model', () => {
    const { report, current, baseline } = goldenReport()
    const section = deterministicSection(buildFacts(report, current, baseline))
    expect(section.recommendations.map((r) => r.focus)).toEqual(['throughput', 'ttft', 'quality'])
    expect(section.risks.map((r) => r.risk).join('\n')).toMatch(/TTFT|model digest/)
  })
})
