import { describe, expect, it } from '@jest/globals'
import { readInputs } from '../../src/action/inputs.js'
import { UserError } from '../../src/errors.js'

const from = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

describe('shard inputs', () => {
  it('reads shard, benchmarks and shards', () => {
    expect(readInputs(from({ shard: '2/3' }))).toMatchObject({
      shard: { index: 2, count: 3 },
      benchmarks: undefined
    })
    expect(readInputs(from({ benchmarks: 'decode,\nprefill' }))).toMatchObject({
      benchmarks: ['decode', 'prefill'],
      shard: undefined
    })
    expect(readInputs(from({ mode: 'merge', shards: '3' }))).toMatchObject({
      mode: 'merge',
      shards: 3
    })
  })

  it.each([
    [{ shard: '1/2', benchmarks: 'a' }, "set input 'shard' or input 'benchmarks', not both"],
    [
      { mode: 'merge', shard: '1/2' },
      "input 'shard' selects what a shard job runs; it is not read in mode 'merge'"
    ],
    [
      { mode: 'report', 'results-dir': 'x', benchmarks: 'a' },
      "input 'benchmarks' selects what a shard job runs; it is not read in mode 'report'"
    ],
    [{ mode: 'merge', shards: '0' }, "input 'shards' must be an integer >= 1; got '0'"],
    [{ shard: '3/2' }, "input 'shard' must be i/n with 1 <= i <= n"]
  ])('refuses %j', (inputs, message) => {
    expect(() => readInputs(from(inputs))).toThrow(UserError)
    expect(() => readInputs(from(inputs))).toThrow(message)
  })
})
