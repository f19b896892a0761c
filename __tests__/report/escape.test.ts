import { describe, expect, it } from '@jest/globals'
import {
  codeSpanText,
  escapeCode,
  escapeMarkdown,
  sanitizeText,
  terminalText
} from '../../src/report/escape.js'
import { renderDeltaTable } from '../../src/report/tables.js'
import { comparison, tableCells } from './helpers.js'

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

describe('escapeMarkdown', () => {
  it('keeps a name with pipes in one table cell', () => {
    const table = renderDeltaTable([comparison({ benchmark: 'a|b|c', metric: 'x\\|y' })])
    const rows = table.split('\n')
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(tableCells(row)).toHaveLength(7)
    expect(tableCells(rows[2])[0]).toBe('a\\|b\\|c')
  })

  it('puts every line break on one line', () => {
    expect(escapeMarkdown('a\nb\r\nc\u2028d')).toBe('a b c d')
  })

  it('turns raw HTML into text', () => {
    const out = escapeMarkdown('<details><summary>x</summary>&amp;')
    expect(out).not.toMatch(/[<>]/)
    expect(out).toBe('&lt;details&gt;&lt;summary&gt;x&lt;/summary&gt;&amp;amp;')
  })

  it('cannot spell an HTML comment, so it cannot forge an anchor', () => {
    const out = escapeMarkdown('<!-- gates:end -->')
    expect(out).not.toContain('<!--')
    expect(out).not.toContain('-->')
  })

  it('pings nobody', () => {
    const out = escapeMarkdown('cc @org/team and @user, mail a@b.example')
    expect(out).not.toMatch(/@[A-Za-z0-9]/)
    expect(out).toContain('@\u200Borg/team')
  })

  it('neither links nor cross-references', () => {
    const out = escapeMarkdown(
      '[x](javascript:alert(1)) see owner/repo#12 http://evil.example www.evil.example'
    )
    expect(out).not.toMatch(/(?<!\\)[[\]()]/)
    expect(out).toContain('\\[x\\]\\(javascript:alert\\(1\\)\\)')
    expect(out).not.toMatch(/#\d/)
    expect(out).not.toContain('http://')
    expect(out).not.toMatch(/www\./i)
  })

  it('escapes emphasis, code, math and images', () => {
    expect(escapeMarkdown('*a* _b_ `c` $d$ ![e] ~f~ \\')).toBe(
      '\\*a\\* \\_b\\_ \\`c\\` \\$d\\$ \\!\\[e\\] \\~f\\~ \\\\'
    )
  })

  it('escapes block syntax at the start only where it would apply', () => {
    expect(escapeMarkdown('- item')).toBe('\\- item')
    expect(escapeMarkdown('1. item')).toBe('1\\. item')
    expect(escapeMarkdown('# title')).toBe('\\#\u200B title')
    expect(escapeMarkdown('> quote')).toBe('&gt; quote')
    expect(escapeMarkdown('45.2 ms')).toBe('45.2 ms')
  })

  it('strips bidi, zero-width and control characters', () => {
    const out = escapeMarkdown('abc\u202Efdp.exe\u2066x\u2069\u200Fy\u200Bz\u0007\u001B[31m\u0085')
    expect(out).toBe('abcfdp.exexyz\\[31m')
  })

  it('truncates a 100k-character name to 200 code points with an ellipsis', () => {
    const out = escapeMarkdown('n'.repeat(100_000))
    expect(Array.from(out)).toHaveLength(200)
    expect(out.endsWith('…')).toBe(true)
    expect(escapeMarkdown('short')).toBe('short')
  })

  it('never splits a surrogate pair when truncating', () => {
    const out = sanitizeText('x' + '😀'.repeat(300), { maxLength: 50 })
    expect(out).not.toMatch(LONE_SURROGATE)
    expect(Array.from(out)).toHaveLength(50)
  })
})

describe('code spans', () => {
  it('escapeCode picks a fence longer than any backtick run', () => {
    expect(escapeCode('a ``b`` c')).toBe('```a ``b`` c```')
    expect(escapeCode('`x')).toBe('`` `x ``')
    expect(escapeCode('plain')).toBe('`plain`')
  })

  it('escapeCode keeps one line and no anchor look-alikes', () => {
    const out = escapeCode('a\n<!-- gates:end -->\u202E|', { table: true })
    expect(out).toBe('`a ‹!-- gates:end --›\\|`')
  })

  it('codeSpanText drops what would end the span or the cell', () => {
    expect(codeSpanText('a`b|c\nd<e>')).toBe('abc d‹e›')
  })
})

describe('terminalText (#19 item 10)', () => {
  it('strips escape sequences, carriage returns, C1, bidi and zero-width characters, keeping lines', () => {
    const text = 'a\u001b[2Jb\u001b]0;pwned\u0007c\r\n\td\u009b31me\u202ef\u200bg\nlast'
    expect(terminalText(text)).toBe('a[2Jb]0;pwnedc\n\td31mefg\nlast')
  })
})
