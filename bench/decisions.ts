// bench:decisions — how often each rule FAILs or alerts on simulated data, side by side on the
// same draws: perf-gate's rule, the single-value ratio (github-action-benchmark), a mean ratio,
// a benchstat-style Mann-Whitney test and a Welch-t reference. Seeded: the same arguments print
// the same digits. Prints markdown tables and the targets of issue 3; `--out FILE` writes JSON.
//
// Usage: npm run bench:decisions [-- --trials 10000 --out decisions.json --warn 0.05 --fail 0.05
//        --seed 20261122 --workers 2]
import { writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import type { Thresholds } from '../src/stats/types.js'
import { MULTI12_CV } from './sim/noise.js'
import { RULES, type RuleName } from './sim/rules.js'
import {
  CAPS,
  CVS,
  DELTAS,
  FAMILIES,
  keyOf,
  runJob,
  SIZES,
  type Job,
  type Scenario,
  type Tallies,
  type Unit
} from './sim/units.js'

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '10000' },
    out: { type: 'string' },
    warn: { type: 'string', default: '0.05' },
    fail: { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '20261122' },
    workers: { type: 'string', default: String(Math.min(2, availableParallelism())) }
  }
})
const TRIALS = Number(values.trials)
const SEED = Number(values.seed)
const WORKERS = Number(values.workers)
const THRESHOLDS: Thresholds = { warn: Number(values.warn), fail: Number(values.fail) }
if (!(Number.isInteger(TRIALS) && TRIALS > 0))
  throw new Error('--trials must be a positive integer')
if (!(Number.isInteger(WORKERS) && WORKERS > 0)) throw new Error('--workers must be ≥ 1')

interface Row {
  rule: RuleName
  scenario: Scenario
  cv: number
  delta: number
  n: number
  pFail: number
  pWarnOrFail: number
  meanRuns: number
}

/** Trials per job: small enough that two threads finish together, large enough to amortize. */
const CHUNK = 250
const ASIDE_FAIL = 0.1
const units: Unit[] = []
for (let from = 0; from < TRIALS; from += CHUNK) {
  const to = Math.min(TRIALS, from + CHUNK)
  for (const { family, cvs } of FAMILIES) {
    for (const cv of cvs) units.push({ kind: 'single', family, cv, from, to })
  }
  units.push({ kind: 'multi12', from, to })
  units.push({ kind: 'aside', fail: ASIDE_FAIL, from, to })
}
const jobs: Job[] = units.map((unit) => ({ unit, seed: SEED, thresholds: THRESHOLDS }))

/** Runs the jobs on `workers` threads (inline for one) and sums their counts. */
async function runAll(workers: number): Promise<Tallies> {
  const total: Tallies = {}
  const add = (t: Tallies): void => {
    for (const [key, v] of Object.entries(t)) {
      const acc = (total[key] ??= { fails: 0, alerts: 0, runs: 0 })
      acc.fails += v.fails
      acc.alerts += v.alerts
      acc.runs += v.runs
    }
  }
  if (workers === 1) {
    for (const job of jobs) add(runJob(job))
    return total
  }
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(workers, jobs.length) }, async () => {
      const worker = new Worker(new URL('./sim/worker.ts', import.meta.url))
      try {
        while (next < jobs.length) {
          const job = jobs[next++]
          add(
            await new Promise<Tallies>((resolve, reject) => {
              worker.once('message', resolve)
              worker.once('error', reject)
              worker.postMessage(job)
            })
          )
          worker.removeAllListeners('error')
        }
      } finally {
        await worker.terminate()
      }
    })
  )
  return total
}

const started = process.hrtime.bigint()
const tallies = await runAll(WORKERS)
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const aside = tallies[keyOf('perf-gate', 'aside', 0.05, 0, 20)]
const asideRuns = aside?.runs ?? NaN
const asideFails = aside?.fails ?? NaN
delete tallies[keyOf('perf-gate', 'aside', 0.05, 0, 20)]

