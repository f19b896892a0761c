// History mode: how often the nightly change-point report names a step that is not there, how
// often it finds one that is (at the right baseline), and how long it takes. One value per
// baseline (its median), with lognormal noise of the given CV between baselines. Seeded: the same
// arguments print the same figures.
//
// Usage: node --import ./bench/ts-register.mjs bench/history.ts [--trials 500]
import { parseArgs } from 'node:util'
import { median } from 'simple-statistics'
import { analyseHistory } from '../src/engine/history-mode.js'
import { detectChangePoints } from '../src/stats/change-points.js'
import { lognormal, mulberry32 } from '../__tests__/helpers/random.js'
import { resultSet } from '../__tests__/helpers/results.js'

const { values } = parseArgs({ options: { trials: { type: 'string', default: '500' } } })
const TRIALS = Number(values.trials)
if (!(Number.isInteger(TRIALS) && TRIALS > 0)) throw new Error('--trials must be ≥ 1')

function series(rng: () => number, n: number, cv: number, step: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const level = i < n / 2 ? 100 : 100 * (1 + step)
    return lognormal(rng, 1, level, cv)[0] ?? level
  })
}

console.log(`change points per series (E-Divisive means, defaults), ${TRIALS} seeded series each`)
console.log('baselines  CV    step   any change point  found at the step (±1)')
for (const n of [30, 100]) {
  for (const cv of [0.01, 0.02, 0.05]) {
    for (const step of [0, 0.05, 0.1]) {
      const rng = mulberry32(1000 * n + 100 * cv + step * 10)
      let any = 0
      let right = 0
      for (let t = 0; t < TRIALS; t++) {
        const found = detectChangePoints(series(rng, n, cv, step))
        if (found.length > 0) any++
        if (found.some((c) => Math.abs(c.index - n / 2) <= 1)) right++
      }
      const pct = (k: number) => `${((100 * k) / TRIALS).toFixed(1).padStart(5)} %`
      console.log(
        `${String(n).padStart(9)}  ${(cv * 100).toFixed(0)} %  ${`+${(step * 100).toFixed(0)} %`.padStart(5)}   ${pct(any).padStart(16)}  ${pct(right).padStart(22)}`
      )
    }
  }
}

console.log('\ntime of analyseHistory, 20 metrics (median of 5 runs)')
for (const n of [100, 365, 1000]) {
  const rng = mulberry32(n)
  const sets = Array.from({ length: n }, (_, i) =>
    resultSet(
      [
        {
          name: 'bench',
          metrics: Array.from({ length: 20 }, (_, m) => ({
            name: `m${m}`,
            unit: 'ms',
            direction: 'lower' as const,
            class: 'core' as const,
            samples: lognormal(rng, 10, i < n / 2 || m % 4 !== 0 ? 100 : 110, 0.02)
          }))
        }
      ],
      { commit: { sha: String(i).padStart(40, '0') } }
    )
  )
  const times: number[] = []
  let steps = 0
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now()
    const report = analyseHistory(sets, { testbed: 't', location: 'l' })
    times.push(performance.now() - t0)
    steps = report.metrics.reduce((k, m) => k + m.steps.length, 0)
  }
  console.log(
    `${String(n).padStart(5)} baselines: ${median(times).toFixed(0).padStart(6)} ms, ${steps} change points (5 seeded)`
  )
}
