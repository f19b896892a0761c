import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/errors.js'
import { importText } from '../../src/importers/index.js'
import { errorOf } from '../helpers/capture.js'

/*
 * Found by the reliability suite's fuzzer (npm run bench:reliability): JSON.parse accepts nesting
 * deep enough to overflow a recursive walk, and the check for Infinity walked recursively, so a
 * hostile result file crashed the import with a RangeError instead of a located UserError.
 */

const deep = (depth: number) =>
  `{\n  "deep": ${'['.repeat(depth)}1${']'.repeat(depth)},\n  "results": []\n}`

describe('deeply nested JSON', () => {
  it('is a UserError naming the file and line, not a stack overflow', () => {
    let thrown: unknown
    try {
      importText('results/hyperfine.json', deep(20_000), 'hyperfine', { class: 'non-critical' })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(UserError)
    expect((thrown as Error).message).toBe('results/hyperfine.json:2: JSON nested too deeply')
  })

  it('still reads nesting within the limit', () => {
    let nested: unknown = 1
    for (let i = 0; i < 100; i++) nested = [nested]
    const text = JSON.stringify({
      deep: nested,
      results: [{ command: 'work', times: [0.1, 0.2] }]
    })
    expect(
      importText('results/hyperfine.json', text, 'hyperfine', { class: 'non-critical' }).benchmarks
    ).toHaveLength(1)
    expect(
      errorOf(() => importText('x.json', deep(600), 'hyperfine', { class: 'non-critical' }))
    ).toMatch(/^x\.json:2: JSON nested too deeply$/)
  })
})
