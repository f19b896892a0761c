import { describe, expect, it } from '@jest/globals'
import type { Verdict } from '../../src/stats/types.js'
import {
  CHECK_RUN_NAME,
  MAX_CHECK_OUTPUT_BYTES,
  renderCheckRun,
  truncateToBytes
} from '../../src/report/check-run.js'
import { comparison, report } from './helpers.js'

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

describe('renderCheckRun', () => {
  it.each<[Verdict, string]>([
    ['pass', 'success'],
    ['warn', 'success'],
    ['fail', 'failure'],
    ['neutral', 'neutral']
  ])('maps %s to %s', (verdict, conclusion) => {
    const r = report()
    r.outcome.verdict = verdict
    expect(renderCheckRun(r, { headSha: 'h' }).conclusion).toBe(conclusion)
  })

  it('is completed on the head sha with the constant name', () => {
    const run = renderCheckRun(report(), {
      headSha: 'deadbeef',
      detailsUrl: 'https://x.example/run'
    })
    expect(run).toMatchObject({
      name: CHECK_RUN_NAME,
      head_sha: 'deadbeef',
      status: 'completed',
      completed_at: '2026-11-22T10:01:30Z',
      details_url: 'https://x.example/run'
    })
    expect(CHECK_RUN_NAME).toBe('review:gate:perf')
    expect('details_url' in renderCheckRun(report(), { headSha: null })).toBe(false)
  })

  it('has a short title and puts regressions in the summary, all rows in the text', () => {
    const { output } = renderCheckRun(report(), { headSha: 'h' })
    expect(output.title).toBe('perf: 2 regressions (fail)')
    expect(output.summary).toContain('| inference | decode |')
    expect(output.summary).not.toContain('| inference | prompt |')
    expect(output.text).toContain('| inference | prompt |')
    const none = report({ baseline: null }, [comparison({ verdict: 'neutral', valueChange: null })])
    expect(renderCheckRun(none, { headSha: 'h' }).output.title).toBe(
      'perf: no baseline yet (neutral)'
    )
  })

  it('keeps summary and text within the byte limit, by whole rows', () => {
    const many = Array.from({ length: 4000 }, (_, i) =>
      comparison({ benchmark: `${i} ${'😀'.repeat(30)}`, verdict: i % 2 ? 'fail' : 'pass' })
    )
    const { output } = renderCheckRun(report({}, many), { headSha: 'h' })
    expect(bytes(output.summary)).toBeLessThanOrEqual(MAX_CHECK_OUTPUT_BYTES)
    expect(bytes(output.text)).toBeLessThanOrEqual(MAX_CHECK_OUTPUT_BYTES)
    expect(bytes(output.text)).toBeGreaterThan(MAX_CHECK_OUTPUT_BYTES - 1000)
    expect(output.summary).toMatch(/… \d+ more rows/)
    expect(output.text).toMatch(/… \d+ more rows/)
    expect(output.title.length).toBeLessThanOrEqual(255)
  })
})

describe('truncateToBytes', () => {
  it('cuts on a line boundary and marks the cut', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i} ${'é'.repeat(20)}`).join('\n')
    const out = truncateToBytes(text, 500)
    expect(bytes(out)).toBeLessThanOrEqual(500)
    expect(out).toMatch(/^line 0 /)
    expect(out.endsWith('… truncated to fit the check run.')).toBe(true)
    expect(
      out
        .split('\n')
        .filter((l) => l.startsWith('line'))
        .every((l) => l.length === 27 || /^line \d\d /.test(l))
    ).toBe(true)
  })

  it('never splits a character of one long line', () => {
    const out = truncateToBytes('😀'.repeat(1000), 301)
    expect(bytes(out)).toBeLessThanOrEqual(301)
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
    expect(truncateToBytes('short', 301)).toBe('short')
  })
})
