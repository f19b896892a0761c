// bench:ollama (second part) — sweeps against the Ollama stand-in.
//  1. A 16-cell matrix (2 models × concurrency 1, 2, 4, 8 × depth 0, 1024): per cell the measured
//     aggregate tok/s, batch efficiency and TTFT p95 beside what the stand-in was configured to do
//     (standinTruth), each to be within 5 %.
//  2. The harness overhead per request at concurrency 8: rounds of 8 concurrent streams through
//     the runner against rounds of 8 bare node:http requests, zero server work (target < 1 ms).
//  3. A 64-cell matrix at 10 repetitions planned, run (twice: a baseline, then a gated run) and
//     reported: the ledger must stay under 65,536 characters and the job summary under 1 MiB.
//
// Usage: npm run bench:ollama   (or: node --import ./bench/ts-register.mjs bench/ollama-sweep.ts)
import { spawn } from 'node:child_process'
import http from 'node:http'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  promptWords,
  standinModel,
  standinTruth,
  startOllamaStandin,
  type Timing
} from '../__tests__/helpers/ollama-standin.js'
import { openStore } from '../src/baseline/index.js'
import { parseConfig } from '../src/config/load.js'
import type { OllamaBenchmark } from '../src/config/types.js'
import type { DecidedJob } from '../src/engine/job.js'
import { actionOutput } from '../src/outputs/action.js'
import { filesOutput } from '../src/outputs/files.js'
import { runWithOutputs } from '../src/outputs/index.js'
import { MAX_COMMENT_LENGTH } from '../src/report/ledger.js'
import type { Metric, ResultSet } from '../src/results/model.js'
import { runBenchmarks } from '../src/runners/index.js'
import { silentReporter } from '../src/runners/progress.js'
import { streamOnce } from '../src/runners/ollama-stream.js'
import { withSweepFigures } from '../src/stats/sweep.js'

const { values } = parseArgs({
  options: {
    repetitions: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '100' },
    'skip-64': { type: 'boolean', default: false }
  }
})
const REPETITIONS = Number(values.repetitions)
const ROUNDS = Number(values.rounds)
const TOLERANCE = 0.05

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2
}
const pct = (v: number, want: number): string => `${(((v - want) / want) * 100).toFixed(1)} %`
const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toPrecision(3))

// ---------------------------------------------------------------------------------------------
// 1. The 16-cell matrix against the configured truth.

const TIMING: Partial<Timing> = {
  loadMs: 20,
  // Scheduler time of a warm request: a floor under TTFT that the client's own work per request
  // (about a millisecond each, a few for the last of 8 at once on a busy machine) cannot dent.
  warmLoadMs: 200,
  promptEvalMs: 0,
  prefillTokenMs: 0.05,
  prefillDepthSlowdown: 0.5,
  decodeDepthSlowdown: 0.2,
  tokenMs: 4,
  shareSlowdown: 0.12,
  outputTokens: 64
}
const OUTPUT_TOKENS = 32
const PROMPT = 'Why is the sky blue?'

/** The stand-in in a process of its own (bench/standin-server.ts); resolves with its URL. */
async function standinProcess(spec: {
  models: Array<{ name: string; digest?: string; timing: Partial<Timing> }>
  server: { parallel?: number }
}): Promise<{ host: string; close(): void }> {
  const child = spawn(
    process.execPath,
    ['--import', './bench/ts-register.mjs', 'bench/standin-server.ts', JSON.stringify(spec)],
    { stdio: ['pipe', 'pipe', 'inherit'] }
  )
  const host = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) resolve(out.trim())
    })
    child.on('exit', (code) => reject(new Error(`stand-in exited with ${code}`)))
  })
  return { host, close: () => child.stdin.end() }
}

