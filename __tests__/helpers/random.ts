/** Seeded randomness so every simulated test is reproducible. */

export type Rng = () => number

/** mulberry32: a 32-bit seeded PRNG, uniform on [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

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