const rows: Row[] = Object.entries(tallies).map(([key, t]) => {
  const [rule, scenario, cv, delta, n] = key.split('|')
  return {
    rule: rule as RuleName,
    scenario: scenario as Scenario,
    cv: Number(cv),
    delta: Number(delta),
    n: Number(n),
    pFail: t.fails / TRIALS,
    pWarnOrFail: t.alerts / TRIALS,
    meanRuns: t.runs / TRIALS
  }
})
const find = (rule: RuleName, scenario: Scenario, cv: number, delta: number, n: number): Row => {
  const row = rows.find(
    (r) =>
      r.rule === rule && r.scenario === scenario && r.cv === cv && r.delta === delta && r.n === n
  )
  if (!row) throw new Error(`no row ${keyOf(rule, scenario, cv, delta, n)}`)
  return row
}

const pct = (p: number): string => (100 * p).toFixed(1)
const cell = (r: Row): string => `${pct(r.pFail)} / ${pct(r.pWarnOrFail)}`
const budget = `warn ${pct(THRESHOLDS.warn)} % / fail ${pct(THRESHOLDS.fail ?? NaN)} %`
const out: string[] = []
out.push(
  `## Decision quality: P(FAIL) / P(WARN or FAIL), % (${TRIALS} trials per cell, ${budget}, seed ${SEED})`,
  '',
  'multi12: any of 12 metrics (4 × throughput CV 8 %, TTFT CV 10 % with a ×5 cold start per arm, VRAM CV 0.5 %; Δ on one throughput).',
  'heavy-tail: σ 0.05 plus a exp(|N(0, 0.5)|) slowdown on 10 % of runs. cold-start: CV 5 % plus one ×5 run per arm.',
  '',
  `| scenario | CV | N | Δ | ${RULES.join(' | ')} |`,
  `| --- | ---: | ---: | ---: | ${RULES.map(() => '---:').join(' | ')} |`
)
const scenarios: Array<{ scenario: Scenario; cvs: number[] }> = [
  ...FAMILIES.map(({ family, cvs }) => ({ scenario: family, cvs })),
  { scenario: 'multi12', cvs: [MULTI12_CV] }
]
for (const { scenario, cvs } of scenarios) {
  for (const cv of cvs) {
    for (const n of SIZES) {
      for (const delta of DELTAS) {
        const cells = RULES.map((rule) => cell(find(rule, scenario, cv, delta, n)))
        const cvLabel = scenario === 'multi12' ? 'mix' : `${pct(cv)} %`
        out.push(`| ${scenario} | ${cvLabel} | ${n} | +${pct(delta)} % | ${cells.join(' | ')} |`)
      }
    }
  }
}
out.push(
  '',
  `## Adaptive sampling (perf-gate, looks every 5 runs per arm from 5 to the cap, FAIL at α/K, futility stop on the 80 % bound)`,
  '',
  '| CV | cap | Δ | adaptive | mean runs/arm | fixed N = cap |',
  '| ---: | ---: | ---: | ---: | ---: | ---: |'
)
for (const cv of CVS) {
  for (const cap of CAPS) {
    for (const delta of DELTAS) {
      const a = find('perf-gate', 'adaptive', cv, delta, cap)
      const fixed = find('perf-gate', 'lognormal', cv, delta, cap)
      out.push(
        `| ${pct(cv)} % | ${cap} | +${pct(delta)} % | ${cell(a)} | ${a.meanRuns.toFixed(1)} | ${cell(fixed)} |`
      )
    }
  }
}

