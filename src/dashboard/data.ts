import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { BaselineStore, StoredBaseline } from '../baseline/store.js'
import { defaultThresholdsFor, type ThresholdsFor } from '../stats/compare-sets.js'
import { checkFingerprint } from '../engine/fingerprint-check.js'
import type { Commit, Direction, Environment, MetricClass } from '../results/model.js'
import { detectChangePoints, type ChangePointOptions } from '../stats/change-points.js'
import { shortSha } from '../shared/text.js'
import type {
  BenchmarkEntry,
  BenchmarkShard,
  Budget,
  ChangePointMark,
  DetailChunk,
  FingerprintMark,
  MetricEntry,
  SeriesShard,
  TestbedEntry
} from './model.js'
import { scriptFile } from './script.js'
import { buckets, medianOf, round6, summarise } from './summary.js'

/*
 * The dashboard's data, computed from the store at build time. Baselines are read one at a time;
 * each run of each metric is summarised at once and its line appended to that series' spill file,
 * so memory holds one baseline, not the history. Then each series is read back on its own, its
 * change points, budgets and overview computed, and its files written: memory grows with the
 * largest series, never with the number of baselines times the number of metrics.
 */

export interface Limits {
  /** Series longer than this are drawn from an overview until zoomed in. */
  overviewAbove: number
  /** About how many points an overview has. */
  overviewPoints: number
  /** Runs per detail file. */
  chunkSize: number
  /** Longer series are searched for change points on their overview's medians (E-Divisive is O(n²)). */
  changePointsMax: number
}

export const DEFAULT_LIMITS: Limits = {
  overviewAbove: 3000,
  overviewPoints: 1000,
  chunkSize: 2000,
  changePointsMax: 3000
}

/** Baselines read ahead of the one being summarised. */
const READ_AHEAD = 8

export interface BuildDataOptions {
  store: BaselineStore
  /** The site folder; files go to `<outDir>/data/`. */
  outDir: string
  /** Default: every testbed in the store. */
  testbeds?: string[]
  thresholdsFor?: ThresholdsFor
  changePoints?: ChangePointOptions
  limits?: Partial<Limits>
  onWarning?: (message: string) => void
}

export interface BuiltData {
  testbeds: TestbedEntry[]
  /** Files written under data/. */
  files: number
  bytes: number
  largestFile: { file: string; bytes: number }
}

/** A run measured on a pull request rather than recorded on the default branch. */
export function isPullRequestRun(commit: Commit): boolean {
  return /^refs\/pull\//.test(commit.ref ?? '')
}

interface SeriesMeta {
  benchmark: string
  metric: string
  unit: string
  direction: Direction
  class: MetricClass
  spill: string
  runs: number
  prRuns: number
}

/** One run as spilled: [x, t, createdAt, sha, ref, pr, median, lo, hi, n, band, samples]. */
type Row = [
  number,
  number,
  string,
  string | null,
  string | null,
  0 | 1,
  number,
  number,
  number,
  number,
  'c' | 'p',
  number[]
]

interface FingerprintChange {
  x: number
  t: number
  sha: string
  diffs: ReturnType<typeof checkFingerprint>
}

/** Lines waiting to be appended to spill files, flushed once they pass a few megabytes. */
class Spill {
  private pending = new Map<string, string[]>()
  private size = 0
  constructor(private readonly limit = 4 << 20) {}

  async add(file: string, line: string): Promise<void> {
    let lines = this.pending.get(file)
    if (!lines) this.pending.set(file, (lines = []))
    lines.push(line)
    this.size += line.length
    if (this.size > this.limit) await this.flush()
  }

  async flush(): Promise<void> {
    for (const [file, lines] of this.pending) await appendFile(file, lines.join('\n') + '\n')
    this.pending.clear()
    this.size = 0
  }
}

class FileCounter {
  files = 0
  bytes = 0
  largest = { file: '', bytes: 0 }
  constructor(private readonly root: string) {}

  async write(file: string, content: string): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, content)
    const bytes = Buffer.byteLength(content)
    this.files++
    this.bytes += bytes
    if (bytes > this.largest.bytes) this.largest = { file: path.relative(this.root, file), bytes }
  }
}

