import { afterEach, describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/config/load.js'
import type { OllamaBenchmark } from '../../src/config/types.js'
import type { Benchmark, Metric } from '../../src/results/model.js'
import { runBenchmarks } from '../../src/runners/index.js'
import { runOllamaBenchmark, type OllamaRunOptions } from '../../src/runners/ollama.js'
import {
  ollamaSpec,
  promptWords,
  standinModel,
  standinTruth,
  startOllamaStandin,
  type OllamaStandin,
  type StandinServerOptions,
  type Timing
} from '../helpers/ollama-standin.js'
import { recorder } from '../helpers/capture.js'

/*
 * The runner under load, against a stand-in whose slots, queue, GPU sharing and depth penalty are
 * configured: every figure is checked against what the stand-in was told to do. Server-reported
 * figures (decode_tps, prompt_tps) follow the script closely; client-side ones (aggregate_tps,
 * TTFT) carry the event loop's delays, so they are checked with room, and by their order.
 */

const servers: OllamaStandin[] = []
afterEach(async () => {
  while (servers.length) await servers.pop()?.close()
})

async function serve(timing: Partial<Timing>, opts: StandinServerOptions = {}, extra = {}) {
  const s = await startOllamaStandin([standinModel({ timing, ...extra })], opts)
  servers.push(s)
  return s
}

const NO_GPU: OllamaRunOptions = { nvidiaSmi: null, env: {} }
const PROMPT = 'Why is the sky blue?'
// "[k] Why is the sky blue?" is 6 words, and /api/generate adds one token.
const PROMPT_TOKENS = promptWords(`[1] ${PROMPT}`) + 1

function spec(host: string, over: Partial<OllamaBenchmark> = {}): OllamaBenchmark {
  return ollamaSpec(host, {
    repetitions: 4,
    warmup: 1,
    prompts: [PROMPT],
    options: { num_ctx: 2048, num_predict: 16 },
    ...over
  })
}

async function run(s: OllamaBenchmark): Promise<Benchmark> {
  const [b] = await runOllamaBenchmark(s, recorder(), NO_GPU)
  return b
}

function metric(b: Benchmark, name: string): Metric {
  const m = b.metrics.find((x) => x.name === name)
  if (!m) throw new Error(`no ${name} in ${b.metrics.map((x) => x.name).join(', ')}`)
  return m
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const within = (value: number, truth: number, tolerance: number): void => {
  expect(Math.abs(value / truth - 1)).toBeLessThanOrEqual(tolerance)
}

const SHARED: Partial<Timing> = {
  loadMs: 10,
  warmLoadMs: 0,
  promptEvalMs: 0,
  prefillTokenMs: 2,
  tokenMs: 4,
  shareSlowdown: 0.25,
  outputTokens: 64
}

describe('rounds of concurrent requests', () => {
  it('records one sample per round of every load metric, next to the per-request ones', async () => {
    const s = await serve(SHARED, { parallel: 4 })
    const b = await run(spec(s.host, { concurrency: 4 }))
    for (const name of [
      'decode_tps',
      'ttft_ms',
      'aggregate_tps',
      'per_user_tps',
      'ttft_p50_ms',
      'ttft_p95_ms',
      'tpot_ms',
      'e2e_p95_ms',
      'achieved_concurrency',
      'error_rate'
    ]) {
      expect(metric(b, name).samples).toHaveLength(4)
      expect(metric(b, name).warmup).toHaveLength(
        name === 'decode_tps' || name === 'ttft_ms' ? 2 : 1
      )
    }
    expect(metric(b, 'error_rate').samples).toEqual([0, 0, 0, 0])
    expect(metric(b, 'aggregate_tps')).toMatchObject({ unit: 'tokens/s', direction: 'higher' })
    expect(metric(b, 'error_rate')).toMatchObject({ unit: 'fraction', gate: false })
    // The cold request, one warm-up round of 4 and 4 measured rounds of 4.
    expect(s.requests.filter((r) => r.path === '/api/generate' && r.body?.prompt).length).toBe(21)
    expect(s.peakActive()).toBe(4)
  })

  it('measures what the stand-in was configured to do, at one request and at four', async () => {
    const s = await serve(SHARED, { parallel: 4 })
    const one = await run(spec(s.host, { concurrency: 1 }))
    const four = await run(spec(s.host, { concurrency: 4 }))
    const t1 = standinTruth(s.models.get('llama3.2:latest')!.timing, {
      c: 1,
      parallel: 4,
      promptTokens: PROMPT_TOKENS,
      outputTokens: 16
    })
    const t4 = standinTruth(s.models.get('llama3.2:latest')!.timing, {
      c: 4,
      parallel: 4,
      promptTokens: PROMPT_TOKENS,
      outputTokens: 16
    })
    // Sharing the GPU with 3 others makes each token 1.75× as slow: 250 → 143 tokens/s.
    expect(t1.decodeTps).toBeCloseTo(250, 6)
    expect(t4.decodeTps).toBeCloseTo(1000 / 7, 6)
    within(median(metric(one, 'decode_tps').samples), t1.decodeTps, 0.02)
    within(median(metric(four, 'decode_tps').samples), t4.decodeTps, 0.1)
    expect(metric(one, 'achieved_concurrency').samples).toEqual([1, 1, 1, 1])
    expect(metric(four, 'achieved_concurrency').samples).toEqual([4, 4, 4, 4])
    // Client-side: each user is slower, all together faster.
    within(median(metric(one, 'aggregate_tps').samples), t1.aggregateTps, 0.3)
    within(median(metric(four, 'aggregate_tps').samples), t4.aggregateTps, 0.3)
    within(median(metric(four, 'tpot_ms').samples), t4.tpotMs, 0.3)
    expect(median(metric(four, 'aggregate_tps').samples)).toBeGreaterThan(
      1.5 * median(metric(one, 'aggregate_tps').samples)
    )
    expect(median(metric(four, 'per_user_tps').samples)).toBeLessThan(
      median(metric(one, 'per_user_tps').samples)
    )
  })

  it('catches a server that serves one request at a time, and the wait in TTFT', async () => {
    const s = await serve({ ...SHARED, prefillTokenMs: 5 }, { parallel: 1 })
    const b = await run(spec(s.host, { concurrency: 3 }))
    expect(metric(b, 'achieved_concurrency').samples).toEqual([1, 1, 1, 1])
    expect(metric(b, 'error_rate').samples).toEqual([0, 0, 0, 0])
    // The third request waits for two whole answers before its prompt is evaluated.
    const truth = standinTruth(s.models.get('llama3.2:latest')!.timing, {
      c: 3,
      parallel: 1,
      promptTokens: PROMPT_TOKENS,
      outputTokens: 16
    })
    expect(truth.ttftMs[2]).toBeGreaterThan(2 * truth.ttftMs[0])
    for (const v of metric(b, 'ttft_p95_ms').samples) {
      expect(v).toBeGreaterThan(0.7 * truth.ttftP95Ms)
    }
  })

  it('counts a full queue as an error rate, not a crash', async () => {
    // One slot and one place in the queue: of 4 requests at once, 2 are refused with a 503.
    const s = await serve({ ...SHARED, tokenMs: 10 }, { parallel: 1, maxQueue: 1 })
    const reporter = recorder()
    const [b] = await runOllamaBenchmark(spec(s.host, { concurrency: 4 }), reporter, NO_GPU)
    expect(metric(b, 'error_rate').samples).toEqual([0.5, 0.5, 0.5, 0.5])
    expect(metric(b, 'aggregate_tps').samples).toHaveLength(4)
    expect(b.notes).toContainEqual(
      expect.stringMatching(
        /^refused: 8 of 16 measured requests were refused \(HTTP 503; .*\), counted in error_rate: .*server busy/
      )
    )
    expect(reporter.lines.some((l) => /^ {2}llm: run 1\/4 · .* · 2 of 4 refused$/.test(l))).toBe(
      true
    )
  })

  it('still fails the benchmark on a failure that is not a refusal', async () => {
    const s = await serve(SHARED, { parallel: 4 })
    s.inject('generate', { kind: 'http-error', status: 500, error: 'boom' }, 4)
    await expect(run(spec(s.host, { concurrency: 2 }))).rejects.toThrow(
      /^benchmark 'llm': run 1\/4, request 1\/2: the Ollama server at .* answered HTTP 500: boom$/
    )
    expect(s.openStreams()).toBe(0)
  })
})

describe('context depth', () => {
  it('puts that many words of filler before the prompt, and both rates fall with it', async () => {
    const s = await serve({
      ...SHARED,
      shareSlowdown: 0,
      prefillTokenMs: 0.05,
      prefillDepthSlowdown: 0.5,
      decodeDepthSlowdown: 0.25
    })
    const shallow = await run(spec(s.host, { depth: 0, repetitions: 3 }))
    const deep = await run(spec(s.host, { depth: 2000, repetitions: 3 }))
    const timing = s.models.get('llama3.2:latest')!.timing
    const prompts = s.requests.filter((r) => r.path === '/api/generate' && r.body?.prompt)
    const last = String(prompts[prompts.length - 1]?.body?.prompt)
    expect(promptWords(last)).toBe(2000 + PROMPT_TOKENS - 1)
    expect(last.endsWith(`\n\n${PROMPT}`)).toBe(true)
    const deepTokens = 2000 + PROMPT_TOKENS
    const t0 = standinTruth(timing, { c: 1, promptTokens: PROMPT_TOKENS, outputTokens: 16 })
    const tDeep = standinTruth(timing, { c: 1, promptTokens: deepTokens, outputTokens: 16 })
    within(median(metric(shallow, 'decode_tps').samples), t0.decodeTps, 0.02)
    within(median(metric(deep, 'decode_tps').samples), tDeep.decodeTps, 0.02)
    within(median(metric(deep, 'prompt_tps').samples), tDeep.prefillTps, 0.02)
    // decode: 1 / (1 + 0.25 × 2.007) ≈ 0.67 of the shallow rate; prefill: 1 / (1 + 0.5 × 2.007).
    expect(tDeep.decodeTps / t0.decodeTps).toBeCloseTo(1 / (1 + 0.25 * (deepTokens / 1000)), 2)
  })
})

describe('answer quality', () => {
  it('scores every measured answer against its expect into accuracy', async () => {
    const s = await serve(
      { ...SHARED, outputTokens: 8 },
      {},
      { answer: (p: string) => (p.includes('6*7') ? 'It is 42.' : 'Rayleigh scattering, mostly.') }
    )
    const reporter = recorder()
    const [b] = await runOllamaBenchmark(
      spec(s.host, {
        repetitions: 6,
        prompts: ['What is 6*7?', 'Why is the sky blue?', 'Answer in JSON.'],
        promptExpects: [
          { contains: '42' },
          { regex: '^Rayleigh' },
          { 'json-schema': { type: 'object' } }
        ]
      }),
      reporter,
      NO_GPU
    )
    const acc = metric(b, 'accuracy')
    expect(acc).toMatchObject({ unit: 'fraction', direction: 'higher' })
    // Runs 1–6 take prompts 3, 1, 2, 3, 1, 2 (the cold run and the warm-up took 1 and 2).
    expect(acc.samples).toEqual([0, 1, 1, 0, 1, 1])
    expect(b.notes).toContainEqual(
      "accuracy: 2 of 6 measured answers missed their expect: prompt 3 'Answer in JSON.' 2× (not JSON (Unexpected token 'R', \"Rayleigh s\"... is not valid JSON))"
    )
  })

  it('leaves accuracy out when nothing is expected', async () => {
    const s = await serve(SHARED)
    const b = await run(spec(s.host, { repetitions: 2 }))
    expect(b.metrics.some((m) => m.name === 'accuracy')).toBe(false)
  })
})

describe('placement', () => {
  const big = { size: 8e9, kvBytesPerToken: 1e5 }

  it('marks a run with part of the model on the CPU invalid, with the reason', async () => {
    // 8 GB of weights and 1e5 × 16384 = 1.6 GB of KV cache against 9 GB of VRAM.
    const s = await serve(SHARED, { vramBytes: 9e9 }, big)
    const fits = await run(spec(s.host, { options: { num_ctx: 4096, num_predict: 8 } }))
    expect(fits.invalid).toBeUndefined()
    expect(metric(fits, 'vram_ratio').samples).toEqual([1])
    const spills = await run(spec(s.host, { options: { num_ctx: 16384, num_predict: 8 } }))
    expect(metric(spills, 'vram_ratio').samples[0]).toBeCloseTo(9e9 / (8e9 + 1e5 * 16384), 3)
    expect(spills.invalid).toMatch(/^partial-offload: only 93\.\d % of llama3.2 is in VRAM/)
    // Asked for: num_gpu pins the layers, so a CPU share is what was meant.
    const pinned = await run(
      spec(s.host, { options: { num_ctx: 16384, num_predict: 8, num_gpu: 20 } })
    )
    expect(pinned.invalid).toBeUndefined()
  })

  it('unloads the models of the other servers of a host axis before the cold run', async () => {
    const a = await serve(SHARED)
    const b = await serve(SHARED)
    b.preload('llama3.2')
    const reporter = recorder()
    await runOllamaBenchmark(
      spec(a.host, {
        repetitions: 1,
        matrix: { entry: 'llm', axes: { host: 'a' }, hosts: [a.host, b.host] }
      }),
      reporter,
      NO_GPU
    )
    expect(b.loaded()).toEqual([])
    expect(reporter.lines).toContain(`  llm: unloaded llama3.2:latest from ${b.host}`)
  })
})

describe('a matrix in one run', () => {
  it('runs the cells in a shuffled order from a recorded seed, and reports them in config order', async () => {
    const s = await serve({ ...SHARED, outputTokens: 4 }, { parallel: 2 })
    const yaml = `matrix-seed: 7
repetitions: 1
warmup: 0
benchmarks:
  - name: chat
    kind: ollama
    host: ${s.host}
    model: llama3.2
    prompt: hi
    options: { num_predict: 4 }
    matrix:
      concurrency: [1, 2]
      depth: [0, 10]
`
    const config = parseConfig(yaml, 'perf-gate.yml')
    const reporter = recorder()
    const results = await runBenchmarks(config, { commit: { sha: null }, reporter })
    expect(results.benchmarks.map((b) => b.name)).toEqual(config.benchmarks.map((b) => b.name))
    const order = results.benchmarks.map((b) => b.matrix?.order)
    expect([...order].sort()).toEqual([1, 2, 3, 4])
    expect(results.benchmarks.every((b) => b.matrix?.seed === 7)).toBe(true)
    expect(reporter.lines).toContain(
      'perf-gate: 4 matrix cells run in a shuffled order, seed 7 (matrix-seed: 7 repeats it)'
    )
    const again = await runBenchmarks(config, { commit: { sha: null }, reporter: recorder() })
    expect(again.benchmarks.map((b) => b.matrix?.order)).toEqual(order)
    expect(results.benchmarks[3]?.matrix?.axes).toEqual({ concurrency: 2, depth: 10 })
  })
})
