import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { BaselineStore } from '../baseline/store.js'
import type { ThresholdsFor } from '../stats/compare-sets.js'
import { UserError, errorMessage } from '../errors.js'
import type { ChangePointOptions } from '../stats/change-points.js'
import { loadAssets } from './assets.js'
import { buildData, type Limits } from './data.js'
import { SITE_FORMAT, type SiteIndex } from './model.js'
import { scriptFile } from './script.js'
import { renderIndexHtml } from './site.js'

/*
 * `perf-gate dashboard`: the static site, written to a folder that can be opened from disk or
 * deployed as a Pages artifact. A rebuild replaces the previous site in that folder; a folder
 * holding anything else is refused rather than emptied.
 */

/** Marks a folder as a dashboard this command may replace. */
export const SITE_MARKER = '.perf-gate-dashboard'

export interface DashboardOptions {
  store: BaselineStore
  outDir: string
  testbeds?: string[]
  thresholdsFor?: ThresholdsFor
  title?: string
  /** How the page names the store (the spec as the user wrote it); default its location. */
  storeLabel?: string
  /** `https://github.com/owner/repo`, for commit links. */
  repoUrl?: string | null
  now?: () => Date
  limits?: Partial<Limits>
  changePoints?: ChangePointOptions
  onWarning?: (message: string) => void
}

export interface DashboardResult {
  outDir: string
  indexHtml: string
  testbeds: number
  benchmarks: number
  metrics: number
  baselines: number
  changePoints: number
  fingerprintChanges: number
  files: number
  bytes: number
  largestFile: { file: string; bytes: number }
}

export async function writeDashboard(opts: DashboardOptions): Promise<DashboardResult> {
  const outDir = path.resolve(opts.outDir)
  const repoUrl = checkRepoUrl(opts.repoUrl ?? null)
  await prepareFolder(outDir)
  const built = await buildData({
    store: opts.store,
    outDir,
    ...(opts.testbeds ? { testbeds: opts.testbeds } : {}),
    ...(opts.thresholdsFor ? { thresholdsFor: opts.thresholdsFor } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.changePoints ? { changePoints: opts.changePoints } : {}),
    ...(opts.onWarning ? { onWarning: opts.onWarning } : {})
  })
  const index: SiteIndex = {
    format: SITE_FORMAT,
    title: opts.title ?? 'Benchmark history',
    generatedAt: (opts.now ?? (() => new Date()))().toISOString(),
    store: opts.storeLabel ?? opts.store.location,
    repoUrl,
    testbeds: built.testbeds
  }
  const indexJs = scriptFile('index', 'site', index)
  await writeFile(path.join(outDir, 'data', 'index.js'), indexJs)
  const html = renderIndexHtml(await loadAssets())
  const indexHtml = path.join(outDir, 'index.html')
  await writeFile(indexHtml, html)
  await writeFile(
    path.join(outDir, SITE_MARKER),
    'Written by perf-gate dashboard; rebuilt in place.\n'
  )

  const metrics = built.testbeds.flatMap((t) => t.benchmarks.flatMap((b) => b.metrics))
  const sizes = [
    built.largestFile,
    { file: 'data/index.js', bytes: Buffer.byteLength(indexJs) },
    { file: 'index.html', bytes: Buffer.byteLength(html) }
  ]
  return {
    outDir,
    indexHtml,
    testbeds: built.testbeds.length,
    benchmarks: built.testbeds.reduce((n, t) => n + t.benchmarks.length, 0),
    metrics: metrics.length,
    baselines: built.testbeds.reduce((n, t) => n + t.runs, 0),
    changePoints: metrics.reduce((n, m) => n + m.changePoints, 0),
    fingerprintChanges: metrics.reduce((n, m) => n + m.fingerprintChanges, 0),
    files: built.files + 3,
    bytes: sizes.slice(1).reduce((n, s) => n + s.bytes, built.bytes),
    largestFile: sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a))
  }
}

/** An http(s) URL without a trailing slash, or null. */
function checkRepoUrl(url: string | null): string | null {
  if (url === null || url.trim() === '') return null
  const u = url.trim().replace(/\/+$/, '')
  let parsed: URL
  try {
    parsed = new URL(u)
  } catch {
    throw new UserError(`repository URL '${url}' is not a URL (expected https://host/owner/repo)`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UserError(`repository URL '${url}' must start with https:// or http://`)
  }
  return u
}

async function prepareFolder(dir: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UserError(`cannot use ${dir} for the dashboard: ${errorMessage(e)}`)
    }
    names = []
  }
  if (names.length > 0 && !names.includes(SITE_MARKER)) {
    throw new UserError(
      `${dir} is not empty and holds no earlier dashboard (no ${SITE_MARKER} file); choose an empty or new folder for --out`
    )
  }
  // Only what this command writes is removed; anything else a user put beside it stays.
  await rm(path.join(dir, 'data'), { recursive: true, force: true })
  await mkdir(path.join(dir, 'data'), { recursive: true })
}