// Targets of issue 3. Monte-Carlo standard error of a rate p over TRIALS trials: √(p(1−p)/TRIALS).
interface Target {
  what: string
  met: boolean
  value: string
}
const targets: Target[] = []
const atMost = (what: string, p: number, limit: number, extra = ''): void => {
  targets.push({ what, met: p <= limit, value: `${pct(p)} % (≤ ${pct(limit)} %)${extra}` })
}
const atLeast = (what: string, p: number, limit: number): void => {
  targets.push({ what, met: p >= limit, value: `${pct(p)} % (≥ ${pct(limit)} %)` })
}
for (const [scenario, cv, limit] of [
  ['lognormal', 0.02, 0.01],
  ['lognormal', 0.05, 0.01],
  ['lognormal', 0.1, 0.01],
  ['heavy-tail', 0.05, 0.01],
  ['cold-start', 0.05, 0.01],
  ['lognormal', 0.3, 0.03]
] as const) {
  const single = find('single-ratio', scenario, cv, 0, 10).pFail
  atMost(
    `false FAIL, ${scenario} CV ${pct(cv)} %, N = 10`,
    find('perf-gate', scenario, cv, 0, 10).pFail,
    limit,
    `; single-ratio ${pct(single)} %`
  )
}
atLeast('FAIL at +15 %, CV 5 %, N = 10', find('perf-gate', 'lognormal', 0.05, 0.15, 10).pFail, 0.95)
atLeast(
  'WARN or FAIL at +10 %, CV 5 %, N = 10',
  find('perf-gate', 'lognormal', 0.05, 0.1, 10).pWarnOrFail,
  0.95
)
let worst: { ratio: number; label: string } = { ratio: Infinity, label: '' }
let powered = 0
for (const cv of CVS) {
  for (const n of SIZES) {
    for (const delta of DELTAS.filter((x) => x > 0)) {
      const oracle = find('oracle-t', 'lognormal', cv, delta, n).pWarnOrFail
      if (oracle < 0.5) continue
      powered++
      const ratio = find('perf-gate', 'lognormal', cv, delta, n).pWarnOrFail / oracle
      if (ratio < worst.ratio) {
        worst = { ratio, label: `CV ${pct(cv)} %, N = ${n}, +${pct(delta)} %` }
      }
    }
  }
}
targets.push({
  what: `WARN-or-FAIL power ≥ 90 % of oracle-t's in all ${powered} lognormal cells where oracle-t's is ≥ 50 %`,
  met: worst.ratio >= 0.9,
  value: `worst ${pct(worst.ratio)} % (${worst.label})`
})
atMost(
  '12 unchanged metrics, N = 10: P(any FAIL)',
  find('perf-gate', 'multi12', MULTI12_CV, 0, 10).pFail,
  0.03
)
atMost(
  '12 unchanged metrics, N = 10: P(any WARN or FAIL)',
  find('perf-gate', 'multi12', MULTI12_CV, 0, 10).pWarnOrFail,
  0.1
)
const seq = find('perf-gate', 'adaptive', 0.05, 0, 20)
const fixed20 = find('perf-gate', 'lognormal', 0.05, 0, 20)
targets.push({
  what: 'adaptive, no change, CV 5 %, cap 20: mean runs per arm',
  met: seq.meanRuns <= 8,
  value: `${seq.meanRuns.toFixed(2)} (≤ 8); with a ${pct(ASIDE_FAIL)} % fail budget: ${(asideRuns / TRIALS).toFixed(2)}`
})
targets.push({
  what: 'adaptive, no change, CV 5 %: false FAILs no more than fixed N = 20',
  met: seq.pFail <= fixed20.pFail,
  value: `${pct(seq.pFail)} % vs ${pct(fixed20.pFail)} %; with a ${pct(ASIDE_FAIL)} % fail budget: ${pct(asideFails / TRIALS)} %`
})

const se = (p: number): number => Math.sqrt((p * (1 - p)) / TRIALS)
out.push(
  '',
  `## Targets (Monte-Carlo SE ±${pct(se(0.05))} pp at 5 % or 95 %, ±${pct(se(0.5))} pp at 50 %)`,
  '',
  '| target | value | met |',
  '| --- | --- | --- |',
  ...targets.map((t) => `| ${t.what} | ${t.value} | ${t.met ? 'yes' : '**no**'} |`),
  '',
  `${targets.filter((t) => t.met).length} of ${targets.length} targets met; ${rows.length} rows in ${seconds.toFixed(1)} s.`
)
console.log(out.join('\n'))

if (values.out) {
  const order = (r: Row): string =>
    [
      ['lognormal', 'heavy-tail', 'cold-start', 'multi12', 'adaptive'].indexOf(r.scenario),
      RULES.indexOf(r.rule)
    ].join('|')
  rows.sort(
    (a, b) => order(a).localeCompare(order(b)) || a.cv - b.cv || a.n - b.n || a.delta - b.delta
  )
  writeFileSync(values.out, JSON.stringify({ rows }, null, 2) + '\n')
}
