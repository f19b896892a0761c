// How long `perf-gate compare` takes as samples grow: generates two result files per size and
// times the built CLI on them, the way a user runs it. Prints a markdown table.
// Usage: npm run bench:compare [-- --metrics 12 --sizes 10,100,1000,5000 --repeat 3]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    metrics: { type: 'string', default: '12' },
    sizes: { type: 'string', default: '10,100,1000,5000' },
    repeat: { type: 'string', default: '3' }
  }
})
const metrics = Number(values.metrics)
const sizes = values.sizes.split(',').map(Number)
const repeat = Number(values.repeat)
const cli = path.resolve('dist/cli.js')
const dir = mkdtempSync(path.join(tmpdir(), 'pg-bench-'))

let seed = 1
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}
const lognormal = (n, median, cv) => {
  const sigma = Math.sqrt(Math.log(1 + cv * cv))
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
    return median * Math.exp(sigma * z)
  })
}
const file = (name, n, median) => {
  const p = path.join(dir, name)
  const entries = Array.from({ length: metrics }, (_, i) => ({
    name: `m${i}`,
    unit: 'ms',
    values: lognormal(n, median, 0.05)
  }))
  writeFileSync(p, JSON.stringify(entries))
  return p
}

console.log(`| samples per side | metrics | median wall time (of ${repeat}) | verdict |`)
console.log('| ---: | ---: | ---: | --- |')
for (const n of sizes) {
  const a = file(`a-${n}.json`, n, 100)
  const b = file(`b-${n}.json`, n, 103)
  const times = []
  let verdict = ''
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint()
    const out = spawnSync(process.execPath, [cli, 'compare', a, b, '--json'], { encoding: 'utf8' })
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
    if (out.status === 2) throw new Error(out.stderr)
    verdict = JSON.parse(out.stdout).verdict
  }
  times.sort((x, y) => x - y)
  console.log(
    `| ${n} | ${metrics} | ${times[Math.floor(times.length / 2)].toFixed(0)} ms | ${verdict} |`
  )
}
