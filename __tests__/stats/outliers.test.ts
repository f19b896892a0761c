import { describe, expect, it } from '@jest/globals'
import { madScreen } from '../../src/stats/outliers.js'

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
})
