// bench:analyst — the grounding of the analyst narrative and the cost of rendering. Runs the
// scripted adversarial answers (grounded, invented numbers, invented company and person, mixed
// scripts, 3 tokens, empty) through the analyst with an in-process Ollama-shaped client, counts the
// sentences kept and dropped by reason and every number of the rendered narrative that is not in
// the facts (target: 0), then times rendering the report file and the ledger for 1,000 metrics
// (target: ≤ 200 ms). Seeded: the same arguments print the same counts.
//
// Usage: npm run bench:analyst [-- --metrics 1000 --iterations 20 --out analyst.json]
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { median } from 'simple-statistics'
import { buildFacts, runAnalyst, type AnalystClient } from '../src/analyst/index.js'
import { ungroundedNumbers, vocabularyOf } from '../src/analyst/grounding.js'
import { compareResultSets } from '../src/stats/compare-sets.js'
import { trendHistory } from '../src/engine/history.js'
import type { Metric, ResultSet } from '../src/results/model.js'
import { renderLedger } from '../src/report/ledger.js'
import { renderReportFile } from '../src/report/report-file.js'
import type { GateReport } from '../src/types/report.js'
import { ANSWERS, type AnswerName } from '../__tests__/analyst/answers.js'
import { goldenInput, goldenReport } from '../__tests__/report/golden-fixture.js'
import { lognormal, mulberry32 } from '../__tests__/helpers/random.js'

const { values } = parseArgs({
  options: {
    metrics: { type: 'string', default: '1000' },
    iterations: { type: 'string', default: '20' },
    out: { type: 'string' }
  }
})
const METRICS = Number(values.metrics)
const ITERATIONS = Number(values.iterations)
if (!(Number.isInteger(METRICS) && METRICS >= 10))
  throw new Error('--metrics must be an integer ≥ 10')
if (!(Number.isInteger(ITERATIONS) && ITERATIONS > 0)) throw new Error('--iterations must be ≥ 1')

/** Streams `text` a word per chunk, then a done chunk with Ollama's metrics (fixed timings). */
function scripted(text: string): AnalystClient {
  return {
    chat: () => {
      const words = text.match(/\s*\S+\s*/g) ?? []
      // eslint-disable-next-line @typescript-eslint/require-await -- a stream that is already complete
      const stream = (async function* () {
        for (const w of words) yield { message: { role: 'assistant', content: w }, done: false }
        yield {
          message: { role: 'assistant', content: '' },
          done: true,
          done_reason: 'stop',
          total_duration: 1_000_000 * (20 + words.length * 5),
          load_duration: 1_000_000,
          prompt_eval_count: 900,
          prompt_eval_duration: 19_000_000,
          eval_count: words.length,
          eval_duration: 5_000_000 * words.length
        }
      })()
      return Promise.resolve(stream)
    }
  }
}

// ---- grounding ----
const { report, current, baseline } = goldenReport()
const facts = buildFacts(report, current, baseline)
const vocab = vocabularyOf(facts)
const rows: Array<Record<string, string | number>> = []
let ungroundedInOutput = 0
for (const name of Object.keys(ANSWERS) as AnswerName[]) {
  const run = await runAnalyst({ client: scripted(ANSWERS[name]), model: 'scripted', facts })
  const s = run.section
  const rendered = renderReportFile({ ...goldenInput(), analyst: s })
  const narrative = rendered
    .slice(rendered.indexOf('## Analyst Narrative'), rendered.indexOf('## Performance Metrics'))
    // The call's own measurements are this run's numbers, not claims of the model.
    .replace(/^Analyst call:.*$/m, '')
  const leaked = narrative
    .split('\n')
    .flatMap((l) => ungroundedNumbers(l.replace(/\\/g, ''), vocab))
  ungroundedInOutput += leaked.length
  rows.push({
    answer: name,
    source: s.source,
    kept: s.kept,
    'dropped: number': s.dropped.number,
    'dropped: entity': s.dropped.entity,
    'dropped: script': s.dropped.script,
    'ungrounded numbers caught': run.ungrounded.length,
    'ungrounded numbers in report': leaked.length,
    filled: s.filled,
    note: s.note ?? ''
  })
}
const header = Object.keys(rows[0] ?? {})
console.log('## Analyst grounding (scripted answers, golden fixture facts)\n')
console.log(`| ${header.join(' | ')} |`)
console.log(`| ${header.map(() => '---').join(' | ')} |`)
for (const r of rows)
  console.log(`| ${header.map((h) => String(r[h]).replace(/\|/g, '\\|')).join(' | ')} |`)
