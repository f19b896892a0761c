import { describe, expect, it } from '@jest/globals'
import {
  boundMessage,
  capText,
  errorMessage,
  fileError,
  pathError,
  quote,
  UserError
} from '../src/errors.js'

describe('UserError', () => {
  it('leads with the file and line at fault', () => {
    const e = new UserError('benchmarks[1].repetitions must be an integer >= 1', {
      file: 'perf-gate.yml',
      line: 12
    })
    expect(e.message).toBe('perf-gate.yml:12: benchmarks[1].repetitions must be an integer >= 1')
    expect(errorMessage(e)).toBe(e.message)
  })
  it('reads non-Error throwables', () => {
    expect(errorMessage('plain')).toBe('plain')
  })
})

describe('quoted values in messages (#19 item 7)', () => {
  it('caps every quoted value at 200 characters, with an ellipsis and the length', () => {
    const unit = 'u'.repeat(5_000_000)
    const e = new UserError(
      `custom entry 1: ${JSON.stringify(unit)} does not say whether higher or lower is better`,
      { file: 'r.json', line: 1 }
    )
    expect(e.message).toBe(
      `r.json:1: custom entry 1: "${'u'.repeat(200)}…" (5,000,000 characters) does not say whether higher or lower is better`
    )
    for (const [open, close] of [
      ["'", "'"],
      ['`', '`']
    ]) {
      const m = new UserError(`the unit ${open}${'q'.repeat(300)}${close} is odd`).message
      expect(m).toBe(`the unit ${open}${'q'.repeat(200)}…${close} (300 characters) is odd`)
    }
  })

  it('leaves short values, apostrophes and the text between values alone', () => {
    const prose = 'natural text '.repeat(30)
    const m = `benchmark 'x': "abc" is wrong, ${prose} and "def" too; the command's 'output:' key`
    expect(new UserError(m).message).toBe(m)
    expect(boundMessage('it\'s "a \\" quote" here')).toBe('it\'s "a \\" quote" here')
  })

  it('caps an unquoted line at 2,000 characters, keeping the other lines', () => {
    const m = boundMessage(`first\n${'z'.repeat(5000)}\nlast`)
    expect(m.split('\n')).toEqual(['first', `${'z'.repeat(2000)}… (5,000 characters)`, 'last'])
  })

  it('quotes a value for a message, capped', () => {
    expect(quote('a"b')).toBe('"a\\"b"')
    expect(quote('x'.repeat(201))).toBe(`"${'x'.repeat(200)}…" (201 characters)`)
    expect(capText('x'.repeat(10), 4)).toBe('xxxx… (10 characters)')
    // Not half a surrogate pair.
    expect(capText(`${'a'.repeat(199)}😀😀`, 200)).toBe(`${'a'.repeat(199)}… (203 characters)`)
  })
})

describe('file-system failures (#19 item 9)', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: x`), { code })
  it('names the path and the cause in words, as a UserError', () => {
    expect(fileError('write', '/o/ledger.md', errno('EROFS'))?.message).toBe(
      'cannot write /o/ledger.md: the file system is read-only (EROFS)'
    )
    expect(fileError('write', '/o/ledger.md', errno('ENOSPC'))).toBeInstanceOf(UserError)
    expect(fileError('write', '/o/ledger.md', errno('ENOSPC'))?.message).toMatch(
      /no space is left on the device \(ENOSPC\)$/
    )
    expect(fileError('write', '/o/x', new Error('a bug'))).toBeNull()
  })
  it('reads the path from a Node error that carries one', () => {
    const e = Object.assign(errno('EACCES'), { syscall: 'mkdir', path: '/root/out' })
    expect(pathError(e)?.message).toBe(
      'cannot create the folder /root/out: permission denied (EACCES)'
    )
    expect(pathError(errno('EACCES'))).toBeNull()
  })
})
