import { randomInt } from 'node:crypto'

/*
 * Seeded randomness for the orders a run must be able to replay: A/B visit orders and matrix
 * cells. One generator, so a seed printed by either means the same stream.
 */

export type Rng = () => number

/** mulberry32: a small 32-bit seeded generator, uniform on [0, 1); the same seed, the same stream. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A fresh seed for a run that was given none: printed and recorded, so the run can be replayed. */
export function newSeed(): number {
  return randomInt(1, 2 ** 31)
}
