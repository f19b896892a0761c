// bench:engine — how long the engine takes to compare 10,000 metrics with 30 samples per arm, the
// peak memory of the process doing it, and the cold start of the committed CLI (`--help`).
//
// Usage: npm run bench:engine [-- --metrics 10000 --samples 30 --repeat 5 --out engine.json]
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { lognormal, mulberry32 } from '../__tests__/helpers/random.js'
import { compareResultSets } from '../src/stats/compare-sets.js'
import type { Benchmark, ResultSet } from '../src/results/model.js'

const { values } = parseArgs({
  options: {
    metrics: { type: 'string', default: '10000' },
    samples: { type: 'string', default: '30' },
    repeat: { type: 'string', default: '5' },
    out: { type: 'string' }
  }
})
const METRICS = Number(values.metrics)
const SAMPLES = Number(values.samples)
const REPEAT = Number(values.repeat)
const METRICS_PER_BENCHMARK = 10
const TARGETS = { wallMs: 2000, peakRssMb: 300, coldStartMs: 300 }

/**
 * Two result sets with the same metrics: CV 5 % noise, mixed directions and classes, and 1 % of
 * the metrics 20 % worse so every branch of the rule (pass, warn, fail, improved) is exercised.
 */
function resultSets(): [ResultSet, ResultSet] {
  const rng = mulberry32(42)
  const base: Benchmark[] = []
  const cur: Benchmark[] = []
  for (let b = 0; b * METRICS_PER_BENCHMARK < METRICS; b++) {
    const count = Math.min(METRICS_PER_BENCHMARK, METRICS - b * METRICS_PER_BENCHMARK)
    const mk = (worse: (i: number) => number): Benchmark => ({
      name: `bench-${b}`,
      metrics: Array.from({ length: count }, (_, i) => ({
        name: `metric-${i}`,
        unit: i % 2 === 0 ? 'ms' : 'tokens/s',
        direction: i % 2 === 0 ? ('lower' as const) : ('higher' as const),
        class: i % 3 === 0 ? ('core' as const) : ('non-critical' as const),
        samples: lognormal(rng, SAMPLES, 100 * worse(i), 0.05)
      }))
    })
    base.push(mk(() => 1))
    // Worse is slower for lower-is-better, less throughput for higher-is-better.
    cur.push(mk((i) => ((b * count + i) % 100 === 0 ? (i % 2 === 0 ? 1.2 : 1 / 1.2) : 1)))
  }
  const set = (benchmarks: Benchmark[]): ResultSet => ({
    version: 1,
    testbed: 'bench',
    createdAt: '2026-11-22T00:00:00.000Z',
    commit: { sha: null },
    environment: { os: 'linux', arch: 'x64', cpu: 'bench', cpuCount: 2, memoryBytes: 0, node: '' },
    benchmarks
  })
  return [set(base), set(cur)]
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const mb = (kb: number): number => kb / 1024

const [baseline, current] = resultSets()
const rssBeforeMb = mb(process.resourceUsage().maxRSS)
const times: number[] = []
let verdict = ''
let counts = ''
for (let r = 0; r < REPEAT; r++) {
  const t0 = process.hrtime.bigint()
  const outcome = compareResultSets(baseline, current)
  times.push(ms(t0))
  verdict = outcome.verdict
  counts = `${outcome.regressions} regressions, ${outcome.improvements} improved, ${outcome.unchanged} unchanged`
}
const peakRssMb = mb(process.resourceUsage().maxRSS)

/** The committed bundle, as a user starts it: a fresh process each time, the first one unmeasured. */
function coldStartMs(): number | null {
  const cli = path.resolve('dist/cli.js')
  if (!existsSync(cli)) return null
  const run = (): number => {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`dist/cli.js --help exited ${r.status}: ${r.stderr}`)
    return ms(t0)
  }
  run()
  return median(Array.from({ length: 10 }, run))
}
const cold = coldStartMs()

const first = times[0]
const ok = (met: boolean): string => (met ? 'yes' : '**no**')
const lines = [
  `## Engine (${METRICS.toLocaleString('en-US')} metrics × ${SAMPLES} samples per arm; ${counts}; verdict ${verdict})`,
  '',
  '| measure | value | target | met |',
  '| --- | ---: | ---: | --- |',
  `| compare, first run (wall) | ${first.toFixed(0)} ms | ≤ ${TARGETS.wallMs} ms | ${ok(first <= TARGETS.wallMs)} |`,
  `| compare, median of ${REPEAT} runs (wall) | ${median(times).toFixed(0)} ms | | |`,
  `| peak RSS of the process | ${peakRssMb.toFixed(0)} MB | ≤ ${TARGETS.peakRssMb} MB | ${ok(peakRssMb <= TARGETS.peakRssMb)} |`,
  `| RSS before comparing (Node, TS loader, data) | ${rssBeforeMb.toFixed(0)} MB | | |`,
  cold === null
    ? '| `dist/cli.js --help` cold start | dist/cli.js missing | | **no** |'
    : `| \`dist/cli.js --help\` cold start (median of 10) | ${cold.toFixed(0)} ms | ≤ ${TARGETS.coldStartMs} ms | ${ok(cold <= TARGETS.coldStartMs)} |`
]
console.log(lines.join('\n'))

if (values.out) {
  const result = {
    compare10k: { wallMs: Math.round(first), peakRssMb: Math.round(peakRssMb) },
    coldStartMs: cold === null ? null : Math.round(cold)
  }
  writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n')
}
