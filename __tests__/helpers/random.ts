/** Seeded randomness so every simulated test is reproducible. */

import { seededRng, type Rng } from '../../src/shared/random.js'

export type { Rng }

/** mulberry32: the engine's own seeded generator, under the name the simulations know it by. */
export const mulberry32 = seededRng

/** Standard normal by Box–Muller. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng() // (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/** n lognormal values with median `median` and coefficient of variation `cv`. */
export function lognormal(rng: Rng, n: number, median: number, cv: number): number[] {
  const sigma = Math.sqrt(Math.log(1 + cv * cv))
  return Array.from({ length: n }, () => median * Math.exp(sigma * gaussian(rng)))
}