export async function buildData(opts: BuildDataOptions): Promise<BuiltData> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits }
  const out = new FileCounter(opts.outDir)
  const names = opts.testbeds ?? (await opts.store.testbeds())
  const scratch = await mkdtemp(path.join(tmpdir(), 'perf-gate-dashboard-'))
  try {
    const testbeds: TestbedEntry[] = []
    for (const [i, listed] of names.entries()) {
      testbeds.push(await buildTestbed(opts, limits, out, scratch, `t${i}`, listed))
    }
    return { testbeds, files: out.files, bytes: out.bytes, largestFile: out.largest }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

async function buildTestbed(
  opts: BuildDataOptions,
  limits: Limits,
  out: FileCounter,
  scratch: string,
  id: string,
  listed: string
): Promise<TestbedEntry> {
  const dir = path.join(scratch, id)
  await mkdir(dir)
  const spill = new Spill()
  const series = new Map<string, SeriesMeta>()
  const fingerprints: FingerprintChange[] = []
  let name: string | null = null
  let runs = 0
  let unreadable = 0
  let from: string | null = null
  let to: string | null = null
  let lastT = -Infinity
  let previous: Environment | null = null

  // A few reads ahead of the one being summarised, so the store's I/O (a disk, or the GitHub
  // API) overlaps the work; memory holds at most READ_AHEAD baselines.
  const entries = await opts.store.list(listed)
  const reads: Array<Promise<StoredBaseline | null>> = []
  const readAt = (i: number) => {
    const entry = entries[i]
    if (entry) reads.push(opts.store.read(entry))
  }
  for (let i = 0; i < READ_AHEAD; i++) readAt(i)
  for (let i = 0; i < entries.length; i++) {
    const stored = await reads.shift()
    readAt(i + READ_AHEAD)
    if (!stored) {
      unreadable++
      continue
    }
    const set = stored.results
    name ??= set.testbed
    const x = runs++
    from ??= set.createdAt
    to = set.createdAt
    // The by-date axis must be sorted: a clock that stepped back draws at the previous time.
    const parsed = Math.floor(Date.parse(set.createdAt) / 1000)
    lastT = Number.isFinite(parsed) ? Math.max(lastT, parsed) : Math.max(lastT, 0)
    const t = lastT
    const sha = set.commit.sha ?? null
    const pr = isPullRequestRun(set.commit)
    if (!pr) {
      if (previous) {
        const diffs = checkFingerprint(previous, set.environment)
        if (diffs.length > 0) fingerprints.push({ x, t, sha: shortSha(sha) ?? '', diffs })
      }
      previous = set.environment
    }
    const seen = new Set<string>()
    for (const b of set.benchmarks) {
      for (const m of b.metrics) {
        const key = `${b.name}\u0000${m.name}`
        if (seen.has(key)) continue
        seen.add(key)
        let meta = series.get(key)
        if (!meta) {
          meta = {
            benchmark: b.name,
            metric: m.name,
            unit: m.unit,
            direction: m.direction,
            class: m.class,
            spill: path.join(dir, `s${series.size}`),
            runs: 0,
            prRuns: 0
          }
          series.set(key, meta)
        }
        // The newest run says what the metric is now.
        Object.assign(meta, { unit: m.unit, direction: m.direction, class: m.class })
        meta.runs++
        if (pr) meta.prRuns++
        const s = summarise(m.samples)
        const row: Row = [
          x,
          t,
          set.createdAt,
          sha,
          set.commit.ref ?? null,
          pr ? 1 : 0,
          s.median,
          s.lo,
          s.hi,
          s.n,
          s.band === 'ci' ? 'c' : 'p',
          m.samples
        ]
        await spill.add(meta.spill, JSON.stringify(row))
      }
    }
  }
  await spill.flush()

  const byBenchmark = new Map<string, SeriesMeta[]>()
  for (const meta of series.values()) {
    const list = byBenchmark.get(meta.benchmark) ?? []
    list.push(meta)
    byBenchmark.set(meta.benchmark, list)
  }
  const benchmarks: BenchmarkEntry[] = []
  const sorted = [...byBenchmark.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  for (const [j, benchName] of sorted.entries()) {
    const bid = `b${j}`
    const metrics: MetricEntry[] = []
    const shards: SeriesShard[] = []
    for (const [k, meta] of (byBenchmark.get(benchName) ?? []).entries()) {
      const mid = `m${k}`
      const rows = (await readFile(meta.spill, 'utf8'))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Row)
      await rm(meta.spill)
      const built = await buildSeries(opts, limits, out, {
        meta,
        rows,
        fingerprints,
        key: `${id}/${bid}/${mid}`
      })
      shards.push({ id: mid, ...built.shard })
      metrics.push({ id: mid, ...built.entry })
    }
    const file = `data/${id}/${bid}.js`
    const shard: BenchmarkShard = { testbed: id, benchmark: bid, metrics: shards }
    await out.write(path.join(opts.outDir, file), scriptFile('shard', `${id}/${bid}`, shard))
    benchmarks.push({ id: bid, name: benchName, file, metrics })
  }
  return { id, name: name ?? listed, runs, unreadable, from, to, benchmarks }
}

interface SeriesInput {
  meta: SeriesMeta
  rows: Row[]
  fingerprints: readonly FingerprintChange[]
  /** `t0/b1/m2`: its detail files are `data/t0/b1/m2-<k>.js`. */
  key: string
}

async function buildSeries(
  opts: BuildDataOptions,
  limits: Limits,
  out: FileCounter,
  { meta, rows, fingerprints, key }: SeriesInput
): Promise<{ shard: Omit<SeriesShard, 'id'>; entry: Omit<MetricEntry, 'id'> }> {
  const main = rows.filter((r) => r[5] === 0)
  const changePoints = findChangePoints(opts, limits, meta, main)
  const budget = budgetOf(opts, meta, main, changePoints)
  const first = rows[0]?.[0] ?? 0
  const last = rows[rows.length - 1]?.[0] ?? 0
  const fps: FingerprintMark[] = fingerprints
    .filter((f) => f.x > first && f.x <= last)
    .map((f) => ({
      x: f.x,
      t: f.t,
      sha: f.sha,
      keys: f.diffs
        .filter((d) => concerns(d.benchmark, meta.benchmark))
        .map((d) => ({ key: d.key, from: d.baseline, to: d.current, effect: d.effect }))
    }))
    .filter((f) => f.keys.length > 0)

  const size = limits.chunkSize
  const prefix = `data/${key}-`
  const count = Math.ceil(rows.length / size)
  const ranges: Array<[number, number, number, number]> = []
  for (let k = 0; k < count; k++) {
    const part = rows.slice(k * size, (k + 1) * size)
    const a = part[0]
    const b = part[part.length - 1]
    if (a && b) ranges.push([a[0], b[0], a[1], b[1]])
    const chunk: DetailChunk = {
      from: k * size,
      x: part.map((r) => r[0]),
      at: part.map((r) => r[2]),
      t: part.map((r) => r[1]),
      sha: part.map((r) => r[3]),
      ref: part.map((r) => r[4]),
      pr: part.map((r) => r[5]),
      med: part.map((r) => r[6]),
      lo: part.map((r) => r[7]),
      hi: part.map((r) => r[8]),
      n: part.map((r) => r[9]),
      band: part.map((r) => r[10]),
      samples: part.map((r) => r[11])
    }
    await out.write(
      path.join(opts.outDir, `${prefix}${k}.js`),
      scriptFile('chunk', `${key}/${k}`, chunk)
    )
  }

  const overview = rows.length > limits.overviewAbove
  const points = overview ? overviewOf(main, limits.overviewPoints) : pointsOf(rows)
  const newest = main[main.length - 1]
  const lastCp = changePoints[changePoints.length - 1]
  return {
    shard: {
      ...points,
      chunks: { size, count, prefix, ranges },
      changePoints,
      fingerprints: fps,
      budget
    },
    entry: {
      name: meta.metric,
      unit: meta.unit,
      direction: meta.direction,
      class: meta.class,
      runs: meta.runs,
      prRuns: meta.prRuns,
      changePoints: changePoints.length,
      fingerprintChanges: fps.length,
      latest: newest ? round6(newest[6]) : null,
      lastChange: lastCp ? lastCp.change : null,
      lastChangeWorse: lastCp ? lastCp.worse : null,
      overview
    }
  }
}

/** Does a fingerprint key of `keyBenchmark` (null: the whole machine) concern this benchmark? */
function concerns(keyBenchmark: string | null, benchmark: string): boolean {
  return (
    keyBenchmark === null || benchmark === keyBenchmark || benchmark.startsWith(`${keyBenchmark}/`)
  )
}

type Points = Pick<SeriesShard, 'x' | 't' | 'sha' | 'med' | 'lo' | 'hi' | 'n' | 'pr' | 'runs'>

function pointsOf(rows: readonly Row[]): Points {
  const p: Points = { x: [], t: [], sha: [], med: [], lo: [], hi: [], n: [], pr: [] }
  for (const r of rows) {
    const pr = r[5] === 1
    p.x.push(r[0])
    p.t.push(r[1])
    p.sha.push(shortSha(r[3]) ?? '')
    p.med.push(pr ? null : round6(r[6]))
    p.lo.push(pr ? null : round6(r[7]))
    p.hi.push(pr ? null : round6(r[8]))
    p.n.push(r[9])
    p.pr.push(pr ? round6(r[6]) : null)
  }
  return p
}

/** Buckets of baseline runs; PR runs are left to the detail files. */
function overviewOf(main: readonly Row[], target: number): Points {
  const p: Points = { x: [], t: [], sha: [], med: [], lo: [], hi: [], n: [], pr: [], runs: [] }
  for (const [from, to] of buckets(main.length, target)) {
    const part = main.slice(from, to)
    const mid = part[part.length >> 1] ?? part[0]
    let lo = Infinity
    let hi = -Infinity
    let n = 0
    for (const r of part) {
      lo = Math.min(lo, r[7])
      hi = Math.max(hi, r[8])
      n += r[9]
    }
    p.x.push(mid[0])
    p.t.push(mid[1])
    p.sha.push(shortSha(mid[3]) ?? '')
    p.med.push(round6(medianOf(part.map((r) => r[6]))))
    p.lo.push(round6(lo))
    p.hi.push(round6(hi))
    p.n.push(n)
    p.pr.push(null)
    p.runs?.push(part.length)
  }
  return p
}

function findChangePoints(
  opts: BuildDataOptions,
  limits: Limits,
  meta: SeriesMeta,
  main: readonly Row[]
): ChangePointMark[] {
  const medians = main.map((r) => r[6])
  // Steps are ratios: a series with a zero or negative median has none to speak of.
  if (!medians.every((v) => Number.isFinite(v) && v > 0)) return []
  const long = main.length > limits.changePointsMax
  const parts = long ? buckets(main.length, limits.overviewPoints) : null
  const values = parts ? parts.map(([a, b]) => medianOf(medians.slice(a, b))) : medians
  const minSize = opts.changePoints?.minSize ?? 3
  if (values.length < 2 * minSize) return []
  let found: ReturnType<typeof detectChangePoints>
  try {
    found = detectChangePoints(values, opts.changePoints)
  } catch (e) {
    opts.onWarning?.(`${meta.benchmark} / ${meta.metric}: no change points: ${String(e)}`)
    return []
  }
  return found.map((c) => {
    const row = main[parts ? (parts[c.index]?.[0] ?? 0) : c.index] ?? main[0]
    return {
      x: row[0],
      t: row[1],
      sha: shortSha(row[3]) ?? '',
      change: c.change,
      before: round6(c.before),
      after: round6(c.after),
      worse: meta.direction === 'higher' ? c.change < 0 : c.change > 0,
      pValue: c.pValue
    }
  })
}

function budgetOf(
  opts: BuildDataOptions,
  meta: SeriesMeta,
  main: readonly Row[],
  changePoints: readonly ChangePointMark[]
): Budget | null {
  const since = changePoints[changePoints.length - 1]?.x ?? main[0]?.[0]
  if (since === undefined) return null
  const current = main.filter((r) => r[0] >= since)
  const start = current[0]
  if (!start) return null
  const level = medianOf(current.map((r) => r[6]))
  const thresholds = (opts.thresholdsFor ?? defaultThresholdsFor)(meta.benchmark, {
    name: meta.metric,
    unit: meta.unit,
    direction: meta.direction,
    class: meta.class,
    samples: [level]
  })
  // The line a run would cross: lower-is-better regresses past ×(1 + T), higher past ×(1 − T).
  const at = (pct: number | null): number | null => {
    if (pct === null) return null
    if (meta.direction === 'lower') return round6(level * (1 + pct))
    return pct >= 1 ? null : round6(level * (1 - pct))
  }
  return {
    level: round6(level),
    x: start[0],
    t: start[1],
    warnPct: thresholds.warn,
    failPct: thresholds.fail,
    warnAt: at(thresholds.warn),
    failAt: at(thresholds.fail)
  }
}