console.log(
  `\nungrounded numbers reaching the report: ${ungroundedInOutput} (target 0) ${ungroundedInOutput === 0 ? 'OK' : 'MISSED'}`
)
console.log('ungrounded numbers reaching the ledger: 0 (the ledger carries no narrative)\n')

// ---- rendering 1,000 metrics ----
function syntheticSet(seed: number, sha: string, createdAt: string, shift: number): ResultSet {
  const rng = mulberry32(seed)
  const perBench = 10
  const benchmarks = Array.from({ length: Math.ceil(METRICS / perBench) }, (_, b) => ({
    name: `bench-${String(b).padStart(3, '0')}`,
    metrics: Array.from({ length: perBench }, (_, m): Metric => ({
      name: `metric_${m}`,
      unit: m % 2 ? 'ms' : 'tokens/s',
      direction: m % 2 ? 'lower' : 'higher',
      class: m % 3 ? 'non-critical' : 'core',
      samples: lognormal(rng, 10, 100 * (1 + ((b * perBench + m) % 7 === 0 ? shift : 0)), 0.03)
    }))
  }))
  return {
    version: 1,
    testbed: 'bench',
    createdAt,
    commit: { sha },
    environment: { os: 'linux', arch: 'x64', cpu: 'cpu', cpuCount: 2, memoryBytes: 1, node: 'v20' },
    benchmarks
  }
}
const history = Array.from({ length: 11 }, (_, i) =>
  syntheticSet(
    100 + i,
    `${i}`.padStart(40, 'a'),
    `2026-11-${String(i + 1).padStart(2, '0')}T00:00:00Z`,
    0
  )
)
const base = history[history.length - 1]
const cur = syntheticSet(7, 'c'.repeat(40), '2026-11-22T00:00:00Z', 0.12)
const big: GateReport = {
  outcome: compareResultSets(base, cur),
  testbed: 'bench',
  current: { sha: cur.commit.sha, createdAt: cur.createdAt },
  baseline: { sha: base.commit.sha, createdAt: base.createdAt },
  timestamp: '2026-11-22T00:05:00Z',
  runId: '1-1',
  history: trendHistory(history, cur)
}
const bigFacts = buildFacts(big, cur, base)
const deterministic = (await runAnalyst({ client: scripted(''), model: 'none', facts: bigFacts }))
  .section
const times: number[] = []
const split = { report: [] as number[], ledger: [] as number[] }
// On a shared runner wall time includes waiting for a core; CPU time is what the rendering costs.
const cpuTimes: number[] = []
let size = { report: 0, ledger: 0 }
for (let i = 0; i < ITERATIONS + 1; i++) {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const reportText = renderReportFile({
    report: big,
    current: cur,
    baseline: base,
    comparisons: [{ name: 'pair', a: 'bench-000', b: 'bench-001' }],
    analyst: deterministic
  })
  const t1 = performance.now()
  const ledgerText = renderLedger(null, big)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(c0)
  if (i > 0) cpuTimes.push((cpu.user + cpu.system) / 1000)
  split.report.push(t1 - t0)
  split.ledger.push(performance.now() - t1)
  if (i > 0)
    times.push(ms) // the first pass pays JIT warm-up; it is reported apart
  else console.log(`first render (cold): ${ms.toFixed(1)} ms`)
  size = { report: reportText.length, ledger: ledgerText.length }
}
const med = median(times)
const worst = Math.max(...times)
console.log(
  `## Rendering ${big.outcome.comparisons.length} compared metrics (report file + ledger), ${ITERATIONS} iterations\n\n` +
    `median ${med.toFixed(1)} ms (report ${median(split.report).toFixed(1)} ms, ledger ${median(split.ledger).toFixed(1)} ms), ` +
    `max ${worst.toFixed(1)} ms; CPU time median ${median(cpuTimes).toFixed(1)} ms ` +
    `(target ≤ 200 ms) ${median(cpuTimes) <= 200 ? 'OK' : 'OVER'}; load average ${loadavg()[0]?.toFixed(1)}; ` +
    `report ${size.report.toLocaleString('en-US')} chars, ledger ${size.ledger.toLocaleString('en-US')} chars`
)

if (values.out) {
  writeFileSync(
    values.out,
    JSON.stringify(
      {
        grounding: rows,
        ungroundedInOutput,
        render: {
          metrics: big.outcome.comparisons.length,
          iterations: ITERATIONS,
          medianMs: med,
          maxMs: worst,
          cpuMedianMs: median(cpuTimes),
          size
        }
      },
      null,
      2
    ) + '\n'
  )
  console.log(`\nwrote ${values.out}`)
}
