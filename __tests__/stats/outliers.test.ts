import { describe, expect, it } from '@jest/globals'
import { madScreen } from '../../src/stats/outliers.js'
import { gaussian, mulberry32 } from '../helpers/random.js'

const logs = (vs: number[]): number[] => vs.map(Math.log)

describe('madScreen', () => {
  it('drops a ×5 cold start and reports it', () => {
    const values = logs([100, 102, 98, 500, 101, 99, 103, 97, 100, 101])
    const r = madScreen(values)
    expect(r.dropped).toEqual([{ index: 3, value: values[3] }])
    expect(r.keptIndices).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9])
    expect(r.kept).toEqual(r.keptIndices.map((i) => values[i]))
  })

  it('never drops more than 20 % of an arm, taking the most extreme first', () => {
    const values = logs([100, 101, 99, 102, 98, 100, 300, 1000, 500, 200])
    const r = madScreen(values)
    expect(r.dropped.map((d) => d.index)).toEqual([7, 8])
    expect(r.kept).toHaveLength(8)
  })

  it('keeps everything when MAD = 0 (deterministic metric)', () => {
    const values = logs([512, 512, 512, 512, 512, 512, 600])
    expect(madScreen(values).dropped).toEqual([])
    expect(madScreen(values).kept).toHaveLength(7)
  })

  it('skips arms with fewer than 5 values', () => {
    const r = madScreen(logs([100, 101, 99, 500]))
    expect(r.dropped).toEqual([])
    expect(r.kept).toHaveLength(4)
  })

  it('leaves clean noise alone', () => {
    const values = logs([100, 104, 97, 101, 99, 103, 96, 102, 98, 100])
    expect(madScreen(values).dropped).toEqual([])
  })

  it('can drop on either side', () => {
    const values = logs([100, 101, 99, 102, 98, 100, 101, 99, 100, 20])
    expect(madScreen(values).dropped.map((d) => d.index)).toEqual([9])
  })

  it('never keeps fewer than minKept values, and keeps all below it', () => {
    const values = logs([100, 101, 99, 102, 98, 500, 1000])
    expect(madScreen(values).dropped).toHaveLength(1)
    expect(madScreen(values, { minKept: 7 }).dropped).toEqual([])
    expect(madScreen(values.slice(0, 5), { minKept: 6 }).kept).toHaveLength(5)
  })

  it('rarely fires on clean normal noise: under 5 % of 10-value arms (2000 seeded arms)', () => {
    // 3.5 fires on ~12 %: a 10-value MAD is too unstable for the textbook cutoff.
    const rng = mulberry32(8)
    let fired = 0
    for (let i = 0; i < 2000; i++) {
      if (madScreen(Array.from({ length: 10 }, () => gaussian(rng))).dropped.length > 0) fired++
    }
    expect(fired / 2000).toBeLessThan(0.05)
  })
})
