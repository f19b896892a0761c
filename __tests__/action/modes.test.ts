import { describe, expect, it } from '@jest/globals'
import { modeFor } from '../../src/action/modes/index.js'

describe('the action modes', () => {
  it('names the input at fault and the modes there are', () => {
    expect(() => modeFor('deploy')).toThrow(
      "input 'mode' must be one of gate, baseline, compare, report, merge, history, dashboard; got 'deploy'"
    )
    // An object's own keys only: 'constructor' is no mode.
    expect(() => modeFor('constructor')).toThrow("input 'mode' must be one of")
  })

  it('refuses mode compare with what to use instead', async () => {
    await expect(Promise.resolve().then(() => modeFor('compare')({} as never))).rejects.toThrow(
      "mode 'compare' is not available in this version of the action"
    )
  })
})
