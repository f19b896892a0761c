import { describe, expect, it } from '@jest/globals'
import { baselineNote, formatAge, missingBaselineLabel } from '../../src/report/baseline-note.js'
import { type BaselineUsed } from '../../src/types/report.js'
import { perfEvidence } from '../../src/report/ledger.js'
import type { GateReport } from '../../src/types/report.js'

const B = 'b'.repeat(40)
const report = (used: Partial<BaselineUsed> | null, over: Partial<GateReport> = {}): GateReport =>
  ({
    outcome: { verdict: 'pass' },
    testbed: 'dual-5090',
    current: { sha: 'a'.repeat(40), createdAt: '2026-11-22T10:00:00Z' },
    baseline: { sha: B, createdAt: '2026-11-20T10:00:00Z' },
    timestamp: '2026-11-22T10:00:00Z',
    ...(used
      ? {
          baselineUsed: {
            how: 'merge-base',
            commit: B,
            distance: 0,
            walkedFrom: { kind: 'merge-base', sha: B },
            recordedAt: '2026-11-20T10:00:00Z',
            ageMs: 2 * 86_400_000,
            testbed: 'dual-5090',
            ...used
          }
        }
      : {}),
    ...over
  }) as GateReport

describe('the baseline line', () => {
  it('says how the baseline was chosen, when it was recorded and how old it is', () => {
    expect(baselineNote(report({}))).toBe(
      'Baseline: `bbbbbbb` (the merge-base), recorded 2026-11-20, 2 days old, testbed dual-5090.'
    )
    expect(
      baselineNote(
        report({
          how: 'ancestor',
          distance: 3,
          walkedFrom: { kind: 'merge-base', sha: 'c'.repeat(40) },
          ageMs: 5 * 3_600_000
        })
      )
    ).toBe(
      'Baseline: `bbbbbbb` (3 commits before the merge-base `ccccccc`), recorded 2026-11-20, 5 h old, testbed dual-5090.'
    )
    expect(
      baselineNote(report({ how: 'ancestor', distance: 1, walkedFrom: { kind: 'commit', sha: B } }))
    ).toContain('(1 commit back)')
  })

  it('says why it fell back to the latest, escaped', () => {
    expect(
      baselineNote(
        report({
          how: 'latest',
          distance: null,
          walkedFrom: null,
          note: 'history unreadable (<b>503</b>)'
        })
      )
    ).toBe(
      'Baseline: `bbbbbbb` (the latest on the testbed), recorded 2026-11-20, 2 days old, testbed dual-5090. History unreadable \\(&lt;b&gt;503&lt;/b&gt;\\).'
    )
  })

  it('says why there is none', () => {
    expect(
      baselineNote(
        report(null, {
          baseline: null,
          baselineMissing: "no baseline for testbed 'x' on this history"
        })
      )
    ).toBe("No baseline for testbed 'x' on this history.")
    // Without a recorded choice it reads as before.
    expect(baselineNote(report(null))).toBe(
      'Baseline: `bbbbbbb` from 2026-11-20 on testbed dual-5090.'
    )
  })

  it("tells an empty store from baselines that are off this pull request's history", () => {
    const offHistory = report(null, {
      baseline: null,
      baselineMissing: "no baseline for testbed 'x' at the merge-base abc1234 of main and def5678"
    })
    expect(missingBaselineLabel(offHistory)).toBe('no baseline on this history')
    expect(perfEvidence(offHistory)).toBe('perf: no baseline on this history')
    const empty = report(null, {
      baseline: null,
      baselineMissing: "no baseline yet for testbed 'x' in local:.perf-gate/baselines"
    })
    expect(missingBaselineLabel(empty)).toBe('no baseline yet')
    expect(perfEvidence(empty)).toBe('perf: no baseline yet')
  })

  it('gives ages at the precision a reviewer needs', () => {
    expect(
      [59_000, 45 * 60_000, 5 * 3_600_000, 47 * 3_600_000, 9 * 86_400_000].map(formatAge)
    ).toEqual(['1 min', '45 min', '5 h', '47 h', '9 days'])
  })
})
