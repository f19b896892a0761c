import type { BenchmarkSpec } from '../config/types.js'
import { seededRng } from '../shared/random.js'

/*
 * Matrix cells run in a shuffled order, so a runner warming up or throttling over an hour shows up
 * as noise spread over every cell rather than as a trend along one axis. The seed is printed and
 * recorded with the results; `matrix-seed:` repeats an order.
 */

/**
 * The order to run `specs` in: each matrix entry's cells are shuffled among the places they hold,
 * everything else keeps its place. Returns indexes into `specs`.
 */
export function runOrder(specs: readonly BenchmarkSpec[], seed: number): number[] {
  const random = seededRng(seed)
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
