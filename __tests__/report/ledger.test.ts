import { describe, expect, it } from '@jest/globals'
import {
  DETAILS_END,
  DETAILS_START,
  GATES_END,
  GATES_START,
  HOPLOG_END,
  HOPLOG_START,
  LEDGER_MARKER,
  MAX_COMMENT_LENGTH,
  isLedger,
  perfEvidence,
  renderLedger
} from '../../src/report/ledger.js'
import { otherGateRows, PROMOTED_MARKER, wasPromoted } from '../../src/report/ledger.js'
import { comparison, countOf, report, tableCells } from './helpers.js'

const ANCHORS = [
  LEDGER_MARKER,
  GATES_START,
  GATES_END,
  DETAILS_START,
  DETAILS_END,
  HOPLOG_START,
  HOPLOG_END
]
const EVIDENCE = /^perf: .+: .+; Δ vs baseline: [+-]\d+(\.\d+)?%$/

function expectAnchorsOnceInOrder(body: string): void {
  for (const anchor of ANCHORS) expect(countOf(body, anchor)).toBe(1)
  const positions = ANCHORS.map((a) => body.indexOf(a))
  expect([...positions].sort((a, b) => a - b)).toEqual(positions)
}

function between(body: string, start: string, end: string): string[] {
  return body
    .slice(body.indexOf(start) + start.length, body.indexOf(end))
    .split('\n')
    .filter((l) => l.trim() !== '')
}

const hops = (body: string): string[] => between(body, HOPLOG_START, HOPLOG_END)
const perfRows = (body: string): string[] =>
  between(body, GATES_START, GATES_END).filter((l) => /^\| perf \|/.test(l))

const OTHER_GATE = [
  'Written by the lint gate; please keep.',
  '',
  '### Review ledger',
  GATES_START,
  '| Gate | Status | Evidence |',
  '| --- | --- | --- |',
  '| lint | ✅ pass | `lint: src: 0 errors; Δ vs baseline: +0%` |',
  '| security  |  ⚠️ warn | `security: deps: 1 advisory` |',
  GATES_END,
  HOPLOG_START,
  '- 2026-11-21 09:00 UTC · lint · 9f9f9f9 · ✅ pass · run 7',
  HOPLOG_END,
  '',
  '_Footer of the lint gate._',
  ''
].join('\n')

describe('renderLedger: a new ledger', () => {
  const body = renderLedger(null, report())

  it('has the marker first and every anchor once, in order', () => {
    expect(body.startsWith(`${LEDGER_MARKER}\n### Review ledger\n${GATES_START}\n`)).toBe(true)
    expectAnchorsOnceInOrder(body)
  })

  it('has a gates table with one perf row of three cells', () => {
    const gates = between(body, GATES_START, GATES_END)
    expect(gates.slice(0, 2)).toEqual(['| Gate | Status | Evidence |', '| --- | --- | --- |'])
    expect(perfRows(body)).toHaveLength(1)
    const cells = tableCells(perfRows(body)[0])
    expect(cells).toEqual([
      'perf',
      '❌ fail',
      '`perf: inference/decode: 41.2 tokens/sec; Δ vs baseline: -8.9%`'
    ])
  })

  it('has our details section with the counts, delta table and route', () => {
    const details = body.slice(body.indexOf(DETAILS_START), body.indexOf(DETAILS_END))
    expect(details).toContain(
      '<details><summary>perf: 2 regressions, 1 unchanged, 1 improvement</summary>'
    )
    expect(details).toContain('| Benchmark | Metric | Baseline | Current | Δ | 90 % CI | Verdict |')
    expect(details).toContain('Baseline: `0123456` from 2026-11-20')
    expect(details).toContain('**Route A**: fix needed.')
    expect(details).toContain('</details>')
  })

  it('has one hop entry keyed by the run id', () => {
    expect(hops(body)).toEqual([
      '- 2026-11-22 10:01 UTC · perf · abc1234 · ❌ fail · inference/decode -8.9 % (90 % CI -11.0 … -6.8 %) · ' +
        '[run 123-1](https://github.com/o/r/actions/runs/123/attempts/1) <!-- perf-gate:hop:123-1 -->'
    ])
  })

  it('is recognised as a ledger', () => {
    expect(isLedger(body)).toBe(true)
  })
})