async function accuracy(): Promise<void> {
  const models = [
    { name: 'fast:latest', timing: TIMING },
    { name: 'slow:latest', digest: 'b'.repeat(64), timing: { ...TIMING, tokenMs: 6 } }
  ]
  const timings = new Map(models.map((m) => [m.name, standinModel(m).timing]))
  const standin = await standinProcess({ models, server: { parallel: 8 } })
  try {
    const config = parseConfig(
      `repetitions: ${REPETITIONS}
warmup: 1
matrix-seed: 42
benchmarks:
  - name: chat
    kind: ollama
    host: ${standin.host}
    prompt: ${PROMPT}
    options: { num_ctx: 4096, num_predict: ${OUTPUT_TOKENS} }
    matrix:
      model: [fast, slow]
      concurrency: [1, 2, 4, 8]
      depth: [0, 1024]
`,
      'perf-gate.yml'
    )
    const started = performance.now()
    const results = withSweepFigures(
      await runBenchmarks(config, { commit: { sha: null }, reporter: silentReporter })
    )
    const seconds = (performance.now() - started) / 1000
    console.log(
      `16-cell matrix against the stand-in (${REPETITIONS} rounds per cell, ${seconds.toFixed(0)} s; medians; truth from standinTruth)\n`
    )
    console.log(
      '| cell | aggregate tok/s | truth | error | batch eff. | truth | error | TTFT p95 ms | truth | error | within 5 % |'
    )
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    let all = true
    for (const bench of results.benchmarks) {
      const spec = config.benchmarks.find((b) => b.name === bench.name) as OllamaBenchmark
      const timing = timings.get(`${spec.model}:latest`)
      if (!timing) continue
      const depth = spec.depth ?? 0
      // "[k] " + filler + the prompt, and the one token /api/generate adds.
      const promptTokens = promptWords(`[1] ${PROMPT}`) + depth + 1
      const c = spec.concurrency ?? 1
      const truth = standinTruth(timing, {
        c,
        parallel: 8,
        promptTokens,
        outputTokens: OUTPUT_TOKENS
      })
      const single = standinTruth(timing, {
        c: 1,
        promptTokens,
        outputTokens: OUTPUT_TOKENS
      })
      const m = (name: string): Metric | undefined => bench.metrics.find((x) => x.name === name)
      const agg = median(m('aggregate_tps')?.samples ?? [])
      const ttft = median(m('ttft_p95_ms')?.samples ?? [])
      const eff = m('batch_efficiency')
      const effTruth = truth.aggregateTps / (c * single.aggregateTps)
      const effValue = eff ? median(eff.samples) : 1
      const within =
        Math.abs(agg / truth.aggregateTps - 1) <= TOLERANCE &&
        Math.abs(ttft / truth.ttftP95Ms - 1) <= TOLERANCE &&
        Math.abs(effValue / effTruth - 1) <= TOLERANCE
      all &&= within
      console.log(
        `| ${spec.model} c=${c} depth=${depth} | ${fmt(agg)} | ${fmt(truth.aggregateTps)} | ${pct(agg, truth.aggregateTps)} | ${eff ? fmt(effValue) : '1 (ref.)'} | ${fmt(effTruth)} | ${eff ? pct(effValue, effTruth) : '–'} | ${fmt(ttft)} | ${fmt(truth.ttftP95Ms)} | ${pct(ttft, truth.ttftP95Ms)} | ${within ? 'yes' : 'NO'} |`
      )
    }
    console.log(`\nevery cell within 5 % of the truth: ${all ? 'yes' : 'NO'}`)
  } finally {
    standin.close()
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Harness overhead per request at concurrency 8.

async function overhead(): Promise<void> {
  const tokens = 32
  const zero: Partial<Timing> = {
    loadMs: 0,
    warmLoadMs: 0,
    promptEvalMs: 0,
    tokenMs: 0,
    outputTokens: tokens
  }
  const standin = await startOllamaStandin([standinModel({ timing: zero })])
  const agent = new http.Agent({ keepAlive: true })
  const body = JSON.stringify({
    model: 'llama3.2',
    prompt: 'x',
    stream: true,
    options: { num_ctx: 2048, num_predict: tokens }
  })
  const raw = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        `${standin.host}/api/generate`,
        { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } },
        (res) => {
          let buf = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            buf += chunk
            const lines = buf.split('\n')
            buf = lines.pop() ?? ''
            for (const l of lines) if (l) JSON.parse(l)
          })
          res.on('end', resolve)
          res.on('error', reject)
        }
      )
      req.on('error', reject)
      req.end(body)
    })
  const request = {
    api: 'generate' as const,
    model: 'llama3.2',
    prompt: 'x',
    options: { num_ctx: 2048, num_predict: tokens },
    keepAlive: '10m'
  }
  const limits = { timeoutMs: 30_000, stallMs: 30_000 }
  const round = async (one: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now()
    await Promise.all(Array.from({ length: 8 }, () => one()))
    return performance.now() - t0
  }
  const runner = (): Promise<unknown> => streamOnce(standin.host, request, limits, 'bench')
  try {
    for (let i = 0; i < 10; i++) {
      await round(raw)
      await round(runner)
    }
    const bare: number[] = []
    const harness: number[] = []
    // Interleaved and paired, so drift in the machine's load hits both alike and cancels out.
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(await round(raw))
      harness.push(await round(runner))
    }
    const perRequest = median(harness.map((h, i) => h - (bare[i] ?? 0))) / 8
    console.log(
      `\nHarness overhead at concurrency 8 (${ROUNDS} rounds of 8 streams of ${tokens} chunks, loopback, zero server work)\n`
    )
    console.log('| client | median round | per request |')
    console.log('| --- | --- | --- |')
    console.log(
      `| bare node:http + line parse | ${median(bare).toFixed(2)} ms | ${(median(bare) / 8).toFixed(3)} ms |`
    )
    console.log(
      `| runner (fetch + ollama-js + timing) | ${median(harness).toFixed(2)} ms | ${(median(harness) / 8).toFixed(3)} ms |`
    )
    console.log(
      `\nharness overhead at concurrency 8: ${perRequest.toFixed(3)} ms per request (target < 1 ms): ${perRequest < 1 ? 'yes' : 'NO'}`
    )
  } finally {
    agent.destroy()
    await standin.close()
  }
}

// ---------------------------------------------------------------------------------------------
// 3. A 64-cell matrix at 10 repetitions: planned, run and reported within GitHub's limits.

