import type { Direction, MetricClass } from '../results/model.js'

/*
 * The dashboard's data files, as the page reads them. Every file is a `<script>` that pushes one
 * message onto `window.__PG` (a page opened from file:// may load scripts but not fetch JSON):
 *   data/index.js              ['index', SiteIndex]
 *   data/<t>/<b>.js            ['shard', '<t>/<b>', BenchmarkShard]       one per testbed × benchmark
 *   data/<t>/<b>/<m>-<k>.js    ['chunk', '<t>/<b>/<m>/<k>', DetailChunk]  every run, with samples
 * Ids (t0, b3, m1) are positions, so file names never carry an untrusted string.
 */

export const SITE_FORMAT = 1

export interface SiteIndex {
  format: typeof SITE_FORMAT
  title: string
  generatedAt: string
  /** Where the baselines came from (`local:…`, `git:…`). */
  store: string
  /** `https://github.com/owner/repo`: commits link to `<repoUrl>/commit/<sha>`; null: no links. */
  repoUrl: string | null
  testbeds: TestbedEntry[]
}

export interface TestbedEntry {
  id: string
  name: string
  /** Baselines read (PR runs included). */
  runs: number
  /** Baselines the store listed but could not read. */
  unreadable: number
  from: string | null
  to: string | null
  benchmarks: BenchmarkEntry[]
}

export interface BenchmarkEntry {
  id: string
  name: string
  /** Relative to index.html. */
  file: string
  metrics: MetricEntry[]
}

export interface MetricEntry {
  id: string
  name: string
  unit: string
  direction: Direction
  class: MetricClass
  /** Runs in the series (baselines and PR runs). */
  runs: number
  prRuns: number
  changePoints: number
  fingerprintChanges: number
  /** Median of the newest baseline run. */
  latest: number | null
  /** Relative change at the newest change point, + = higher. */
  lastChange: number | null
  lastChangeWorse: boolean | null
  /** Drawn from an overview (buckets of runs) until zoomed in. */
  overview: boolean
}

export interface BenchmarkShard {
  testbed: string
  benchmark: string
  metrics: SeriesShard[]
}

/**
 * One metric's chart. The arrays are aligned, one entry per point drawn: a run, or in an overview
 * a bucket of consecutive runs (its median of medians, and the band from the lowest low to the
 * highest high).
 */
export interface SeriesShard {
  id: string
  /** Run index in the testbed (the x of "by commit"). */
  x: number[]
  /** Seconds since the epoch (the x of "by date"), never decreasing so the axis stays sorted. */
  t: number[]
  /** Short commit sha, '' when unknown. */
  sha: string[]
  /** Baseline runs; null at a PR run. */
  med: Array<number | null>
  lo: Array<number | null>
  hi: Array<number | null>
  n: number[]
  /** PR runs' medians, null elsewhere: drawn as hollow points. */
  pr: Array<number | null>
  /** Overview only: runs per bucket. */
  runs?: number[]
  /**
   * Every run with its samples, `size` runs per file: `<prefix><k>.js` for k < count; `ranges[k]`
   * is the first and last x and t of file k, so a zoomed view knows which files it needs.
   */
  chunks: {
    size: number
    count: number
    prefix: string
    ranges: Array<[number, number, number, number]>
  }
  changePoints: ChangePointMark[]
  fingerprints: FingerprintMark[]
  budget: Budget | null
}

export interface ChangePointMark {
  /** The first run of the new level. */
  x: number
  t: number
  sha: string
  /** Relative change of the level, + = higher. */
  change: number
  before: number
  after: number
  worse: boolean
  pValue: number
}

export interface FingerprintKey {
  key: string
  from: string | null
  to: string | null
  /** block: the gate leaves the benchmark neutral across it; note: shown for information. */
  effect: 'block' | 'note'
}

export interface FingerprintMark {
  /** The first run measured in the new environment. */
  x: number
  t: number
  sha: string
  keys: FingerprintKey[]
}

/** Warn and fail lines around the current level (the median since the newest change point). */
export interface Budget {
  level: number
  /** Where the current level starts. */
  x: number
  t: number
  /** Budgets as fractions, and the values a run would have to reach to cross them. */
  warnPct: number
  failPct: number | null
  warnAt: number | null
  failAt: number | null
}

/** Every run of a stretch of the series, in full, for the point panel and the zoomed-in chart. */
export interface DetailChunk {
  /** Position of the first run in the series. */
  from: number
  x: number[]
  /** As recorded (`createdAt`). */
  at: string[]
  t: number[]
  sha: Array<string | null>
  ref: Array<string | null>
  pr: Array<0 | 1>
  med: number[]
  lo: number[]
  hi: number[]
  n: number[]
  /** c: the median's 90 % CI; p: p5–p95. */
  band: Array<'c' | 'p'>
  samples: number[][]
}
