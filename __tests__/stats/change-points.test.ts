import { describe, expect, it } from '@jest/globals'
import { bestEnergySplit, detectChangePoints } from '../../src/stats/change-points.js'
import { lognormal, mulberry32 } from '../helpers/random.js'

/** T lognormal values around 100 (CV `cv`), multiplied by `ratio` from index `at` on, per step. */
function series(seed: number, length: number, cv: number, steps: Array<[number, number]>) {
  return lognormal(mulberry32(seed), length, 100, cv).map(
    (v, i) => v * steps.filter(([at]) => i >= at).reduce((acc, [, ratio]) => acc * ratio, 1)
  )
}

const positions = (values: number[], opts = {}) =>
  detectChangePoints(values, opts).map((c) => c.index)

/** q̂ of every split by the textbook double sums, O(L³): the reference for the O(L²) update. */
function bruteForceSplit(z: number[], from: number, to: number, minSize: number) {
  let best: { index: number; q: number } | null = null
  for (let t = from + minSize; t <= to - minSize; t++) {
    const x = z.slice(from, t)
    const y = z.slice(t, to)
    const mean = (a: number[], b: number[]) => {
      let s = 0
      for (const u of a) for (const v of b) s += Math.abs(u - v)
      return s / (a.length * b.length)
    }
    const e = 2 * mean(x, y) - mean(x, x) - mean(y, y)
    const q = ((x.length * y.length) / (x.length + y.length)) * e
    if (best === null || q > best.q) best = { index: t, q }
  }
  return best
}

describe('bestEnergySplit', () => {
  it('matches the direct energy-distance computation on every segment', () => {
    const rng = mulberry32(17)
    for (let trial = 0; trial < 30; trial++) {
      const z = Array.from({ length: 8 + Math.floor(rng() * 30) }, () => rng() * 3)
      const from = Math.floor(rng() * 4)
      const to = z.length - Math.floor(rng() * 4)
      const minSize = 1 + Math.floor(rng() * 3)
      const fast = bestEnergySplit(z, from, to, minSize)
      const slow = bruteForceSplit(z, from, to, minSize)
      expect(fast?.index).toBe(slow?.index)
      expect(fast?.q).toBeCloseTo(slow?.q ?? NaN, 9)
    }
  })

  it('returns null when the segment cannot hold two sides of minSize', () => {
    expect(bestEnergySplit([1, 2, 3, 4, 5], 0, 5, 3)).toBeNull()
  })
})

describe('detectChangePoints', () => {
  it('finds a single +10 % step exactly, with its size and levels (20 seeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const found = detectChangePoints(series(seed, 60, 0.01, [[30, 1.1]]))
      expect(found.map((c) => c.index)).toEqual([30])
      expect(found[0].change).toBeGreaterThan(0.09)
      expect(found[0].change).toBeLessThan(0.11)
      expect(found[0].before).toBeGreaterThan(99)
      expect(found[0].before).toBeLessThan(101)
      expect(found[0].pValue).toBeLessThan(1e-10)
    }
  })

  it('finds two, three and stair-case steps at their exact positions (20 seeds each)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      expect(
        positions(
          series(seed, 120, 0.01, [
            [40, 1.1],
            [85, 0.85]
          ])
        )
      ).toEqual([40, 85])
      expect(
        positions(
          series(seed, 90, 0.01, [
            [30, 1.08],
            [60, 1.08]
          ])
        )
      ).toEqual([30, 60])
      expect(
        positions(
          series(seed, 150, 0.01, [
            [20, 1.05],
            [70, 0.9],
            [120, 1.12]
          ])
        )
      ).toEqual([20, 70, 120])
    }
  })

  it('reports improvements as negative changes', () => {
    const [c] = detectChangePoints(series(2, 60, 0.01, [[25, 0.8]]))
    expect(c.index).toBe(25)
    expect(c.change).toBeCloseTo(-0.2, 1)
    expect(c.after).toBeLessThan(c.before)
  })

  it('stays within one commit of a step when the noise is half its size', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const found = positions(
        series(seed, 120, 0.02, [
          [40, 1.1],
          [85, 0.85]
        ])
      )
      expect(found).toHaveLength(2)
      expect(Math.abs(found[0] - 40)).toBeLessThanOrEqual(1)
      expect(Math.abs(found[1] - 85)).toBeLessThanOrEqual(1)
    }
  })

  it('rarely invents a change in a flat history (20 series of 100 at CV 5 %)', () => {
    let found = 0
    for (let seed = 1; seed <= 20; seed++) found += positions(series(seed, 100, 0.05, [])).length
    expect(found).toBeLessThanOrEqual(2)
  })

  it('does not take a lone spike for a new regime', () => {
    const values = series(3, 100, 0.02, [])
    values[50] *= 3
    expect(positions(values)).toEqual([])
  })

  it('needs minSize points after a change', () => {
    expect(positions(series(4, 53, 0.01, [[50, 1.2]]))).toEqual([50])
    expect(positions(series(4, 53, 0.01, [[50, 1.2]]), { minSize: 4 })).not.toContain(50)
  })

  it('ignores significant steps below minMagnitude', () => {
    const values = series(5, 80, 0.001, [[40, 1.01]])
    expect(positions(values)).toEqual([])
    const [c] = detectChangePoints(values, { minMagnitude: 0.005 })
    expect(c.index).toBe(40)
    expect(c.pValue).toBeLessThan(1e-10)
  })

  it('handles a deterministic metric: constant levels, a certain step', () => {
    const values = [...Array<number>(12).fill(512), ...Array<number>(8).fill(580)]
    const found = detectChangePoints(values)
    expect(found).toHaveLength(1)
    expect(found[0].index).toBe(12)
    expect(found[0].pValue).toBeLessThan(1e-100)
    expect(found[0].change).toBeCloseTo(580 / 512 - 1, 12)
    expect(detectChangePoints(Array<number>(30).fill(7))).toEqual([])
  })

  it('is deterministic and leaves short series alone', () => {
    const values = series(6, 80, 0.03, [[50, 1.1]])
    expect(detectChangePoints(values)).toEqual(detectChangePoints(values))
    expect(detectChangePoints([100, 120, 100])).toEqual([])
    expect(detectChangePoints([])).toEqual([])
  })

  it('rejects values it cannot take the log of, and bad options', () => {
    expect(() => detectChangePoints([1, 2, 0, 3])).toThrow(/value #3 is 0/)
    expect(() => detectChangePoints([1, NaN])).toThrow(RangeError)
    expect(() => detectChangePoints([1, 2], { minSize: 0 })).toThrow(RangeError)
    expect(() => detectChangePoints([1, 2], { maxPValue: 0 })).toThrow(RangeError)
    expect(() => detectChangePoints([1, 2], { minMagnitude: -1 })).toThrow(RangeError)
  })
})
