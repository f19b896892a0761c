import { describe, expect, it } from '@jest/globals'
import {
  countsPhrase,
  formatCi,
  formatPercent,
  formatTimestamp,
  formatValue,
  verdictLabel
} from '../../src/report/format.js'
import { shortSha } from '../../src/shared/text.js'
import { report } from './helpers.js'

describe('formatPercent', () => {
  it('signs every change with ASCII signs', () => {
    expect(formatPercent(0.123)).toBe('+12.3 %')
    expect(formatPercent(-0.04)).toBe('-4.0 %')
    expect(formatPercent(-0.089, 1, { compact: true })).toBe('-8.9%')
    expect(formatPercent(0.5, 0)).toBe('+50 %')
  })
  it('never shows a negative zero', () => {
    expect(formatPercent(-0.00001)).toBe('+0.0 %')
  })
  it('shows missing and unbounded values', () => {
    expect(formatPercent(null)).toBe('n/a')
    expect(formatPercent(Number.NaN)).toBe('n/a')
    expect(formatPercent(Infinity)).toBe('+∞ %')
  })
})

describe('formatCi', () => {
  it('formats both bounds', () => {
    expect(formatCi([0.098, 0.149])).toBe('+9.8 … +14.9 %')
    expect(formatCi([-0.02, Infinity])).toBe('-2.0 … +∞ %')
    expect(formatCi([-Infinity, 0.01])).toBe('-∞ … +1.0 %')
    expect(formatCi(null)).toBe('n/a')
  })
})

describe('formatValue', () => {
  it('uses three significant digits below 100 and whole numbers above', () => {
    expect(formatValue(41.234, 'tokens/sec')).toBe('41.2 tokens/sec')
    expect(formatValue(0.0012345)).toBe('0.00123')
    expect(formatValue(12_345.6, 'ms')).toBe('12,346 ms')
    expect(formatValue(-250.4)).toBe('-250')
    expect(formatValue(0)).toBe('0')
  })
  it('marks what is missing without a unit', () => {
    expect(formatValue(null, 'ms')).toBe('n/a')
    expect(formatValue(undefined)).toBe('n/a')
    expect(formatValue(Infinity, 'ms')).toBe('∞ ms')
  })
})

describe('labels', () => {
  it('has an icon per verdict', () => {
    expect(verdictLabel('pass')).toBe('✅ pass')
    expect(verdictLabel('warn')).toBe('⚠️ warn')
    expect(verdictLabel('fail')).toBe('❌ fail')
    expect(verdictLabel('neutral')).toBe('⚪ neutral')
  })
  it('counts with singular and plural', () => {
    const r = report()
    expect(countsPhrase(r.outcome)).toBe('2 regressions, 1 unchanged, 1 improvement')
    expect(countsPhrase({ ...r.outcome, regressions: 1, unchanged: 0, improvements: 2 })).toBe(
      '1 regression, 0 unchanged, 2 improvements'
    )
  })
  it('shortens shas and times', () => {
    expect(shortSha('ABC1234DEF5678')).toBe('abc1234')
    expect(shortSha('local<run>')).toBe('localrun')
    expect(shortSha(null)).toBeNull()
    expect(formatTimestamp('2026-11-22T10:01:59.900Z')).toBe('2026-11-22 10:01 UTC')
    expect(formatTimestamp('2026-11-22T11:01:00+01:00')).toBe('2026-11-22 10:01 UTC')
  })
})
