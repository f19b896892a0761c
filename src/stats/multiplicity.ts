/**
 * Multiple-testing procedures. Both return one boolean per input p-value, in input order. A NaN
 * p-value is never rejected.
 */

/** Indices ordered by ascending p, NaN last, ties by position so the result is deterministic. */
function ascending(p: readonly number[]): number[] {
  const key = (v: number): number => (Number.isNaN(v) ? Infinity : v)
  return p.map((_, i) => i).sort((a, b) => key(p[a]) - key(p[b]) || a - b)
}

/**
 * Benjamini–Hochberg step-up at FDR level q: rejects the r smallest p-values, where r is the
 * largest rank with p₍r₎ ≤ r·q/m.
 */
export function bhReject(p: readonly number[], q: number): boolean[] {
  const m = p.length
  const order = ascending(p)
  let r = 0
  for (let rank = m; rank >= 1; rank--) {
    if (p[order[rank - 1]] <= (rank * q) / m) {
      r = rank
      break
    }
  }
  const reject = new Array<boolean>(m).fill(false)
  for (let i = 0; i < r; i++) reject[order[i]] = true
  return reject
}

/**
 * Holm step-down at family-wise level alpha: walks up from the smallest p and stops at the first
 * p₍r₎ > alpha/(m − r + 1); everything before it is rejected.
 */
export function holmReject(p: readonly number[], alpha: number): boolean[] {
  const m = p.length
  const order = ascending(p)
  const reject = new Array<boolean>(m).fill(false)
  for (let rank = 1; rank <= m; rank++) {
    const i = order[rank - 1]
    if (!(p[i] <= alpha / (m - rank + 1))) break
    reject[i] = true
  }
  return reject
}