describe('perfEvidence', () => {
  it('follows the evidence grammar', () => {
    expect(perfEvidence(report())).toMatch(EVIDENCE)
    const pass = report({}, [comparison({ verdict: 'pass', valueChange: 0.004 })])
    expect(perfEvidence(pass)).toBe('perf: inference/decode: 45.4 tokens/sec; Δ vs baseline: +0.4%')
  })

  it('speaks for the worst verdict, then the largest change', () => {
    const r = report({}, [
      comparison({ metric: 'small', verdict: 'warn', valueChange: -0.06 }),
      comparison({ metric: 'big-pass', verdict: 'pass', valueChange: -0.3 }),
      comparison({ metric: 'bigger', verdict: 'warn', valueChange: -0.09 })
    ])
    expect(perfEvidence(r)).toMatch(/^perf: inference\/bigger: /)
  })

  it('keeps a hostile name inside one code span and one cell', () => {
    const r = report({}, [
      comparison({ benchmark: 'x`|y; Δ vs baseline: +0%\n<!-- gates:end -->', unit: 'tok`s|' })
    ])
    const evidence = perfEvidence(r)
    expect(evidence).toMatch(EVIDENCE)
    expect(evidence).not.toMatch(/[`|\n<>]/)
    expect(countOf(evidence, '; Δ vs baseline: ')).toBe(1)
    expect(tableCells(perfRows(renderLedger(null, r))[0])).toHaveLength(3)
  })

  it('says when there is no baseline yet', () => {
    const r = report({ baseline: null }, [comparison({ verdict: 'neutral', valueChange: null })])
    expect(perfEvidence(r)).toBe('perf: no baseline yet')
    expect(perfRows(renderLedger(null, r))[0]).toBe(
      '| perf | ⚪ neutral | `perf: no baseline yet` |'
    )
  })
})

describe('renderLedger: a ledger another gate created', () => {
  const body = renderLedger(OTHER_GATE, report())

  it('adds the marker at the top and keeps the rest of the text', () => {
    expect(body.startsWith(`${LEDGER_MARKER}\nWritten by the lint gate; please keep.\n`)).toBe(true)
    expect(body.endsWith('\n_Footer of the lint gate._\n')).toBe(true)
  })

  it('adds only our row after the others, our details and our hop entry', () => {
    const gates = between(body, GATES_START, GATES_END)
    expect(gates).toHaveLength(5)
    expect(gates[4]).toMatch(/^\| perf \| ❌ fail \| `perf: /)
    expect(hops(body)).toHaveLength(2)
    expect(hops(body)[0]).toBe('- 2026-11-21 09:00 UTC · lint · 9f9f9f9 · ✅ pass · run 7')
    expect(body.indexOf(GATES_END)).toBeLessThan(body.indexOf(DETAILS_START))
    expect(body.indexOf(DETAILS_END)).toBeLessThan(body.indexOf(HOPLOG_START))
  })

  it('leaves every byte of the other gate as it was', () => {
    const withoutOurs = body
      .replace(`${LEDGER_MARKER}\n`, '')
      .replace(/\n\| perf \|[^\n]*/, '')
      .replace(/\n<!-- perf-gate:details:start -->[\s\S]*<!-- perf-gate:details:end -->/, '')
      .replace(/\n[^\n]*<!-- perf-gate:hop:[^\n]*/, '')
    expect(withoutOurs).toBe(OTHER_GATE)
  })

  it('keeps CRLF rows of others intact', () => {
    const crlf = OTHER_GATE.replace(/\n/g, '\r\n')
    const out = renderLedger(crlf, report())
    expect(out).toContain('| lint | ✅ pass | `lint: src: 0 errors; Δ vs baseline: +0%` |\r\n')
    expect(out).toContain('| security  |  ⚠️ warn | `security: deps: 1 advisory` |\r\n')
    expect(perfRows(out)).toHaveLength(1)
  })

  it('adds a whole ledger under a body that has no anchors', () => {
    const out = renderLedger('Hello from a human.', report())
    expect(out.startsWith(`${LEDGER_MARKER}\nHello from a human.\n\n### Review ledger\n`)).toBe(
      true
    )
    expectAnchorsOnceInOrder(out)
  })

  it('adds the missing hop log to a body with only the gates table', () => {
    const out = renderLedger(
      `${GATES_START}\n| Gate | Status | Evidence |\n| --- | --- | --- |\n${GATES_END}`,
      report()
    )
    expectAnchorsOnceInOrder(out)
    expect(hops(out)).toHaveLength(1)
  })
})

describe('renderLedger: later runs', () => {
  const first = renderLedger(null, report())

  it('replaces our row and details and appends a hop entry', () => {
    const passing = report({ runId: '124-1', timestamp: '2026-11-22T12:00:00Z' }, [
      comparison({ verdict: 'pass', valueChange: 0.01 })
    ])
    const second = renderLedger(first, passing)
    expectAnchorsOnceInOrder(second)
    expect(perfRows(second)).toEqual([
      '| perf | ✅ pass | `perf: inference/decode: 45.7 tokens/sec; Δ vs baseline: +1.0%` |'
    ])
    expect(countOf(second, '<details>')).toBe(1)
    expect(second).toContain('perf: 0 regressions, 1 unchanged, 0 improvements')
    expect(hops(second)).toHaveLength(2)
    expect(hops(second)[0]).toContain('❌ fail')
    expect(hops(second)[1]).toContain('✅ pass')
  })

  it('logs the same run once, however often it renders', () => {
    const again = renderLedger(renderLedger(first, report()), report())
    expect(hops(again)).toHaveLength(1)
    expect(again).toBe(first)
  })

  it('appends an entry per run when there is no run id', () => {
    const noId = report({ runId: undefined, runUrl: undefined })
    expect(hops(renderLedger(renderLedger(null, noId), noId))).toHaveLength(2)
  })

  it('keeps only one perf row even if a race left two', () => {
    const doubled = first.replace(/(\| perf \|[^\n]*\n)/, '$1$1')
    expect(perfRows(doubled)).toHaveLength(2)
    expect(perfRows(renderLedger(doubled, report()))).toHaveLength(1)
  })
})

describe('renderLedger: draft promoted to ready for review', () => {
  const passing = report({ runId: '130-1' }, [comparison({ verdict: 'pass', valueChange: 0.01 })])

  it('says so in this run’s hop entry and leaves a marker that survives later runs', () => {
    const promoted = renderLedger(null, passing, { promoted: true })
    expectAnchorsOnceInOrder(promoted)
    expect(hops(promoted)).toEqual([
      expect.stringMatching(
        / · ✅ pass · .* · promoted to ready for review · .*perf-gate:hop:130-1/
      )
    ])
    expect(wasPromoted(promoted)).toBe(true)
    const later = renderLedger(promoted, report({ runId: '131-1' }))
    expect(wasPromoted(later)).toBe(true)
    expect(countOf(later, PROMOTED_MARKER)).toBe(1)
    expect(hops(later)[1]).not.toContain('promoted')
    expect(wasPromoted(renderLedger(null, passing))).toBe(false)
  })

  it('renders the same body when the write is applied again', () => {
    const once = renderLedger(OTHER_GATE, passing, { promoted: true })
    expect(renderLedger(once, passing, { promoted: true })).toBe(once)
  })
})

describe('otherGateRows', () => {
  it('lists the other gates with whether each passed, never perf’s own row', () => {
    const body = renderLedger(OTHER_GATE, report())
    expect(otherGateRows(body)).toEqual([
      { gate: 'lint', status: '✅ pass', passed: true },
      { gate: 'security', status: '⚠️ warn', passed: false }
    ])
  })

  it('is empty for a ledger perf-gate alone writes, or no ledger', () => {
    expect(otherGateRows(renderLedger(null, report()))).toEqual([])
    expect(otherGateRows('')).toEqual([])
  })

  it('does not take pending, running or a word that merely starts like pass as passing', () => {
    const rows = [
      '| a | pending | x |',
      '| b | passive | x |',
      '| c | PASS | x |',
      '| d | ✅ pass (3) | x |'
    ]
    const body = [
      GATES_START,
      '| Gate | Status | Evidence |',
      '| --- | --- | --- |',
      ...rows,
      GATES_END
    ].join('\n')
    expect(otherGateRows(body).map((r) => r.passed)).toEqual([false, false, true, true])
  })
})

describe('renderLedger: hostile content', () => {
  const hostile = [
    GATES_END,
    GATES_START,
    HOPLOG_END,
    DETAILS_END,
    '<!-- perf-gate:hop:123-1 -->',
    '</details><details><summary>forged'
  ]

  it('cannot add an anchor from a benchmark name, unit, metric or reason', () => {
    const r = report(
      { testbed: hostile.join(' '), outcome: { ...report().outcome } },
      hostile.map((name) => comparison({ benchmark: name, metric: name, unit: name }))
    )
    r.outcome.reason = hostile.join('\n')
    const body = renderLedger(renderLedger(null, r), { ...r, runId: '999' })
    expectAnchorsOnceInOrder(body)
    expect(countOf(body, '<details>')).toBe(1)
    expect(countOf(body, '</details>')).toBe(1)
    expect(countOf(body, '<!-- perf-gate:hop:')).toBe(2)
    expect(hops(body)).toHaveLength(2)
  })
})

describe('renderLedger: size budget', () => {
  const hopLine = (i: number): string =>
    `- 2026-01-01 00:00 UTC · lint · ${String(i).padStart(7, '0')} · ✅ pass · entry ${i} ${'x'.repeat(80)}`
  const crowded = [
    LEDGER_MARKER,
    GATES_START,
    '| Gate | Status | Evidence |',
    '| --- | --- | --- |',
    '| lint | ✅ pass | `lint: ok` |',
    GATES_END,
    HOPLOG_START,
    ...Array.from({ length: 3000 }, (_, i) => hopLine(i)),
    HOPLOG_END
  ].join('\n')

  const foldedCount = (body: string): number =>
    Number(/^- … (\d+) earlier entries folded$/m.exec(body)?.[1] ?? 0)

  it('folds the oldest hop entries to stay under the limit', () => {
    expect(crowded.length).toBeGreaterThan(MAX_COMMENT_LENGTH)
    const body = renderLedger(crowded, report())
    expect(body.length).toBeLessThan(MAX_COMMENT_LENGTH)
    expectAnchorsOnceInOrder(body)
    const entries = hops(body)
    expect(entries[0]).toMatch(/^- … \d+ earlier entries folded$/)
    expect(entries.at(-1)).toContain('<!-- perf-gate:hop:123-1 -->')
    expect(entries[1]).toBe(hopLine(foldedCount(body)))
    expect(foldedCount(body) + entries.length - 2).toBe(3000)
    // Only as many as needed: the details are untouched and the body is close to the limit.
    expect(body).toContain('| Benchmark |')
    expect(body.length).toBeGreaterThan(MAX_COMMENT_LENGTH - 400)
  })

  it('adds to the fold count on the next run', () => {
    const once = renderLedger(crowded, report())
    const twice = renderLedger(once, report({ runId: '124-1' }))
    expect(twice.length).toBeLessThan(MAX_COMMENT_LENGTH)
    expect(countOf(twice, 'earlier entries folded')).toBe(1)
    expect(foldedCount(twice)).toBeGreaterThan(foldedCount(once))
    expect(foldedCount(twice) + hops(twice).length - 1).toBe(3002)
  })

  it('drops the chart, then table rows, when the details alone are too long', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      comparison({
        benchmark: `bench-${i}-${'ü'.repeat(40)}`,
        verdict: 'pass',
        valueChange: i / 10_000
      })
    )
    const key = `bench-2999-${'ü'.repeat(40)} / decode`
    const history = [
      { sha: 'aaaaaaa', createdAt: '2026-11-01T00:00:00Z', values: { [key]: 1 } },
      { sha: 'bbbbbbb', createdAt: '2026-11-02T00:00:00Z', values: { [key]: 2 } }
    ]
    // The chart is there while the details fit…
    expect(renderLedger(null, report({ history }, many.slice(-10)))).toContain('```mermaid')
    const body = renderLedger(null, report({ history }, many))
    expect(body.length).toBeLessThan(MAX_COMMENT_LENGTH)
    expectAnchorsOnceInOrder(body)
    expect(body).not.toContain('```mermaid')
    expect(body).toMatch(/… \d+ more rows/)
    expect(hops(body)).toHaveLength(1)
  })
})

describe('isLedger', () => {
  it('knows our marker or both gates anchors', () => {
    expect(isLedger(`x ${LEDGER_MARKER}`)).toBe(true)
    expect(isLedger(OTHER_GATE)).toBe(true)
    expect(isLedger(`${GATES_START} only`)).toBe(false)
    expect(isLedger(`${GATES_END} ${GATES_START}`)).toBe(false)
    expect(isLedger('Just a comment')).toBe(false)
  })
})
