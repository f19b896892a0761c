import { describe, expect, it } from '@jest/globals'
import { acceptOutcome, checkAcceptance, readJustification } from '../../src/github/accept.js'
import { regressionAnnotations } from '../../src/github/annotations.js'
import { renderCheckRun } from '../../src/report/check-run.js'
import { renderLedger } from '../../src/report/ledger.js'
import { renderReport } from '../../src/report/summary.js'
import type { BenchmarkSpec } from '../../src/config/types.js'
import { comparison, report } from '../report/helpers.js'

describe('the justification in the PR body', () => {
  it.each([
    ['perf-gate-accept: the tokenizer fix is worth 3 %', 'the tokenizer fix is worth 3 %'],
    [
      'Intro\n\n- Perf-Gate-Accept: slower on purpose,\n  see #12 for why\n\nOther',
      'slower on purpose, see #12 for why'
    ],
    [
      'perf-gate-accept:   \r\nwe traded decode speed for accuracy\r\n',
      'we traded decode speed for accuracy'
    ]
  ])('reads %j', (body, reason) => {
    expect(readJustification(body)).toBe(reason)
  })

  it.each([
    ['no line at all', 'Fixes the tokenizer'],
    ['a reason too short to mean anything', 'perf-gate-accept: ok'],
    [
      'the hint of a PR template, inside a comment',
      '<!-- perf-gate-accept: why the regression is fine -->'
    ],
    ['the key inside a sentence', 'Do we need a perf-gate-accept: here, or not?']
  ])('finds none in %s', (_what, body) => {
    expect(readJustification(body)).toBeNull()
  })

  it('asks for a reason when the label is there without one', () => {
    expect(checkAcceptance({ labels: ['perf-gate:accept'], body: '' }, 'perf-gate:accept')).toEqual(
      {
        kind: 'no-reason',
        message: expect.stringMatching(
          /has the label 'perf-gate:accept' but its description has no 'perf-gate-accept: <why>' line/
        )
      }
    )
    expect(
      checkAcceptance(
        { labels: ['bug'], body: 'perf-gate-accept: long enough reason' },
        'perf-gate:accept'
      )
    ).toEqual({
      kind: 'not-requested'
    })
  })
})

describe('an accepted regression', () => {
  const failing = report({ runId: '42.1' })
  const accepted = acceptOutcome(failing.outcome, {
    label: 'perf-gate:accept',
    by: 'alice',
    reason: 'decode is 9 % slower, the price of the @security fix <script>'
  })

  it('is neutral on Route B, and passing outcomes have nothing to accept', () => {
    expect(accepted?.outcome).toMatchObject({ verdict: 'neutral', route: 'B' })
    expect(accepted?.acceptance.was).toBe('fail')
    expect(
      acceptOutcome(report({}, [comparison({ verdict: 'pass' })]).outcome, {
        label: 'l',
        by: null,
        reason: 'r'
      })
    ).toBeNull()
  })

  it('is recorded with who and why in the ledger, the check run and the summary, escaped', () => {
    const r = { ...failing, outcome: accepted!.outcome, acceptance: accepted!.acceptance }
    const ledger = renderLedger(null, r)
    expect(ledger).toMatch(/^\| perf \| ⚪ neutral \(accepted\) \|/m)
    expect(ledger).toMatch(
      /\*\*Regression accepted\*\* by @\u200Balice \(label `perf-gate:accept`, was fail\)/
    )
    expect(ledger).toMatch(/accepted by @\u200Balice .*<!-- perf-gate:hop:42\.1 -->/)
    // No raw HTML and no ping from the untrusted reason.
    expect(ledger).not.toContain('<script>')
    expect(ledger).not.toMatch(/@security/)
    const check = renderCheckRun(r, { headSha: 'e'.repeat(40) })
    expect(check.conclusion).toBe('neutral')
    expect(check.output.title).toBe('perf: 2 regressions, accepted (neutral)')
    expect(check.output.summary).toContain('**Regression accepted**')
    expect(renderReport(r)).toContain('**Regression accepted**')
  })
})

describe('annotations', () => {
  const specs = [
    { name: 'inference', line: 7 },
    { name: 'startup', line: 15 }
  ] as BenchmarkSpec[]

  it('point at the config line of each benchmark that regressed, one per entry', () => {
    const a = regressionAnnotations(
      [
        comparison({ benchmark: 'inference/llama', verdict: 'fail' }),
        comparison({ benchmark: 'inference/qwen', metric: 'ttft', verdict: 'warn' }),
        comparison({ benchmark: 'startup', verdict: 'pass' })
      ],
      specs,
      'ci/perf-gate.yml'
    )
    expect(a).toEqual([
      expect.objectContaining({
        path: 'ci/perf-gate.yml',
        start_line: 7,
        end_line: 7,
        annotation_level: 'failure',
        title: 'perf: inference fails'
      })
    ])
    expect(a[0]?.message.split('\n')).toHaveLength(2)
  })

  it('are notices once the regression is accepted', () => {
    const a = regressionAnnotations(
      [comparison({ benchmark: 'startup', verdict: 'warn' })],
      specs,
      'p',
      {
        accepted: true
      }
    )
    expect(a[0]?.annotation_level).toBe('notice')
  })
})
