import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { writeDashboard } from '../../src/dashboard/write.js'
import {
  HOSTILE,
  benchmarkName,
  historyRun,
  metricName,
  type HistoryShape
} from '../helpers/dashboard-store.js'
import { filesUnder, nonNull, readChunks, readSite } from '../helpers/dashboard-site.js'

/*
 * The data the page draws, read back from the built site's scripts and checked against the
 * history it was built from: every run, every sample, the step where it was put, the driver
 * upgrade where it happened, and names with markup kept as text.
 */

const shape: HistoryShape = {
  baselines: 40,
  benchmarks: 2,
  metricsPerBenchmark: 3,
  samples: 10,
  prEvery: 7,
  stepAt: 20,
  driverAt: 30,
  hostileNames: true,
  seed: 7
}
const PR_RUNS = [7, 14, 21, 28, 35]

let dir = ''
let storeDir = ''
let site = ''
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'perf-gate-dashboard-data-'))
  storeDir = path.join(dir, 'store')
  const store = new LocalBaselineStore(storeDir, { keep: 1000 })
  for (let i = 0; i < shape.baselines; i++) await store.write(historyRun(shape, i))
  site = path.join(dir, 'site')
  await writeDashboard({ store, outDir: site, now: () => new Date('2026-03-01T00:00:00Z') })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const stepped = (b: number, m: number) => (b * shape.metricsPerBenchmark + m) % 3 === 0

