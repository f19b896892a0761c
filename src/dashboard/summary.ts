import { quantileSorted } from 'simple-statistics'

/*
 * What the dashboard draws for one run of one metric: its median and a band, computed here at
 * build time so the page never sorts a sample. The band is the distribution-free 90 % confidence
 * interval of the median (order statistics whose ranks a Binomial(n, ½) brackets with ≥ 90 %);
 * below 5 samples no pair of ranks reaches 90 %, so the band is the 5th to 95th percentile instead.
 */

export const BAND_LEVEL = 0.9
/** Fewest samples for which the median's 90 % interval exists: 1 − 2·½⁵ = 0.9375 ≥ 0.9. */
export const MIN_CI_SAMPLES = 5

export interface RunSummary {
  median: number
  lo: number
  hi: number
  n: number
  /** `ci`: the median's 90 % CI; `pct`: p5–p95 (too few samples for the CI). */
  band: 'ci' | 'pct'
}

/**
 * 1-based rank k of the lower end of the median's CI: the largest k with P(B ≤ k − 1) ≤ (1 − level)/2,
 * B ~ Binomial(n, ½); the interval is [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎]. 0 when no k qualifies (n too small).
 * The pmf is walked in log space, so large n does not underflow.
 */
export function medianCiRank(n: number, level = BAND_LEVEL): number {
  const tail = (1 - level) / 2
  let logPmf = n * Math.log(0.5)
  let cdf = 0
  let k = 0
  for (let j = 0; j < n; j++) {
    cdf += Math.exp(logPmf)
    if (cdf > tail) break
    k = j + 1
    logPmf += Math.log((n - j) / (j + 1))
  }
  return k
}

export function summarise(samples: readonly number[]): RunSummary {
  const sorted = Float64Array.from(samples).sort()
  const n = sorted.length
  const median = medianSorted(sorted)
  const k = n >= MIN_CI_SAMPLES ? medianCiRank(n) : 0
  if (k > 0) return { median, lo: sorted[k - 1], hi: sorted[n - k], n, band: 'ci' }
  const list = Array.from(sorted)
  return { median, lo: quantileSorted(list, 0.05), hi: quantileSorted(list, 0.95), n, band: 'pct' }
}

function medianSorted(sorted: Float64Array): number {
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Median of numbers (a copy is sorted). */
export function medianOf(values: readonly number[]): number {
  return medianSorted(Float64Array.from(values).sort())
}

/**
 * Buckets of consecutive positions for an overview of `length` points in about `target` points:
 * each bucket is [from, to). Used for long series, so the first screen draws a thousand points
 * instead of a hundred thousand, while every run stays in the detail files.
 */
export function buckets(length: number, target: number): Array<[number, number]> {
  const size = Math.max(1, Math.ceil(length / Math.max(1, target)))
  const out: Array<[number, number]> = []
  for (let from = 0; from < length; from += size) out.push([from, Math.min(length, from + size)])
  return out
}

/** 6 significant digits: plenty for a chart, and a third of the bytes of a full double. */
export function round6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x
}
