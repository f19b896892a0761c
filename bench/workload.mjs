// A small, real CPU workload for the Quickstart. Each sample is a throughput over a fixed time
// window (ops/s), which is far steadier than timing one short call. It prints custom JSON with
// several samples per run, so perf-gate has something honest to gate.
import { createHash } from 'node:crypto'

const SAMPLES = 3
const WINDOW_MS = 80

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

function opsPerSecond(fn) {
  const windowNs = BigInt(WINDOW_MS) * 1_000_000n
  const start = process.hrtime.bigint()
  let ops = 0
  let now = start
  while (now - start < windowNs) {
    fn()
    ops++
    now = process.hrtime.bigint()
  }
  return (ops * 1e9) / Number(now - start)
}

const results = Object.entries(tasks).map(([name, fn]) => {
  opsPerSecond(fn) // let the JIT settle; perf-gate's warm-up runs cover process start-up
  return {
    name,
    unit: 'ops/s',
    direction: 'higher',
    values: Array.from({ length: SAMPLES }, () => opsPerSecond(fn))
  }
})

process.stdout.write(JSON.stringify(results, null, 2) + '\n')
