// A small, real CPU workload for the Quickstart. Each task's throughput is measured over a fixed
// time window (ops/s), which is far steadier than timing one short call, and printed as custom
// JSON. One sample per process: samples taken in one process share its JIT and memory layout, so
// they are not independent; perf-gate's repetitions supply the independent ones.
import { createHash } from 'node:crypto'

const WINDOW_MS = 150
const WARM_MS = 50
// WORKLOAD_SLOWDOWN=1.4 does 40 % more work per counted op: a real regression to try the gate on.
const SLOWDOWN = Number(process.env.WORKLOAD_SLOWDOWN ?? '1')
if (!(SLOWDOWN >= 1))
  throw new Error(`WORKLOAD_SLOWDOWN must be a number >= 1, got ${process.env.WORKLOAD_SLOWDOWN}`)

function lcg(seed) {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
}
const unsorted = Array.from({ length: 20_000 }, lcg(42))
const block = Buffer.alloc(1 << 16, 7)
const doc = JSON.stringify(
  Array.from({ length: 1_000 }, (_, i) => ({ i, name: `item-${i}`, tags: ['a', 'b'] }))
)

const tasks = {
  'sort 20k numbers': () => unsorted.slice().sort((a, b) => a - b)[0],
  'sha256 64 KiB': () => createHash('sha256').update(block).digest('hex'),
  'JSON round-trip 1k objects': () => JSON.stringify(JSON.parse(doc)).length
}

function opsPerSecond(fn, ms = WINDOW_MS) {
  const windowNs = BigInt(ms) * 1_000_000n
  const start = process.hrtime.bigint()
  let ops = 0
  let now = start
  let debt = 0
  while (now - start < windowNs) {
    fn()
    for (debt += SLOWDOWN - 1; debt >= 1; debt--) fn()
    ops++
    now = process.hrtime.bigint()
  }
  return (ops * 1e9) / Number(now - start)
}

const results = Object.entries(tasks).map(([name, fn]) => {
  opsPerSecond(fn, WARM_MS) // let the JIT settle; perf-gate's warm-up runs cover process start-up
  return { name, unit: 'ops/s', direction: 'higher', value: opsPerSecond(fn) }
})

process.stdout.write(JSON.stringify(results, null, 2) + '\n')
