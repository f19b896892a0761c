// bench:store — the git:BRANCH baseline store against the GitHub stand-in with a simulated round
// trip: time to write and to read one baseline of 500 metrics × 30 samples, stored bytes per
// baseline, and the branch's reachable size after 1,000 baselines with retention 100.
//
// Usage: npm run bench:store [-- --latency 50 --metrics 500 --samples 30 --repeat 5
//        --count 1000 --keep 100 --compact-every 50 --fleet-latency 0 --out store.json]
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { lognormal, mulberry32 } from '../__tests__/helpers/random.js'
import { GitHubStandin } from '../__tests__/helpers/github-standin.js'
import { GitBaselineStore } from '../src/baseline/git-store.js'
import { createClient, type ApiTuning } from '../src/github/client.js'
import type { Benchmark, ResultSet } from '../src/results/model.js'

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '50' },
    metrics: { type: 'string', default: '500' },
    samples: { type: 'string', default: '30' },
    repeat: { type: 'string', default: '5' },
    count: { type: 'string', default: '1000' },
    keep: { type: 'string', default: '100' },
    'compact-every': { type: 'string', default: '50' },
    'fleet-latency': { type: 'string', default: '0' },
    out: { type: 'string' }
  }
})
const LATENCY = Number(values.latency)
const METRICS = Number(values.metrics)
const SAMPLES = Number(values.samples)
const REPEAT = Number(values.repeat)
const COUNT = Number(values.count)
const KEEP = Number(values.keep)
const COMPACT_EVERY = Number(values['compact-every'])
const FLEET_LATENCY = Number(values['fleet-latency'])
const BRANCH = 'perf-gate-data'

const rng = mulberry32(42)

function baseline(i: number): ResultSet {
  const benchmarks: Benchmark[] = []
  for (let b = 0; b * 10 < METRICS; b++) {
    benchmarks.push({
      name: `bench-${b}`,
      metrics: Array.from({ length: Math.min(10, METRICS - b * 10) }, (_, m) => ({
        name: `metric-${m}`,
        unit: 'ms',
        direction: 'lower' as const,
        class: 'core' as const,
        samples: lognormal(rng, SAMPLES, 10 + m, 0.05)
      }))
    })
  }
  return {
    $schema: 'perf-gate/results',
    version: 1,
    testbed: 'gpu-a100',
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    commit: { sha: (i % 16).toString(16).repeat(40) },
    environment: { os: 'Linux', arch: 'x64', cpu: 'cpu', cpuCount: 8, memoryBytes: 1, node: 'v24' },
    benchmarks
  }
}

function tuning(pacing: boolean): ApiTuning {
  return { timeScale: 1, requestTimeoutMs: 30_000, pacing, maxRateLimitWaitSeconds: 60 }
}

function open(gh: GitHubStandin, opts: { pacing?: boolean; compactEvery?: number } = {}) {
  const client = createClient('ghs-write', { baseUrl: gh.url, tuning: tuning(!!opts.pacing) })
  return new GitBaselineStore(
    client,
    { owner: gh.owner, repo: gh.repo },
    { branch: BRANCH, keep: KEEP, compactEvery: opts.compactEvery ?? COMPACT_EVERY }
  )
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now()
  const r = await fn()
  return [performance.now() - t, r]
}

// 1. One baseline, written and read by a fresh store (a new workflow run) over a slow link.
const gh = await new GitHubStandin({ latencyMs: LATENCY }).start()
await open(gh).write(baseline(0))
const writes: number[] = []
const reads: number[] = []
let requestsPerWrite = 0
let requestsPerRead = 0
for (let i = 1; i <= REPEAT; i++) {
  const before = gh.requests.length
  const [w] = await timed(() => open(gh).write(baseline(i)))
  writes.push(w)
  requestsPerWrite = gh.requests.length - before
  const mid = gh.requests.length
  const [r, got] = await timed(() => open(gh).latest('gpu-a100'))
  if (got?.results.createdAt !== baseline(i).createdAt) throw new Error('read back the wrong one')
  reads.push(r)
  requestsPerRead = gh.requests.length - mid
}
// GitHub's own pacing of writes (1 s apart), which the action keeps on in a real run.
const [pacedWrite] = await timed(() => open(gh, { pacing: true }).write(baseline(REPEAT + 1)))
await gh.close()

const sample = baseline(1)
const compact = Buffer.byteLength(JSON.stringify(sample))
const pretty = Buffer.byteLength(JSON.stringify(sample, null, 2) + '\n')
const gzipped = gzipSync(JSON.stringify(sample)).length

// 2. COUNT baselines with retention KEEP: the branch's reachable size, with and without squashing.
async function fleet(compactEvery: number) {
  const f = await new GitHubStandin({ latencyMs: FLEET_LATENCY }).start()
  let peak = 0
  const t = performance.now()
  for (let i = 0; i < COUNT; i++) {
    await open(f, { compactEvery }).write(baseline(i))
    // The size just before a squash is the high-water mark; without squashing the end is.
    if (compactEvery > 0) peak = Math.max(peak, f.git.reachableBytes(BRANCH).bytes)
  }
  const end = f.git.reachableBytes(BRANCH)
  const files = Object.keys(f.git.branchFiles(BRANCH)).filter((p) => p.startsWith('baselines/'))
  await f.close()
  return {
    ...end,
    peakBytes: Math.max(peak, end.bytes),
    files: files.length,
    seconds: (performance.now() - t) / 1000
  }
}
const squashed = await fleet(COMPACT_EVERY)
const unsquashed = await fleet(0)

const mb = (b: number) => (b / 1e6).toFixed(1)
const result = {
  latencyMs: LATENCY,
  metrics: METRICS,
  samples: SAMPLES,
  writeMs: Math.round(median(writes)),
  readMs: Math.round(median(reads)),
  writeMsWithGitHubPacing: Math.round(pacedWrite),
  requestsPerWrite,
  requestsPerRead,
  storedBytesPerBaseline: compact,
  prettyJsonBytes: pretty,
  gzipBytes: gzipped,
  fleet: {
    baselines: COUNT,
    keep: KEEP,
    compactEvery: COMPACT_EVERY,
    latencyMs: FLEET_LATENCY,
    filesOnBranch: squashed.files,
    reachableBytes: squashed.bytes,
    peakReachableBytes: squashed.peakBytes,
    commits: squashed.commits,
    reachableBytesWithoutSquash: unsquashed.bytes,
    commitsWithoutSquash: unsquashed.commits
  }
}

console.log(
  `git:BRANCH store, stand-in with ${LATENCY} ms per request, ${METRICS} metrics × ${SAMPLES} samples (median of ${REPEAT})\n` +
    `  write: ${result.writeMs} ms (${requestsPerWrite} requests); with GitHub's 1 s write pacing: ${result.writeMsWithGitHubPacing} ms\n` +
    `  read (latest, fresh run): ${result.readMs} ms (${requestsPerRead} requests)\n` +
    `  stored bytes per baseline: ${compact} (compact JSON; pretty ${pretty}, gzip ${gzipped})\n` +
    `after ${COUNT} baselines, retention ${KEEP}, squash every ${COMPACT_EVERY} commits (${FLEET_LATENCY} ms per request):\n` +
    `  branch: ${squashed.files} baseline files, ${squashed.commits} commits, ${mb(squashed.bytes)} MB reachable (peak ${mb(squashed.peakBytes)} MB)\n` +
    `  without squashing: ${unsquashed.commits} commits, ${mb(unsquashed.bytes)} MB reachable`
)
if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n')
