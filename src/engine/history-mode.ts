import path from 'node:path'
import { median } from 'simple-statistics'
import { writeFileAtomic } from '../shared/fs.js'
import type { BaselineStore } from '../baseline/store.js'
import { loadConfigOrDefaults, type AssumedConfig } from '../config/defaults.js'
import type { PerfGateConfig } from '../config/types.js'
import type { ResultSet } from '../results/model.js'
import {
  countSteps,
  renderHistory,
  type HistoryReport,
  type HistoryStep,
  type MetricHistory
} from '../report/history.js'
import { detectChangePoints, type ChangePointOptions } from '../stats/change-points.js'

/*
 * `mode: history`: a nightly look at the default branch's baselines for lasting shifts, the ones a
 * pull request gate cannot see (a slow creep, a change merged before the baseline was refreshed).
 * One value per baseline, its median, since the unit of replication across jobs is the job. It
 * reads only, and reports; it never blocks anything.
 */

export interface HistoryOptions {
  changePoints?: ChangePointOptions
  now?: Date
}

const DEFAULT_MIN_SIZE = 3

/** The steps in each gated metric's series of medians, oldest baseline first. */
export function analyseHistory(
  sets: readonly ResultSet[],
  meta: { testbed: string; location: string; unreadable?: number },
  opts: HistoryOptions = {}
): HistoryReport {
  const minSize = opts.changePoints?.minSize ?? DEFAULT_MIN_SIZE
  const series = new Map<string, MetricHistory>()
  for (const set of sets) {
    for (const b of set.benchmarks) {
      for (const m of b.metrics) {
        if (m.gate === false || m.samples.length === 0) continue
        const value = median(m.samples)
        // Steps are found on ratios: a zero or negative level has none to speak of.
        if (!(Number.isFinite(value) && value > 0)) continue
        const key = `${b.name}\u0000${m.name}`
        let h = series.get(key)
        if (!h) {
          h = {
            benchmark: b.name,
            metric: m.name,
            unit: m.unit,
            direction: m.direction,
            class: m.class,
            points: [],
            steps: []
          }
          series.set(key, h)
        }
        h.class = m.class
        h.points.push({ sha: set.commit.sha, createdAt: set.createdAt, value })
      }
    }
  }
  const metrics = [...series.values()]
  for (const h of metrics) {
    if (h.points.length < 2 * minSize) continue
    const values = h.points.map((p) => p.value)
    const found = detectChangePoints(values, opts.changePoints)
    h.steps = found.map((c, i): HistoryStep => {
      const from = found[i - 1]?.index ?? 0
      const to = found[i + 1]?.index ?? values.length
      const point = h.points[c.index] ?? { sha: null, createdAt: '' }
      return {
        index: c.index,
        sha: point.sha,
        createdAt: point.createdAt,
        change: c.change,
        before: median(values.slice(from, c.index)),
        after: median(values.slice(c.index, to)),
        pValue: c.pValue,
        worse: h.direction === 'higher' ? c.change < 0 : c.change > 0
      }
    })
  }
  return {
    testbed: meta.testbed,
    location: meta.location,
    baselines: sets.length,
    unreadable: meta.unreadable ?? 0,
    minPoints: 2 * minSize,
    metrics,
    timestamp: (opts.now ?? new Date()).toISOString()
  }
}

/** Every retained baseline of the testbed, oldest first, and how many could not be read. */
export async function readHistory(
  store: BaselineStore,
  testbed: string
): Promise<{ sets: ResultSet[]; unreadable: number }> {
  const sets: ResultSet[] = []
  let unreadable = 0
  for (const entry of await store.list(testbed)) {
    const stored = await store.read(entry)
    if (stored) sets.push(stored.results)
    else unreadable++
  }
  return { sets, unreadable }
}

export interface HistoryJobOptions {
  configPath: string
  store: BaselineStore
  /** `history.md` goes here. */
  outDir: string
  testbed?: string
  now?: () => Date
  changePoints?: ChangePointOptions
}

export interface HistoryJobResult {
  /** The config read (its budgets decide which steps are regressions). */
  config: PerfGateConfig
  /** No config file: what was assumed instead. */
  assumed: AssumedConfig | null
  report: HistoryReport
  markdown: string
  path: string
  changePoints: number
}

export async function runHistoryJob(opts: HistoryJobOptions): Promise<HistoryJobResult> {
  // History only reads: a workflow that imports results with no perf-gate.yml has one too.
  const { config, assumed } = await loadConfigOrDefaults(opts.configPath, {
    imported: true,
    testbed: opts.testbed
  })
  const testbed = opts.testbed ?? config.testbed
  const { sets, unreadable } = await readHistory(opts.store, testbed)
  const report = analyseHistory(
    sets,
    { testbed, location: opts.store.location, unreadable },
    {
      ...(opts.changePoints ? { changePoints: opts.changePoints } : {}),
      now: (opts.now ?? (() => new Date()))()
    }
  )
  const markdown = renderHistory(report)
  const file = path.join(path.resolve(opts.outDir), 'history.md')
  await writeFileAtomic(file, markdown)
  return { config, assumed, report, markdown, path: file, changePoints: countSteps(report) }
}
