import { tTwoSidedP } from './student-t.js'

/*
 * Change points in a metric's history (one value per commit, oldest first) by E-Divisive means
 * (Matteson & James 2014): bisect at the split that maximizes the energy distance between the two
 * sides. Candidates are accepted by a Student t-test between the adjacent segments, as Hunter
 * does, instead of the original permutation test, whose random permutations made the same history
 * give different answers from one night to the next. Work is on log values, so a step is a ratio
 * and one threshold fits every metric.
 */

export interface ChangePointOptions {
  /** Fewest points on each side of a change: a lone spike is not a new regime. Default 3. */
  minSize?: number
  /**
   * Largest two-sided p-value accepted. Small by default (0.001) because the split tested is the
   * best of many, which makes its nominal p-value optimistic.
   */
  maxPValue?: number
  /** Smallest relative change worth reporting (0.02 = 2 %). Default 0.02. */
  minMagnitude?: number
}

export interface ChangePoint {
  /** Index of the first value of the new regime: the change lies between index − 1 and index. */
  index: number
  /** Relative change of the geometric mean across the change (+0.1 = 10 % higher after it). */
  change: number
  /** Two-sided Student t p-value between the adjacent segments. */
  pValue: number
  /** Geometric means of the adjacent segments. */
  before: number
  after: number
}

export interface Split {
  /** First index of the right side. */
  index: number
  /** Scaled energy divergence q̂ = nm/(n+m)·Ê at that split. */
  q: number
}

/**
 * The split of z[from, to) with the largest q̂, each side keeping at least `minSize` points, or
 * null when the segment is too short. Moving one point at a time from the right side to the left
 * updates the three distance sums in O(L), so a segment of L points costs O(L²) with no matrix.
 */
export function bestEnergySplit(
  z: readonly number[],
  from: number,
  to: number,
  minSize: number
): Split | null {
  const len = to - from
  if (len < 2 * minSize) return null
  // Sums of |z_i − z_j| over unordered pairs: across the split, within left, within right.
  let across = 0
  let left = 0
  let right = 0
  for (let i = from; i < to; i++) for (let j = i + 1; j < to; j++) right += Math.abs(z[i] - z[j])
  let best: Split | null = null
  for (let p = from; p < to - minSize; p++) {
    let toLeft = 0
    let toRight = 0
    for (let i = from; i < p; i++) toLeft += Math.abs(z[i] - z[p])
    for (let j = p + 1; j < to; j++) toRight += Math.abs(z[p] - z[j])
    across += toRight - toLeft
    left += toLeft
    right -= toRight
    const n = p + 1 - from
    const m = to - p - 1
    if (n < minSize) continue
    // V-statistic form: ordered pairs within a side count each unordered pair twice.
    const energy = (2 * across) / (n * m) - (2 * left) / (n * n) - (2 * right) / (m * m)
    const q = ((n * m) / (n + m)) * energy
    if (best === null || q > best.q) best = { index: p + 1, q }
  }
  return best
}

function meanAndSs(z: readonly number[], from: number, to: number): [number, number] {
  let sum = 0
  for (let i = from; i < to; i++) sum += z[i]
  const mean = sum / (to - from)
  let ss = 0
  for (let i = from; i < to; i++) ss += (z[i] - mean) ** 2
  return [mean, ss]
}

/** The change at `index` judged between z[from, index) and z[index, to). */
function judge(z: readonly number[], from: number, index: number, to: number): ChangePoint {
  const n = index - from
  const m = to - index
  const [ml, ssl] = meanAndSs(z, from, index)
  const [mr, ssr] = meanAndSs(z, index, to)
  const df = n + m - 2
  const pooled = df > 0 ? (ssl + ssr) / df : 0
  const se = Math.sqrt(pooled * (1 / n + 1 / m))
  let pValue: number
  // Constant segments (a deterministic metric): any difference is certain, none is nothing.
  if (!(se > 0)) pValue = mr === ml ? 1 : 0
  else pValue = tTwoSidedP((mr - ml) / se, df)
  return { index, change: Math.expm1(mr - ml), pValue, before: Math.exp(ml), after: Math.exp(mr) }
}

function passes(c: ChangePoint, maxPValue: number, minMagnitude: number): boolean {
  return c.pValue <= maxPValue && Math.abs(c.change) >= minMagnitude
}

function checkOptions(minSize: number, maxPValue: number, minMagnitude: number): void {
  if (!(Number.isInteger(minSize) && minSize >= 1)) {
    throw new RangeError(`minSize must be an integer ≥ 1, got ${minSize}`)
  }
  if (!(maxPValue > 0 && maxPValue <= 1)) {
    throw new RangeError(`maxPValue must be in (0, 1], got ${maxPValue}`)
  }
  if (!(minMagnitude >= 0)) throw new RangeError(`minMagnitude must be ≥ 0, got ${minMagnitude}`)
}

/**
 * Change points of a series of positive values, ascending by index. Each round searches every
 * segment between the accepted points and accepts the candidate with the largest divergence among
 * those significant and large enough; it stops when none is. A final pass re-tests each point
 * against its neighbours' segments and drops the weakest until all hold, since a point accepted
 * early may owe its significance to a later-found change inside one of its sides.
 */
export function detectChangePoints(
  series: readonly number[],
  opts: ChangePointOptions = {}
): ChangePoint[] {
  const minSize = opts.minSize ?? 3
  const maxPValue = opts.maxPValue ?? 0.001
  const minMagnitude = opts.minMagnitude ?? 0.02
  checkOptions(minSize, maxPValue, minMagnitude)
  series.forEach((v, i) => {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new RangeError(`value #${i + 1} is ${v}: change points are found on ratios (> 0)`)
    }
  })
  const z = series.map(Math.log)

  const points: number[] = []
  // Best split per segment, keyed by its bounds: only the two halves of a cut need a new search.
  const cache = new Map<string, Split | null>()
  const splitOf = (from: number, to: number): Split | null => {
    const key = `${from}:${to}`
    if (!cache.has(key)) cache.set(key, bestEnergySplit(z, from, to, minSize))
    return cache.get(key) ?? null
  }
  for (;;) {
    const bounds = [0, ...points, z.length]
    let chosen: Split | null = null
    for (let s = 0; s + 1 < bounds.length; s++) {
      const split = splitOf(bounds[s], bounds[s + 1])
      if (split === null || (chosen !== null && split.q <= chosen.q)) continue
      if (passes(judge(z, bounds[s], split.index, bounds[s + 1]), maxPValue, minMagnitude)) {
        chosen = split
      }
    }
    if (chosen === null) break
    points.push(chosen.index)
    points.sort((a, b) => a - b)
  }

  const judged = (): ChangePoint[] =>
    points.map((index, i) => judge(z, points[i - 1] ?? 0, index, points[i + 1] ?? z.length))
  let result = judged()
  for (;;) {
    const failing = result.filter((c) => !passes(c, maxPValue, minMagnitude))
    if (failing.length === 0) return result
    const weakest = failing.reduce((a, b) =>
      b.pValue > a.pValue || (b.pValue === a.pValue && Math.abs(b.change) < Math.abs(a.change))
        ? b
        : a
    )
    points.splice(points.indexOf(weakest.index), 1)
    result = judged()
  }
}
