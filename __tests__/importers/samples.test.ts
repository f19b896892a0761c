import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { SampleList } from '../../src/importers/read/samples.js'

describe('SampleList', () => {
  it('gives back every sample in order, across its chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 5000 }), (xs) => {
        const list = new SampleList()
        for (const x of xs) list.push(x)
        expect(list.length).toBe(xs.length)
        expect(list.toArray()).toEqual(xs)
      }),
      { seed: 9, numRuns: 60 }
    )
  })

  it('holds more samples than any one chunk', () => {
    const list = new SampleList()
    for (let i = 0; i < 100_000; i++) list.push(i / 7)
    const got = list.toArray()
    expect(got).toHaveLength(100_000)
    expect(got.every((x, i) => x === i / 7)).toBe(true)
  })
})
