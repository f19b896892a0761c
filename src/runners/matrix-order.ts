import type { BenchmarkSpec } from '../config/types.js'

/*
 * Matrix cells run in a shuffled order, so a runner warming up or throttling over an hour shows up
 * as noise spread over every cell rather than as a trend along one axis. The seed is printed and
 * recorded with the results; `matrix-seed:` repeats an order.
 */

/** mulberry32: small, fast and good enough to shuffle a list; the same seed, the same order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A fresh seed when the config names none. */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31)
}

/**
 * The order to run `specs` in: each matrix entry's cells are shuffled among the places they hold,
 * everything else keeps its place. Returns indexes into `specs`.
 */
export function runOrder(specs: readonly BenchmarkSpec[], seed: number): number[] {
  const random = seededRandom(seed)
  const order = specs.map((_, i) => i)
  const byEntry = new Map<string, number[]>()
  specs.forEach((s, i) => {
    if (!s.matrix) return
    const list = byEntry.get(s.matrix.entry) ?? []
    list.push(i)
    byEntry.set(s.matrix.entry, list)
  })
  for (const places of byEntry.values()) {
    const shuffled = [...places]
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const tmp = shuffled[i]
      shuffled[i] = shuffled[j]
      shuffled[j] = tmp
    }
    places.forEach((place, k) => {
      order[place] = shuffled[k]
    })
  }
  return order
}
