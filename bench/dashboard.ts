// bench:dashboard — the history dashboard at scale:
//  1. build time and peak memory for a local store of 100 metrics × 1,000 baselines (10 samples
//     each), and the same store cut to 250 baselines, each build in its own process (peak RSS and
//     peak JS heap), to show memory does not grow with the number of baselines;
//  2. the site's largest file and whole size;
//  3. time to the first chart painted in headless Chromium, opened from file://;
//  4. zoom on a 100,000-run series: frame times while the view zooms in to 1 % and back out, with
//     the overview and detail files the build writes, and (for comparison) with all 100,000 runs
//     in one file.
//
// Usage: npm run bench:dashboard [-- --baselines 1000 --benchmarks 20 --metrics 5 --samples 10
//        --long 100000 --opens 5]
// Needs Debian's chromium-headless-shell (or PERF_GATE_CHROMIUM) for parts 3 and 4.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium, type Browser, type Page } from 'playwright-core'
import { LocalBaselineStore } from '../src/baseline/local-store.js'
import { writeDashboard, type DashboardResult } from '../src/dashboard/write.js'
import { chromiumPath } from '../__tests__/helpers/browser.js'
import { filesUnder } from '../__tests__/helpers/dashboard-site.js'
import {
  generatedStore,
  historyRun,
  type HistoryShape
} from '../__tests__/helpers/dashboard-store.js'

const { values } = parseArgs({
  options: {
    baselines: { type: 'string', default: '1000' },
    benchmarks: { type: 'string', default: '20' },
    metrics: { type: 'string', default: '5' },
    samples: { type: 'string', default: '10' },
    long: { type: 'string', default: '100000' },
    opens: { type: 'string', default: '5' },
    // Internal: one build in this process, its figures printed as JSON.
    child: { type: 'string' },
    out: { type: 'string' }
  }
})
const int = (name: keyof typeof values): number => {
  const n = Number(values[name])
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`--${name} must be an integer ≥ 1`)
  return n
}

interface BuildFigures {
  ms: number
  /** CPU time of the build (user + system): the machine's other load does not count. */
  cpuMs: number
  maxRssMiB: number
  peakHeapMiB: number
  result: DashboardResult
}

async function buildHere(storeDir: string, out: string): Promise<BuildFigures> {
  let peakHeap = 0
  // With --expose-gc (the memory run) each sample is what is live, not what the collector has
  // not got round to yet (a full collection every half second: slower, so untimed); the timed
  // run samples without collecting.
  const gc = (globalThis as { gc?: () => void }).gc
  const sample = () => {
    gc?.()
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
  }
  const timer = setInterval(sample, gc ? 500 : 20)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const result = await writeDashboard({ store: new LocalBaselineStore(storeDir), outDir: out })
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(c0)
  clearInterval(timer)
  sample()
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    peakHeapMiB: peakHeap / 2 ** 20,
    result
  }
}

if (values.child) {
  const figures = await buildHere(values.child, values.out ?? '')
  process.stdout.write(JSON.stringify(figures))
  process.exit(0)
}

