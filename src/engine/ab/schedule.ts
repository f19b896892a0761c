import type { AbOrder } from '../../config/types.js'
import { seededRng, type Rng } from '../../shared/random.js'

/*
 * The order of an A/B run's visits. A drift inside the job (a runner warming up, a neighbour
 * arriving) must not land on one arm more than the other: with a fixed AB AB … order a linear ramp
 * biases every pair by one time slot. Balanced random order (Pinpoint's) puts exactly half of the
 * pairs base-first and half head-first, shuffled, so a ramp cancels and a periodic disturbance
 * cannot lock onto the schedule; ABBA blocks (asv's rounds) cancel a ramp deterministically.
 *
 * The order is a pure function of the seed, the benchmark and the block, so a run is replayed by
 * passing its printed seed.
 */

/** Which arm runs first in a pair: `AB` = base, then head. */
export type PairOrder = 'AB' | 'BA'

/** FNV-1a of a name: each benchmark gets its own stream of the one seed. */
function hashName(name: string): number {
  let h = 0x811c9dc5
  for (const ch of Buffer.from(name, 'utf8')) {
    h ^= ch
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/**
 * `n` pairs, half AB and half BA (the odd one out drawn at random), in a random order. Every
 * permutation of that multiset is equally likely (Fisher–Yates).
 */
export function balancedOrder(n: number, rng: Rng): PairOrder[] {
  if (!(Number.isInteger(n) && n >= 0))
    throw new RangeError(`pairs must be an integer ≥ 0, got ${n}`)
  const half = Math.floor(n / 2)
  const order: PairOrder[] = [
    ...Array<PairOrder>(half).fill('AB'),
    ...Array<PairOrder>(half).fill('BA')
  ]
  if (n % 2 === 1) order.push(rng() < 0.5 ? 'AB' : 'BA')
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const t = order[i]
    order[i] = order[j]
    order[j] = t
  }
  return order
}

/** ABBA blocks: AB, BA, AB, BA, …, so every two pairs are base, head, head, base. */
export function abbaOrder(n: number): PairOrder[] {
  if (!(Number.isInteger(n) && n >= 0))
    throw new RangeError(`pairs must be an integer ≥ 0, got ${n}`)
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'AB' : 'BA'))
}

/**
 * The pair orders of one benchmark, a block at a time: the first look's pairs, then each
 * extension's. Each block is balanced on its own, so the pairs compared at every look are.
 */
export class PairSchedule {
  private readonly rng: Rng
  private readonly done: PairOrder[] = []

  constructor(
    readonly order: AbOrder,
    readonly seed: number,
    benchmark: string
  ) {
    this.rng = seededRng((seed ^ hashName(benchmark)) >>> 0)
  }

  /** The orders of the next `n` pairs. */
  next(n: number): PairOrder[] {
    const block =
      this.order === 'abba'
        ? // An odd block would leave the following one starting with BA: keep the alternation.
          abbaOrder(this.done.length + n).slice(this.done.length)
        : balancedOrder(n, this.rng)
    this.done.push(...block)
    return block
  }

  /** Every order handed out so far, in pair order. */
  get orders(): readonly PairOrder[] {
    return this.done
  }
}
