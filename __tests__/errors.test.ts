import { describe, expect, it } from '@jest/globals'
import { UserError, errorMessage } from '../src/errors.js'

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