const BASELINES = int('baselines')
const shape: HistoryShape = {
  baselines: BASELINES,
  benchmarks: int('benchmarks'),
  metricsPerBenchmark: int('metrics'),
  samples: int('samples'),
  seed: 11
}
const LONG = int('long')
const OPENS = int('opens')
const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`
const work = mkdtempSync(path.join(tmpdir(), 'pg-bench-dashboard-'))

function buildInChild(storeDir: string, out: string, gc = false): BuildFigures {
  const r = spawnSync(
    process.execPath,
    [
      ...(gc ? ['--expose-gc'] : []),
      '--import',
      './bench/ts-register.mjs',
      'bench/dashboard.ts',
      '--child',
      storeDir,
      '--out',
      out
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 }
  )
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as BuildFigures
}

async function writeStore(dir: string, count: number): Promise<number> {
  const t0 = performance.now()
  const store = new LocalBaselineStore(dir, { keep: count + 1 })
  for (let i = 0; i < count; i++) await store.write(historyRun({ ...shape, baselines: count }, i))
  return performance.now() - t0
}

function siteSize(dir: string): { files: number; bytes: number; largest: [string, number] } {
  let bytes = 0
  let largest: [string, number] = ['', 0]
  const files = filesUnder(dir)
  for (const f of files) {
    const size = statSync(path.join(dir, f)).size
    bytes += size
    if (size > largest[1]) largest = [f, size]
  }
  return { files: files.length, bytes, largest }
}

async function firstChart(
  browser: Browser,
  site: string
): Promise<{ first: number; screen: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(pathToFileURL(path.join(site, 'index.html')).href)
  await page.waitForFunction('document.documentElement.dataset.firstChart !== undefined')
  // Every chart placed in the first screen drawn, too.
  await page.waitForFunction(`[...document.querySelectorAll('.card')]
    .filter((c) => c.getBoundingClientRect().top < innerHeight)
    .every((c) => c.dataset.state === 'drawn')`)
  const times = await page.evaluate<{ first: number; screen: number }>(`({
    first: performance.getEntriesByName('pg:first-chart')[0].startTime,
    screen: performance.now()
  })`)
  await page.close()
  return times
}

/** Zooms the first chart in to 1 % of its range and back out, one step per frame. */
/** What the zoom loop uses of the page's globals (it runs in the page). */
interface PageGlobals {
  perfGateDashboard: {
    charts(): Record<string, { data: number[][]; setScale(k: string, r: object): void }>
  }
  requestAnimationFrame(callback: () => void): number
}

async function zoomFrames(page: Page, steps: number): Promise<number[]> {
  return page.evaluate<number[], number>((n) => {
    const w = globalThis as unknown as PageGlobals
    const u = Object.values(w.perfGateDashboard.charts())[0]
    if (!u) throw new Error('no chart')
    const xs = u.data[0] ?? []
    const lo = xs[0]
    const hi = xs[xs.length - 1]
    const mid = lo + (hi - lo) * 0.37
    const span = (k: number) => (hi - lo) * Math.pow(0.01, k / n)
    const plan: Array<[number, number]> = []
    for (let k = 1; k <= n; k++) plan.push([mid - span(k) / 2, mid + span(k) / 2])
    for (let k = n - 1; k >= 0; k--) plan.push([mid - span(k) / 2, mid + span(k) / 2])
    return new Promise((resolve) => {
      const frames: number[] = []
      let last = performance.now()
      let i = 0
      const step = () => {
        const now = performance.now()
        if (i > 0) frames.push(now - last)
        last = now
        const next = plan[i++]
        if (!next) return resolve(frames)
        u.setScale('x', { min: next[0], max: next[1] })
        w.requestAnimationFrame(step)
      }
      w.requestAnimationFrame(step)
    })
  }, steps)
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN
}

try {
  console.log(
    `bench:dashboard — ${shape.benchmarks * shape.metricsPerBenchmark} metrics (${shape.benchmarks} benchmarks × ${shape.metricsPerBenchmark}), ${shape.samples} samples per run\n`
  )
  const quarter = Math.max(1, Math.round(BASELINES / 4))
  const builds: Array<[number, BuildFigures, BuildFigures, number]> = []
  for (const count of [quarter, BASELINES]) {
    const storeDir = path.join(work, `store-${count}`)
    const wrote = await writeStore(storeDir, count)
    const timed = buildInChild(storeDir, path.join(work, `site-${count}`))
    const live = buildInChild(storeDir, path.join(work, `site-${count}-gc`), true)
    builds.push([count, timed, live, wrote])
  }
  console.log(
    '1. build (`writeDashboard`, one process each; the store is written first, not timed)'
  )
  console.log(
    '   baselines   build (wall / CPU)   peak RSS   peak JS heap   peak live heap   store written in'
  )
  for (const [count, f, live, wrote] of builds) {
    console.log(
      `   ${String(count).padStart(9)}   ${(f.ms / 1000).toFixed(2).padStart(5)} s / ${(f.cpuMs / 1000).toFixed(2).padStart(5)} s  ${f.maxRssMiB.toFixed(0).padStart(5)} MiB ${f.peakHeapMiB.toFixed(0).padStart(9)} MiB ${live.peakHeapMiB.toFixed(1).padStart(12)} MiB   ${(wrote / 1000).toFixed(1).padStart(8)} s`
    )
  }
  console.log(
    '   live heap: sampled after a full GC every 500 ms (a second run); RSS includes the TypeScript\n' +
      '   compiler that runs this bench from the sources; wall time depends on what else the machine\n' +
      `   runs (load average now ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores), CPU time does not`
  )
  const big = builds[builds.length - 1]
  const site = path.join(work, `site-${BASELINES}`)
  const size = siteSize(site)
  console.log(
    `   targets: ≤ 10 s for ${BASELINES} baselines; memory flat from ${quarter} to ${BASELINES} baselines`
  )
  console.log(`\n2. size of the ${BASELINES}-baseline site`)
  console.log(
    `   ${size.files} files, ${mib(size.bytes)} in all (target < 50 MB); largest ${size.largest[0]}, ${mib(size.largest[1])} (target ≤ 5 MB)`
  )
  console.log(
    `   change points found: ${big?.[1].result.changePoints}, environment changes marked: ${big?.[1].result.fingerprintChanges}`
  )

  const browserPath = chromiumPath()
  if (!browserPath) {
    console.log('\n3-4. SKIPPED: no Chromium (apt-get install chromium-headless-shell)')
  } else {
    const browser = await chromium.launch({ executablePath: browserPath })
    try {
      const opens: Array<{ first: number; screen: number }> = []
      for (let i = 0; i < OPENS; i++) opens.push(await firstChart(browser, site))
      const firsts = opens.map((o) => o.first)
      const screens = opens.map((o) => o.screen)
      console.log(
        `\n3. open the ${BASELINES}-baseline site from file:// (${OPENS} loads, ms since navigation)`
      )
      console.log(
        `   first chart painted: median ${pct(firsts, 0.5).toFixed(0)} ms, worst ${Math.max(...firsts).toFixed(0)} ms (target ≤ 1000 ms)`
      )
      console.log(
        `   every chart of the first screen drawn: median ${pct(screens, 0.5).toFixed(0)} ms, worst ${Math.max(...screens).toFixed(0)} ms`
      )

      console.log(
        `\n4. zoom on a ${LONG.toLocaleString('en-US')}-run series (60 frames in to 1 %, 60 back out)`
      )
      console.log(
        '   site layout                          build    largest file   frames: median   p95    worst   > 50 ms   longest gap'
      )
      for (const [label, limits] of [
        ['overview + detail files (default)', {}],
        ['every run in one file (comparison)', { overviewAbove: Infinity }]
      ] as const) {
        const out = path.join(work, `long-${label.length}`)
        const t0 = performance.now()
        const r = await writeDashboard({
          store: generatedStore({
            baselines: LONG,
            benchmarks: 1,
            metricsPerBenchmark: 1,
            samples: shape.samples,
            seed: 5
          }),
          outDir: out,
          limits
        })
        const buildS = (performance.now() - t0) / 1000
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
        await page.goto(pathToFileURL(path.join(out, 'index.html')).href)
        await page.waitForSelector('.card[data-state="drawn"]', { state: 'attached' })
        const frames = await zoomFrames(page, 60)
        await page.close()
        const slow = frames.filter((f) => f > 50).length
        console.log(
          `   ${label.padEnd(36)} ${buildS.toFixed(1).padStart(5)} s  ${mib(r.largestFile.bytes).padStart(11)}   ${pct(frames, 0.5).toFixed(1).padStart(10)}  ${pct(frames, 0.95).toFixed(1).padStart(5)}  ${Math.max(
            ...frames
          )
            .toFixed(0)
            .padStart(
              6
            )}  ${String(slow).padStart(7)}   ${Math.max(...frames) < 1000 ? 'no dropped second' : 'DROPPED A SECOND'}`
        )
      }
      console.log('   frame = time between animation frames while zooming, ms (16.7 at 60 Hz)')
    } finally {
      await browser.close()
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
