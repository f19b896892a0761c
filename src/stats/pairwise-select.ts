/**
 * The k-th smallest of all N·M pairwise differences y_i − x_j, without building them all. Sorting
 * every difference costs O(NM log NM): 25 million values for 5,000 samples a side, which made a
 * large import take minutes. This is Johnson & Mizoguchi's selection (1978): the differences form
 * N sorted rows; each round takes the weighted median of the rows' middle candidates as a pivot,
 * which discards at least a quarter of the candidates, until few enough are left to sort.
 *
 * Each round is linear: the weighted median is a quickselect, and where the pivot falls in every
 * row is one sweep, since that column only moves left as the rows' y grows. Binary searches and
 * a sort per round cost 9 s at 150,000 samples a side.
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
  // Row i is y_i − xd_j for x descending, so every row ascends with j and every column with i.
  const xd = Float64Array.from(x).reverse()
  const yv = Float64Array.from(y)
  // Candidates of row i are columns lo[i] .. hi[i] − 1.
  const lo = new Int32Array(n)
  const hi = new Int32Array(n).fill(m)
  const below = new Int32Array(n)
  const atOrBelow = new Int32Array(n)
  const values = new Float64Array(n)
  const weights = new Float64Array(n)
  let rank = k
  for (;;) {
    let total = 0
    let rows = 0
    for (let i = 0; i < n; i++) {
      const w = hi[i] - lo[i]
      if (w === 0) continue
      values[rows] = yv[i] - xd[(lo[i] + hi[i] - 1) >> 1]
      weights[rows++] = w
      total += w
    }
    if (total <= SORT_BELOW) {
      const rest: number[] = []
      for (let i = 0; i < n; i++) for (let j = lo[i]; j < hi[i]; j++) rest.push(yv[i] - xd[j])
      return rest.sort((a, b) => a - b)[rank - 1]
    }
    const pivot = weightedMedian(values, weights, rows, total)
    // Per row: the first column ≥ pivot and the first > pivot, within the row's candidates.
    sweep(yv, xd, pivot, false, lo, hi, below)
    sweep(yv, xd, pivot, true, lo, hi, atOrBelow)
    let countBelow = 0
    let countAtOrBelow = 0
    for (let i = 0; i < n; i++) {
      countBelow += below[i] - lo[i]
      countAtOrBelow += atOrBelow[i] - lo[i]
    }
    if (rank <= countBelow) {
      hi.set(below)
    } else if (rank <= countAtOrBelow) {
      return pivot
    } else {
      rank -= countAtOrBelow
      lo.set(atOrBelow)
    }
  }
}

/**
 * For each row, the first column whose difference is ≥ pivot (`strict`: > pivot), clamped to the
 * row's candidates. Over the whole row that column never grows with i, so one pass finds them all.
 */
function sweep(
  y: Float64Array,
  xd: Float64Array,
  pivot: number,
  strict: boolean,
  lo: Int32Array,
  hi: Int32Array,
  out: Int32Array
): void {
  let j = xd.length
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]
    while (j > 0 && (strict ? yi - xd[j - 1] > pivot : yi - xd[j - 1] >= pivot)) j--
    out[i] = Math.min(hi[i], Math.max(lo[i], j))
  }
}

/**
 * The smallest value whose cumulative weight reaches half the total: a three-way quickselect over
 * the first `len` entries, reordering both arrays together. Deterministic (median-of-three pivot).
 */
function weightedMedian(
  values: Float64Array,
  weights: Float64Array,
  len: number,
  total: number
): number {
  let lo = 0
  let hi = len - 1
  let need = total / 2
  for (;;) {
    if (lo >= hi) return values[lo]
    const a = values[lo]
    const b = values[(lo + hi) >> 1]
    const c = values[hi]
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c))
    // [lo, lt) < pivot, [lt, gt] = pivot, (gt, hi] > pivot
    let lt = lo
    let gt = hi
    let i = lo
    while (i <= gt) {
      const v = values[i]
      if (v < pivot) swapPair(values, weights, lt++, i++)
      else if (v > pivot) swapPair(values, weights, i, gt--)
      else i++
    }
    let less = 0
    for (let t = lo; t < lt; t++) less += weights[t]
    let equal = 0
    for (let t = lt; t <= gt; t++) equal += weights[t]
    if (need <= less) hi = lt - 1
    else if (need <= less + equal) return pivot
    else {
      need -= less + equal
      lo = gt + 1
    }
  }
}

function swapPair(values: Float64Array, weights: Float64Array, i: number, j: number): void {
  const v = values[i]
  values[i] = values[j]
  values[j] = v
  const w = weights[i]
  weights[i] = weights[j]
  weights[j] = w
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
