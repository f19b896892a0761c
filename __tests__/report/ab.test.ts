import { describe, expect, it } from '@jest/globals'
import { abNote, abText } from '../../src/report/ab.js'
import { renderLedger } from '../../src/report/ledger.js'
import { openAdvice } from '../../src/report/observations.js'
import { renderHeadline } from '../../src/report/summary.js'
import { renderDeltaTable } from '../../src/report/tables.js'
import type { AbRun } from '../../src/types/report.js'
import { comparison, report, tableCells } from './helpers.js'

const run = (over: Partial<AbRun> = {}): AbRun => ({
  base: { sha: 'abc1234'.padEnd(40, '0'), how: 'merge-base of main and HEAD' },
  head: { sha: 'def5678'.padEnd(40, '0'), dirty: false },
  seed: 1234,
  order: 'balanced',
  benchmarks: [{ name: 'work', pairs: 10 }],
  stored: [],
  added: [],
  removed: [],
  budgetChanges: [],
  builds: [],
  ...over
})

const LINE = 'A/B in this job: base `abc1234` vs head `def5678`, 10 interleaved pairs (seed 1234).'

describe('the A/B paragraph of the reports', () => {
  it('is in the ledger details and the headline (check run, job summary) where the baseline line was', () => {
    const r = report({ ab: run() })
    expect(renderLedger(null, r)).toContain(LINE)
    expect(renderHeadline(r)).toContain(LINE)
    expect(abText(r)).toMatch(
      /^A\/B in this job: base abc1234 vs head def5678, 10 interleaved pairs \(seed 1234\)\./
    )
  })

  it('leaves a run without A/B as it was', () => {
    expect(abNote(report(), null)).toBeNull()
    expect(abText(report())).toBeNull()
    expect(renderHeadline(report())).not.toContain('A/B')
  })

  it('names the order, the range of pairs and uncommitted changes', () => {
    const r = report({
      ab: run({
        order: 'abba',
        head: { sha: 'def5678'.padEnd(40, '0'), dirty: true },
        benchmarks: [
          { name: 'a', pairs: 10 },
          { name: 'b', pairs: 20 }
        ]
      })
    })
    expect(abNote(r, null)).toContain(
      'base `abc1234` vs head `def5678` with uncommitted changes, 10 to 20 interleaved pairs per benchmark (ABBA blocks, seed 1234).'
    )
  })

  it("says what the PR's config changes, what was stored, new or removed, and the build time, escaped", () => {
    const r = report({
      ab: run({
        budgetChanges: ['core.fail 5 % → 20 %', 'work_*x*.class core → non-critical'],
        stored: ['imported'],
        added: ['@team/new'],
        removed: ['old'],
        builds: [
          { tree: 'base', benchmark: null, ms: 12_300 },
          { tree: 'head', benchmark: null, ms: 11_000 },
          { tree: 'head', benchmark: 'work', ms: 900 }
        ]
      })
    })
    const note = abNote(r, null) ?? ''
    expect(note).toContain(
      "This PR changes core.fail 5 % → 20 %, work\\_\\*x\\*.class core → non-critical; the base's budgets were used."
    )
    expect(note).toContain(
      'Not compared (kind: file cannot be re-run, and there is no stored baseline): imported.'
    )
    expect(note).toContain('New in this tree, not gated: @\u200Bteam/new.')
    expect(note).toContain('Only in the base, not gated: old.')
    expect(note).toContain('Build time (not gated): base 12.3 s, head 11.9 s.')
    expect(abNote(r, 'Baseline: `1111111` (the merge-base).')).toContain(
      'Compared with the stored baseline, not A/B (kind: file cannot be re-run): imported. Baseline: `1111111` (the merge-base).'
    )
  })
})

describe("the head arm's own medians", () => {
  const paired = (over: Parameters<typeof comparison>[0]) =>
    comparison({ pairs: 10, centres: { baseline: 45.2, current: 41.2 }, ...over })

  it('follow the A/B paragraph, most significant first, with the visits per arm, escaped', () => {
    const rows = [
      paired({ verdict: 'pass', valueChange: 0.01, metric: 'prompt' }),
      paired({
        benchmark: 'gen_*x*',
        unit: 'tok/s<b>',
        current: { n: 10, median: 41.25, dropped: [], cv: 0.01 }
      })
    ]
    const r = report({ ab: run() }, rows)
    const note = abNote(r, null) ?? ''
    expect(note).toContain(
      "Current is that moved by the paired Δ. The head's own medians over its visits (10 per arm): gen\\_\\*x\\*/decode 41.3 tok/s&lt;b&gt;, inference/prompt 45.7 tokens/sec."
    )
    expect(renderLedger(null, r)).toContain("The head's own medians over its visits (10 per arm)")
    expect(abText(r)).toContain(
      "The head's own medians over its visits (10 per arm): gen_*x*/decode 41.3 tok/s<b>, inference/prompt 45.7 tokens/sec."
    )
  })

  it("name each arm's visits when they differ, and cut a long list", () => {
    const rows = Array.from({ length: 6 }, (_, i) =>
      paired({
        metric: `m${i}`,
        valueChange: -0.01 * (i + 1),
        baseline: { n: 10, median: 45.2, dropped: [], cv: 0.01 },
        current: { n: i === 5 ? 9 : 10, median: 45, dropped: [], cv: 0.01 }
      })
    )
    const note = abNote(report({ ab: run() }, rows), null) ?? ''
    expect(note).toContain(
      "The head's own medians over its visits: inference/m5 45 tokens/sec (visits: base 10, head 9), inference/m4 45 tokens/sec (visits: base 10, head 10)"
    )
    expect(note).toMatch(/inference\/m2 45 tokens\/sec \(visits: base 10, head 10\) and 2 more\./)
  })

  it('are left out where no row was paired (only stored rows, or no A/B at all)', () => {
    expect(abNote(report({ ab: run() }), null)).not.toContain("head's own")
    expect(abNote(report({ ab: run({ benchmarks: [] }) }, [paired({})]), null)).not.toContain(
      "head's own"
    )
  })
})

describe('an open paired metric', () => {
  const open = comparison({
    verdict: 'pass',
    inconclusive: true,
    runsToDecide: 24,
    pairs: 10
  })

  it('counts pairs, not runs per arm', () => {
    const row = tableCells(renderDeltaTable([open]).split('\n')[2] ?? '')
    expect(row.at(-1)).toBe('✅ pass (inconclusive: ~24 pairs would decide)')
    expect(openAdvice(open)).toBe('about 14 more pairs would decide it')
  })

  it('past a sane number of pairs, says what helps other than A/B, which it already is', () => {
    expect(openAdvice({ ...open, runsToDecide: 500 })).toBe(
      "it cannot be decided at this noise (over 100 pairs): a quieter runner, longer runs (more work per visit, e.g. more requests) or more pairs per run (the base's repetitions, up to 100) would help"
    )
  })
})
