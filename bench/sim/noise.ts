import type { Direction } from '../../src/results/model.js'
import { gaussian, lognormal, mulberry32, type Rng } from '../../__tests__/helpers/random.js'

/*
 * Simulated run values for bench:decisions. Every trial draws both arms at the longest size once;
 * shorter designs use prefixes and each true change scales the same draw, so all rules, sizes and
 * changes of a trial see the same noise and their differences are the rules', not the luck's.
 */

/** Largest runs per arm any design in the bench uses. */
export const MAX_RUNS = 20

export type Family = 'lognormal' | 'heavy-tail' | 'cold-start'

export interface Draw {
  current: number[]
  baseline: number[]
  /** Where each arm's cold start lands, as a fraction of its length (cold-start only). */
  coldAt: [number, number] | null
}

export interface Arms {
  current: number[]
  baseline: number[]
  direction: Direction
}

/** A seed per (stream, cell, trial), so cells can be run in any order with the same result. */
export function seedOf(...parts: number[]): number {
  let h = 0x811c9dc5
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193)
    h = Math.imul(h ^ (h >>> 15), 0x85ebca77)
    h ^= h >>> 13
  }
  return h >>> 0
}

function heavyTail(rng: Rng, n: number): number[] {
  // Interference or throttling: 10 % of runs get a slowdown of exp(|N(0, 0.5)|) on σ = 0.05 noise.
  return Array.from({ length: n }, () => {
    const v = 100 * Math.exp(0.05 * gaussian(rng))
    return rng() < 0.1 ? v * Math.exp(Math.abs(0.5 * gaussian(rng))) : v
  })
}

export function draw(family: Family, cv: number, seed: number): Draw {
  const rng = mulberry32(seed)
  if (family === 'heavy-tail') {
    return { current: heavyTail(rng, MAX_RUNS), baseline: heavyTail(rng, MAX_RUNS), coldAt: null }
  }
  const current = lognormal(rng, MAX_RUNS, 100, cv)
  const baseline = lognormal(rng, MAX_RUNS, 100, cv)
  return { current, baseline, coldAt: family === 'cold-start' ? [rng(), rng()] : null }
}

/**
 * The first n runs of each arm, the current arm `delta` worse (lower is better), with a ×5 cold
 * start placed inside the n runs of each arm when the family has one.
 */
export function arms(d: Draw, n: number, delta: number): Arms {
  const current = d.current.slice(0, n).map((v) => v * (1 + delta))
  const baseline = d.baseline.slice(0, n)
  if (d.coldAt) {
    current[Math.floor(d.coldAt[0] * n)] *= 5
    baseline[Math.floor(d.coldAt[1] * n)] *= 5
  }
  return { current, baseline, direction: 'lower' }
}

/**
 * `multi12`: four models × {throughput (higher is better, CV 8 %), time to first token (CV 10 %,
 * one ×5 cold start per arm), VRAM (CV 0.5 %)}. With delta > 0 the first model's throughput is
 * that much worse; the other eleven are unchanged.
 */
export const MULTI12_CV = 0.1

export function multi12(seed: number, n: number, delta: number): Arms[] {
  const rng = mulberry32(seed)
  const out: Arms[] = []
  for (let model = 0; model < 4; model++) {
    const tputCur = lognormal(rng, MAX_RUNS, 1000, 0.08).slice(0, n)
    const tputBase = lognormal(rng, MAX_RUNS, 1000, 0.08).slice(0, n)
    if (model === 0) for (let i = 0; i < n; i++) tputCur[i] *= 1 - delta
    out.push({ current: tputCur, baseline: tputBase, direction: 'higher' })
    const ttft = arms(
      {
        current: lognormal(rng, MAX_RUNS, 100, 0.1),
        baseline: lognormal(rng, MAX_RUNS, 100, 0.1),
        coldAt: [rng(), rng()]
      },
      n,
      0
    )
    out.push(ttft)
    out.push({
      current: lognormal(rng, MAX_RUNS, 8000, 0.005).slice(0, n),
      baseline: lognormal(rng, MAX_RUNS, 8000, 0.005).slice(0, n),
      direction: 'lower'
    })
  }
  return out
}