async function sixtyFour(): Promise<void> {
  const timing: Partial<Timing> = {
    loadMs: 1,
    warmLoadMs: 0.1,
    promptEvalMs: 0,
    prefillTokenMs: 0.002,
    prefillDepthSlowdown: 0.5,
    decodeDepthSlowdown: 0.2,
    tokenMs: 0.3,
    shareSlowdown: 0.15,
    outputTokens: 8
  }
  const models = ['q4_K_M', 'q5_K_M', 'q6_K', 'q8_0']
  const standin = await startOllamaStandin(
    models.map((q, i) =>
      standinModel({
        name: `llama3.1:8b-instruct-${q}`,
        digest: String(i).repeat(64),
        timing: { ...timing, tokenMs: 0.3 + i * 0.05 },
        answer: (p) => (p.includes('17') ? (i === 0 ? '390' : '391') : undefined)
      })
    ),
    { parallel: 8 }
  )
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-sweep-64-'))
  const configPath = path.join(dir, 'perf-gate.yml')
  writeFileSync(
    configPath,
    `testbed: bench
repetitions: 10
warmup: 1
benchmarks:
  - name: chat
    kind: ollama
    host: ${standin.host}
    class: core
    prompts:
      - text: What is 17 × 23? Answer with the number only.
        expect: { contains: "391" }
      - Why is the sky blue?
    options: { num_ctx: 16384, num_predict: 8 }
    slo: { ttft_ms: 50, tpot_ms: 5 }
    matrix:
      model: [${models.map((q) => `llama3.1:8b-instruct-${q}`).join(', ')}]
      concurrency: [1, 2, 4, 8]
      depth: [0, 1024, 2048, 4096]
    targets:
      decode_tps[concurrency=1]: ">= 2500"
      ttft_p95_ms: "<= 40"
      batch_efficiency: ">= 0.6"
      accuracy: ">= 0.9"
`
  )
  try {
    const t0 = performance.now()
    const config = parseConfig(readFileSync(configPath, 'utf8'), configPath)
    const planMs = performance.now() - t0
    let summary = ''
    const job = async (mode: 'run' | 'gate'): Promise<{ job: DecidedJob; seconds: number }> => {
      summary = ''
      let decided: DecidedJob | undefined
      const started = performance.now()
      await runWithOutputs(
        {
          mode,
          configPath,
          store: openStore(`local:${path.join(dir, 'store')}`, { cwd: dir }),
          failOn: 'never',
          commit: { sha: mode === 'run' ? 'a'.repeat(40) : 'b'.repeat(40) },
          context: { onGitHub: false },
          reporter: silentReporter
        },
        [
          filesOutput({
            outDir: path.join(dir, 'out'),
            rawDir: 'raw',
            reporter: silentReporter
          }),
          actionOutput({
            setOutput: () => undefined,
            summary: (markdown) => {
              summary += markdown
              return Promise.resolve()
            }
          }),
          {
            deliver: (j, before) => {
              decided = j
              return Promise.resolve(before)
            }
          }
        ]
      )
      if (!decided) throw new Error('no job')
      return { job: decided, seconds: (performance.now() - started) / 1000 }
    }
    const first = await job('run')
    const firstSummary = summary
    const second = await job('gate')
    const ledger = readFileSync(path.join(dir, 'out', 'ledger.md'), 'utf8')
    const set: ResultSet = second.job.current
    const metrics = set.benchmarks.reduce((n, b) => n + b.metrics.length, 0)
    const out = second.job.outcome
    console.log(
      `\n64-cell matrix at 10 repetitions (4 models × concurrency 1, 2, 4, 8 × depth 0, 1024, 2048, 4096)\n`
    )
    console.log('| step | figure | limit | within |')
    console.log('| --- | --- | --- | --- |')
    console.log(
      `| plan (parse + expand) | ${config.benchmarks.length} cells in ${planMs.toFixed(1)} ms | | |`
    )
    console.log(`| first run (baseline) | ${first.seconds.toFixed(0)} s | | |`)
    console.log(
      `| gated run | ${second.seconds.toFixed(0)} s, ${metrics} metrics, ${out.comparisons.length} comparisons, targets ${out.targets?.missed ?? 0} missed / ${out.targets?.undecided ?? 0} undecided / ${out.targets?.met ?? 0} met, verdict ${out.verdict} | | |`
    )
    console.log(
      `| ledger (after 2 runs) | ${ledger.length.toLocaleString('en-US')} characters | ${MAX_COMMENT_LENGTH.toLocaleString('en-US')} | ${ledger.length < MAX_COMMENT_LENGTH ? 'yes' : 'NO'} |`
    )
    for (const [label, text] of [
      ['job summary, first run', firstSummary],
      ['job summary, gated run', summary]
    ] as const) {
      const bytes = Buffer.byteLength(text)
      console.log(
        `| ${label} | ${bytes.toLocaleString('en-US')} bytes | 1,048,576 | ${bytes < 1 << 20 ? 'yes' : 'NO'} |`
      )
    }
  } finally {
    await standin.close()
  }
}

await accuracy()
await overhead()
if (!values['skip-64']) await sixtyFour()
