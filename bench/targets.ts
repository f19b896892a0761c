// Absolute targets: how often a run FAILs a target whose bound is exactly the metric's true
// median (a false FAIL: the target is met, just), and how often it FAILs a gross miss, with every
// FAIL confirmed by Benjamini–Hochberg over all the run's targets (src/stats/targets.ts). Each
// target is one benchmark of 10 runs; the log of a run is the median plus noise of the shape
// named. The t-test that confirms a FAIL is scale-free in the logs, so one spread stands for all.
// Seeded: the same arguments print the same figures.
//
// Usage: node --import ./bench/ts-register.mjs bench/targets.ts [--trials 2000]
import { parseArgs } from 'node:util'
import type { Benchmark } from '../src/results/model.js'
import { seededRng, type Rng } from '../src/shared/random.js'
import { noBaselineOutcome } from '../src/stats/compare-sets.js'
import { applyTargets } from '../src/stats/targets.js'
import type { TargetSpec } from '../src/stats/types.js'
import { resultSet } from '../__tests__/helpers/results.js'

const { values } = parseArgs({ options: { trials: { type: 'string', default: '2000' } } })
const TRIALS = Number(values.trials)
if (!(Number.isInteger(TRIALS) && TRIALS > 0)) throw new Error('--trials must be ≥ 1')
const RUNS = 10
const SIGMA = 0.05

function normal(rng: Rng): number {
  const u = 1 - rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/** Noise of median 0 in the logs. */
const SHAPES: Array<{ name: string; draw: (rng: Rng) => number }> = [
  { name: 'normal logs', draw: normal },
  {
    name: 'heavy-tailed logs (t, 3 df)',
    draw: (rng) =>
      normal(rng) / Math.sqrt((normal(rng) ** 2 + normal(rng) ** 2 + normal(rng) ** 2) / 3)
  },
  // A floor with a long tail above it: the shape of a latency.
  { name: 'skewed logs, long tail up', draw: (rng) => -Math.log(1 - rng()) - Math.LN2 },
  // A ceiling with a long tail below it: the shape of a throughput.
  { name: 'skewed logs, long tail down', draw: (rng) => Math.LN2 + Math.log(1 - rng()) }
]

function bench(name: string, samples: number[]): Benchmark {
  return {
    name,
    metrics: [{ name: 'x', unit: 'ms', direction: 'lower', class: 'core', samples }]
  }
}

/** Runs (of TRIALS) with any FAIL, and FAILs per target, when every bound is the true median. */
function atTheMedian(
  draw: (rng: Rng) => number,
  op: '>=' | '<=',
  targets: number,
  rng: Rng
): { anyFail: number; perTarget: number } {
  let anyFail = 0
  let fails = 0
  const spec: TargetSpec[] = [{ metric: 'x', op, bound: 100, text: `${op} 100` }]
  for (let t = 0; t < TRIALS; t++) {
    const current = resultSet(
      Array.from({ length: targets }, (_, i) =>
        bench(
          `cell${i}`,
          Array.from({ length: RUNS }, () => 100 * Math.exp(SIGMA * draw(rng)))
        )
      )
    )
    const missed =
      applyTargets(noBaselineOutcome(current, 'none'), current, () => spec).targets?.missed ?? 0
    fails += missed
    if (missed > 0) anyFail++
  }
  return { anyFail: anyFail / TRIALS, perTarget: fails / TRIALS / targets }
}

/** FAILs (of TRIALS) of one target `short` below its `>=` bound, among `targets` met by far. */
function grossMiss(short: number, targets: number, rng: Rng): number {
  let failed = 0
  for (let t = 0; t < TRIALS; t++) {
    const met = Array.from({ length: targets - 1 }, (_, i) =>
      bench(
        `cell${i}`,
        Array.from({ length: RUNS }, () => 200 * Math.exp(SIGMA * normal(rng)))
      )
    )
    const miss = bench(
      'miss',
      Array.from({ length: RUNS }, () => 100 * (1 - short) * Math.exp(0.02 * normal(rng)))
    )
    const current = resultSet([...met, miss])
    const outcome = applyTargets(noBaselineOutcome(current, 'none'), current, () => [
      { metric: 'x', op: '>=', bound: 100, text: '>= 100' }
    ])
    if (outcome.comparisons.find((c) => c.benchmark === 'miss')?.target?.verdict === 'fail')
      failed++
  }
  return failed / TRIALS
}

const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)} %`
const started = Date.now()
console.log(
  `targets at the true median, ${RUNS} runs each, ${TRIALS} seeded runs per row (BH aims at 5 %)`
)
console.log('| noise | target | targets | runs with a false FAIL | false FAILs per target |')
console.log('|---|---|---:|---:|---:|')
SHAPES.forEach((shape, s) => {
  for (const op of ['>=', '<='] as const) {
    for (const targets of [12, 190]) {
      const rng = seededRng(1000 * s + (op === '>=' ? 0 : 500) + targets)
      const r = atTheMedian(shape.draw, op, targets, rng)
      console.log(
        `| ${shape.name} | ${op} | ${targets} | ${pct(r.anyFail)} | ${pct(r.perTarget, 3)} |`
      )
    }
  }
})
console.log('\none target short of its `>=` bound (CV 2 %), the rest met, 10 runs each')
console.log('| short by | targets | FAILed |')
console.log('|---:|---:|---:|')
for (const short of [0.03, 0.08]) {
  for (const targets of [12, 190]) {
    const r = grossMiss(short, targets, seededRng(7 + targets + short * 1000))
    console.log(`| ${pct(short, 0)} | ${targets} | ${pct(r)} |`)
  }
}
console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s`)
