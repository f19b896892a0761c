import { describe, expect, it } from '@jest/globals'
import { PairSchedule, abbaOrder, balancedOrder } from '../../src/engine/ab/schedule.js'
import { seededRng } from '../../src/shared/random.js'

const count = (orders: readonly string[], o: string) => orders.filter((x) => x === o).length

describe('the A/B visit order', () => {
  it('is pinned for a given seed and benchmark, block by block, so a printed seed replays it', () => {
    const s = new PairSchedule('balanced', 1234, 'workload')
    expect(s.next(10).join(' ')).toBe('BA BA AB AB AB AB BA BA BA AB')
    expect(s.next(10).join(' ')).toBe('AB BA AB AB BA BA BA BA AB AB')
    expect(s.orders).toHaveLength(20)
    const replay = new PairSchedule('balanced', 1234, 'workload')
    expect([...replay.next(10), ...replay.next(10)]).toEqual(s.orders)
  })

  it('gives each benchmark and each seed its own order', () => {
    const orders = (seed: number, name: string) =>
      new PairSchedule('balanced', seed, name).next(20).join('')
    expect(orders(1234, 'workload')).not.toBe(orders(1234, 'cli-startup'))
    expect(orders(1234, 'workload')).not.toBe(orders(1235, 'workload'))
  })

  it('puts exactly half of every block base-first, for every seed', () => {
    for (let seed = 0; seed < 200; seed++) {
      const s = new PairSchedule('balanced', seed, 'b')
      for (const n of [10, 10, 6]) {
        const block = s.next(n)
        expect(count(block, 'AB')).toBe(n / 2)
        expect(count(block, 'BA')).toBe(n / 2)
      }
    }
  })

  it('draws the odd pair of an odd block at random, and shuffles uniformly', () => {
    const firsts = { AB: 0, BA: 0 }
    let oddAB = 0
    for (let seed = 1; seed <= 4000; seed++) {
      const order = balancedOrder(7, seededRng(seed))
      expect(Math.abs(count(order, 'AB') - count(order, 'BA'))).toBe(1)
      if (count(order, 'AB') === 4) oddAB++
      firsts[order[0]]++
    }
    // Binomial(4000, 1/2): ±4 sd is ±126.
    expect(Math.abs(oddAB - 2000)).toBeLessThan(126)
    expect(Math.abs(firsts.AB - 2000)).toBeLessThan(126)
  })

  it('keeps ABBA blocks alternating across looks, whatever the seed', () => {
    expect(abbaOrder(4)).toEqual(['AB', 'BA', 'AB', 'BA'])
    const s = new PairSchedule('abba', 99, 'b')
    expect([...s.next(3), ...s.next(3)]).toEqual(['AB', 'BA', 'AB', 'BA', 'AB', 'BA'])
    expect(new PairSchedule('abba', 1, 'x').next(6)).toEqual(s.orders)
  })

  it('refuses a negative or fractional number of pairs', () => {
    expect(() => balancedOrder(-1, seededRng(1))).toThrow(/integer ≥ 0/)
    expect(() => abbaOrder(2.5)).toThrow(/integer ≥ 0/)
  })
})
