/**
 * The k-th smallest of all N·M pairwise differences y_i − x_j, without building them all. Sorting
 * every difference costs O(NM log NM): 25 million values for 5,000 samples a side, which made a
 * large import take minutes. This is Johnson & Mizoguchi's selection (1978): the differences form
 * N sorted rows; each round takes the weighted median of the rows' middle candidates as a pivot,
 * which discards at least a quarter of the candidates, until few enough are left to sort.
 *
 * `y` and `x` must be sorted ascending; `k` is 1-based.
 */
const SORT_BELOW = 2048

export function kthPairwiseDifference(
  y: readonly number[],
  x: readonly number[],
  k: number
): number {
  const n = y.length
  const m = x.length
  if (n === 0 || m === 0) throw new RangeError('both samples must be non-empty')
  if (!Number.isInteger(k) || k < 1 || k > n * m) throw new RangeError(`k must be in 1..${n * m}`)
  // Row i is y_i − xd_j for x descending, so every row ascends with j.
  const xd = [...x].reverse()
  const diff = (i: number, j: number): number => y[i] - xd[j]
  // Candidates of row i are columns lo[i] .. hi[i] − 1.
  const lo = new Array<number>(n).fill(0)
  const hi = new Array<number>(n).fill(m)
  let rank = k
  for (;;) {
    let total = 0
    for (let i = 0; i < n; i++) total += hi[i] - lo[i]
    if (total <= SORT_BELOW) {
      const rest: number[] = []
      for (let i = 0; i < n; i++) for (let j = lo[i]; j < hi[i]; j++) rest.push(diff(i, j))
      return rest.sort((a, b) => a - b)[rank - 1]
    }
    const pivot = weightedMedianOfRowMiddles(n, lo, hi, diff)
    // Per row: first column ≥ pivot, and first column > pivot.
    const below = new Array<number>(n)
    const atOrBelow = new Array<number>(n)
    let countBelow = 0
    let countAtOrBelow = 0
    for (let i = 0; i < n; i++) {
      const a = firstColumn(i, lo[i], hi[i], (v) => v >= pivot, diff)
      const b = firstColumn(i, a, hi[i], (v) => v > pivot, diff)
      below[i] = a
      atOrBelow[i] = b
      countBelow += a - lo[i]
      countAtOrBelow += b - lo[i]
    }
    if (rank <= countBelow) {
      for (let i = 0; i < n; i++) hi[i] = below[i]
    } else if (rank <= countAtOrBelow) {
      return pivot
    } else {
      rank -= countAtOrBelow
      for (let i = 0; i < n; i++) lo[i] = atOrBelow[i]
    }
  }
}

function weightedMedianOfRowMiddles(
  n: number,
  lo: number[],
  hi: number[],
  diff: (i: number, j: number) => number
): number {
  const rows: Array<{ value: number; weight: number }> = []
  let total = 0
  for (let i = 0; i < n; i++) {
    const w = hi[i] - lo[i]
    if (w === 0) continue
    rows.push({ value: diff(i, (lo[i] + hi[i] - 1) >> 1), weight: w })
    total += w
  }
  rows.sort((a, b) => a.value - b.value)
  let acc = 0
  for (const r of rows) {
    acc += r.weight
    if (2 * acc >= total) return r.value
  }
  return (rows.at(-1) as { value: number }).value
}

/** First column in [from, to) of row i whose difference satisfies `ok` (monotone), else `to`. */
function firstColumn(
  i: number,
  from: number,
  to: number,
  ok: (v: number) => boolean,
  diff: (i: number, j: number) => number
): number {
  let a = from
  let b = to
  while (a < b) {
    const mid = (a + b) >> 1
    if (ok(diff(i, mid))) b = mid
    else a = mid + 1
  }
  return a
}

/**
 * The (k+1)-th smallest value of `a` (k is 0-based), partially reordering `a` in place: Hoare
 * quickselect with a median-of-three pivot. Expected O(len), and repeated calls on the same array
 * get cheaper as it becomes more ordered. Deterministic: no random pivots.
 */
export function selectInPlace(a: Float64Array, k: number): number {
  if (!(Number.isInteger(k) && k >= 0 && k < a.length)) {
    throw new RangeError(`k must be in 0..${a.length - 1}`)
  }
  let lo = 0
  let hi = a.length - 1
  while (hi > lo) {
    const mid = (lo + hi) >> 1
    // Order a[lo], a[mid], a[hi] so the pivot is their median and both ends act as sentinels.
    if (a[mid] < a[lo]) swap(a, mid, lo)
    if (a[hi] < a[lo]) swap(a, hi, lo)
    if (a[hi] < a[mid]) swap(a, hi, mid)
    const pivot = a[mid]
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i] < pivot) i++
      while (a[j] > pivot) j--
      if (i <= j) {
        swap(a, i, j)
        i++
        j--
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and anything strictly between j and i equals the pivot.
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return a[k]
  }
  return a[k]
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]
  a[i] = a[j]
  a[j] = t
}
