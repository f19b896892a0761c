import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import type {
  BenchmarkShard,
  DetailChunk,
  SeriesShard,
  SiteIndex
} from '../../src/dashboard/model.js'

/** Runs a data script as the page would and returns what it pushed. */
export function readScript(file: string): [string, string, unknown] {
  const window: { __PG?: unknown[] } = {}
  vm.runInNewContext(readFileSync(file, 'utf8'), { window })
  const pushed = window.__PG ?? []
  if (pushed.length !== 1) throw new Error(`${file} pushed ${pushed.length} messages`)
  return pushed[0] as [string, string, unknown]
}

export interface SiteSeries {
  testbed: string
  benchmark: string
  metric: string
  shard: SeriesShard
}

/** The index and every series of a built site, read back from its data scripts. */
export function readSite(dir: string): { index: SiteIndex; series: SiteSeries[] } {
  const index = readScript(path.join(dir, 'data', 'index.js'))[2] as SiteIndex
  const series: SiteSeries[] = []
  for (const t of index.testbeds) {
    for (const b of t.benchmarks) {
      const [kind, key, data] = readScript(path.join(dir, b.file))
      if (kind !== 'shard' || key !== `${t.id}/${b.id}`)
        throw new Error(`${b.file}: ${kind} ${key}`)
      for (const m of b.metrics) {
        const shard = (data as BenchmarkShard).metrics.find((s) => s.id === m.id)
        if (!shard) throw new Error(`${b.file} has no series ${m.id}`)
        series.push({ testbed: t.name, benchmark: b.name, metric: m.name, shard })
      }
    }
  }
  return { index, series }
}

export function readChunks(dir: string, s: SeriesShard): DetailChunk[] {
  return Array.from(
    { length: s.chunks.count },
    (_, k) => readScript(path.join(dir, `${s.chunks.prefix}${k}.js`))[2] as DetailChunk
  )
}

/** Every file under `dir`, relative. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
}

export const nonNull = (a: ReadonlyArray<unknown>): number => a.filter((v) => v !== null).length