describe('dashboard data', () => {
  it('indexes every benchmark and metric of the testbed', () => {
    const { index } = readSite(site)
    expect(index).toMatchObject({ format: 1, store: `local:${storeDir}`, repoUrl: null })
    const [tb, ...more] = index.testbeds
    expect(more).toEqual([])
    expect(tb).toMatchObject({ name: 'ci', runs: 40, unreadable: 0 })
    expect(tb?.benchmarks.map((b) => b.name)).toEqual(
      [benchmarkName(shape, 0), benchmarkName(shape, 1)].sort()
    )
    for (const b of tb?.benchmarks ?? []) {
      expect(b.metrics.map((m) => m.name)).toEqual([0, 1, 2].map((m) => metricName(shape, m)))
    }
  })

  it('draws every run: baselines on the line with a band, PR runs apart as points', () => {
    const { series } = readSite(site)
    expect(series).toHaveLength(6)
    for (const { shard } of series) {
      expect(shard.x).toEqual(Array.from({ length: 40 }, (_, i) => i))
      expect(shard.x.filter((_, i) => shard.pr[i] !== null)).toEqual(PR_RUNS)
      expect(nonNull(shard.med)).toBe(35)
      expect(nonNull(shard.lo)).toBe(35)
      expect(nonNull(shard.hi)).toBe(35)
      for (let i = 0; i < shard.x.length; i++) {
        if (shard.med[i] === null) continue
        expect(shard.lo[i]).toBeLessThanOrEqual(shard.med[i] ?? NaN)
        expect(shard.hi[i]).toBeGreaterThanOrEqual(shard.med[i] ?? NaN)
      }
      // Dates never step back, so the by-date axis is sorted.
      for (let i = 1; i < shard.t.length; i++) expect(shard.t[i]).toBeGreaterThan(shard.t[i - 1])
    }
  })

  it('finds the +15 % step at the run it was put, in the metrics that have one, and no other', () => {
    const { index, series } = readSite(site)
    for (const [b, bench] of [0, 1].map((b) => [b, benchmarkName(shape, b)] as const)) {
      for (let m = 0; m < 3; m++) {
        const s = series.find((x) => x.benchmark === bench && x.metric === metricName(shape, m))
        const cps = s?.shard.changePoints ?? []
        if (!stepped(b, m)) {
          expect(cps).toEqual([])
          continue
        }
        expect(cps).toHaveLength(1)
        expect(cps[0]).toMatchObject({ x: 20, worse: true })
        // Metric 0 is a time (lower is better): the step up is worse.
        expect(cps[0]?.change).toBeGreaterThan(0.12)
        expect(cps[0]?.change).toBeLessThan(0.18)
      }
    }
    const entries = index.testbeds[0]?.benchmarks.flatMap((b) => b.metrics) ?? []
    expect(entries.map((e) => e.changePoints)).toEqual(
      series.map((s) => s.shard.changePoints.length)
    )
  })

  it('marks the driver upgrade on every series, with the key and the major versions', () => {
    const { series } = readSite(site)
    for (const { shard } of series) {
      expect(shard.fingerprints).toEqual([
        {
          x: 30,
          t: shard.t[30],
          sha: shard.sha[30],
          keys: [{ key: 'gpu.driver', from: '550', to: '560', effect: 'block' }]
        }
      ])
    }
  })

  it('sets the budgets around the level since the newest change point', () => {
    const { series } = readSite(site)
    const time = series.find(
      (s) => s.benchmark === benchmarkName(shape, 1) && s.metric === metricName(shape, 0)
    )
    const b = time?.shard.budget
    // Metric 0 of benchmark 1 (k = 3) is core and stepped at run 20: core budgets are 5 % / 5 %.
    expect(b).toMatchObject({ x: 20, warnPct: 0.05, failPct: 0.05 })
    expect(b?.level).toBeGreaterThan(40 * 1.1)
    // Values are kept to 6 significant digits.
    expect((b?.warnAt ?? NaN) / ((b?.level ?? NaN) * 1.05)).toBeCloseTo(1, 5)
    // Throughput (higher is better) regresses downwards.
    const tput = series.find((s) => s.metric === 'throughput')?.shard.budget
    expect(tput).toMatchObject({ x: 0, warnPct: 0.05, failPct: 0.1 })
    expect((tput?.failAt ?? NaN) / ((tput?.level ?? NaN) * 0.9)).toBeCloseTo(1, 5)
  })

  it("takes the budgets from the config's thresholds when given", async () => {
    const out = path.join(dir, 'budgets')
    await writeDashboard({
      store: new LocalBaselineStore(storeDir),
      outDir: out,
      thresholdsFor: (bench, metric) =>
        metric.name === 'throughput' ? { warn: 0.02, fail: null } : { warn: 0.03, fail: 0.08 }
    })
    const { series } = readSite(out)
    const tput = series.find((s) => s.metric === 'throughput')?.shard.budget
    expect(tput).toMatchObject({ warnPct: 0.02, failPct: null, failAt: null })
    const other = series.find((s) => s.metric === 'metric-2')?.shard.budget
    expect(other).toMatchObject({ warnPct: 0.03, failPct: 0.08 })
  })

  it('keeps every sample of every run in the detail files, with the full commit', () => {
    const { series } = readSite(site)
    for (const s of series) {
      const chunks = readChunks(site, s.shard)
      const runs = chunks.flatMap((c) => c.samples.map((samples, j) => ({ c, j, samples })))
      expect(runs).toHaveLength(40)
      runs.forEach(({ c, j, samples }, i) => {
        const stored = historyRun(shape, i)
        const bench = stored.benchmarks.find((b) => b.name === s.benchmark)
        const metric = bench?.metrics.find((m) => m.name === s.metric)
        expect(samples).toEqual(metric?.samples)
        expect(c.sha[j]).toBe(stored.commit.sha)
        expect(c.at[j]).toBe(stored.createdAt)
        expect(c.pr[j]).toBe(PR_RUNS.includes(i) ? 1 : 0)
      })
    }
  })

  it('keeps markup in names as text: no data file holds a raw < or >, and names read back whole', () => {
    const files = filesUnder(site).filter((f) => f.startsWith('data'))
    expect(files.length).toBeGreaterThan(3)
    for (const f of files) {
      const text = readFileSync(path.join(site, f), 'utf8')
      expect(text).not.toMatch(/[<>\u2028\u2029]/)
    }
    const { index } = readSite(site)
    const names = index.testbeds[0]?.benchmarks.map((b) => b.name)
    expect(names).toContain(`parse ${HOSTILE}`)
    // The page itself carries no name from the store.
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).not.toContain('parse ')
  })

  it('draws a long series from an overview, every run kept in the detail files', async () => {
    const out = path.join(dir, 'long')
    const store = new LocalBaselineStore(storeDir, { keep: 1000 })
    await writeDashboard({
      store,
      outDir: out,
      limits: { overviewAbove: 30, overviewPoints: 8, chunkSize: 16 }
    })
    const { index, series } = readSite(out)
    expect(index.testbeds[0]?.benchmarks[0]?.metrics[0]?.overview).toBe(true)
    for (const { shard } of series) {
      expect(shard.x.length).toBeLessThanOrEqual(8)
      // The overview holds the 35 baseline runs; PR runs are in the detail files only.
      expect(shard.runs?.reduce((a, b) => a + b, 0)).toBe(35)
      expect(nonNull(shard.pr)).toBe(0)
      expect(shard.chunks).toMatchObject({ size: 16, count: 3 })
      const chunks = readChunks(out, shard)
      expect(chunks.map((c) => c.from)).toEqual([0, 16, 32])
      expect(chunks.flatMap((c) => c.x)).toEqual(Array.from({ length: 40 }, (_, i) => i))
      expect(shard.chunks.ranges).toEqual(
        chunks.map((c) => [c.x[0], c.x[c.x.length - 1], c.t[0], c.t[c.t.length - 1]])
      )
    }
  })

  it('counts an unreadable baseline and draws the rest', async () => {
    const bad = path.join(dir, 'bad-store')
    const store = new LocalBaselineStore(bad, { keep: 1000 })
    for (let i = 0; i < 3; i++) await store.write(historyRun({ ...shape, hostileNames: false }, i))
    const [first] = await store.list('ci')
    writeFileSync(path.join(bad, 'ci', first?.id ?? ''), '{ not json')
    const warnings: string[] = []
    const out = path.join(dir, 'bad-site')
    await writeDashboard({
      store: new LocalBaselineStore(bad, { onWarning: (m) => warnings.push(m) }),
      outDir: out
    })
    const { index, series } = readSite(out)
    expect(index.testbeds[0]).toMatchObject({ runs: 2, unreadable: 1 })
    expect(series[0]?.shard.x).toEqual([0, 1])
    expect(warnings.join('\n')).toMatch(/unreadable baseline/)
  })

  it('rebuilds its own folder in place and refuses one holding anything else', async () => {
    const out = path.join(dir, 'rebuilt')
    const store = new LocalBaselineStore(storeDir)
    await writeDashboard({ store, outDir: out })
    mkdirSync(path.join(out, 'data', 't9'))
    writeFileSync(path.join(out, 'data', 't9', 'stale.js'), '')
    writeFileSync(path.join(out, 'CNAME'), 'perf.example.org\n')
    await writeDashboard({ store, outDir: out })
    expect(filesUnder(out)).not.toContain(path.join('data', 't9', 'stale.js'))
    expect(filesUnder(out)).toContain('CNAME')

    const foreign = path.join(dir, 'foreign')
    mkdirSync(foreign)
    writeFileSync(path.join(foreign, 'notes.txt'), 'mine')
    await expect(writeDashboard({ store, outDir: foreign })).rejects.toThrow(
      /is not empty and holds no earlier dashboard/
    )
    expect(filesUnder(foreign)).toEqual(['notes.txt'])
  })

  it('refuses a repository URL that is not http(s)', async () => {
    const store = new LocalBaselineStore(storeDir)
    await expect(
      writeDashboard({ store, outDir: path.join(dir, 'x'), repoUrl: 'javascript:alert(1)' })
    ).rejects.toThrow(/must start with https:\/\/ or http:\/\//)
  })
})
