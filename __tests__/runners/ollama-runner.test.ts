import { afterEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { OllamaBenchmark } from '../../src/config/types.js'
import { runOllamaBenchmark, type OllamaRunOptions } from '../../src/runners/ollama.js'
import type { Benchmark, Metric } from '../../src/results/model.js'
import {
  ollamaSpec,
  standinModel,
  startOllamaStandin,
  type OllamaStandin,
  type StandinModel
} from '../helpers/ollama-standin.js'
import { recorder } from '../helpers/capture.js'

let standin: OllamaStandin | undefined
afterEach(async () => {
  await standin?.close()
  standin = undefined
})

async function serve(...models: StandinModel[]): Promise<OllamaStandin> {
  standin = await startOllamaStandin(models.length ? models : [standinModel()])
  return standin
}

function spec(host: string, over: Partial<OllamaBenchmark> = {}): OllamaBenchmark {
  return ollamaSpec(host, {
    repetitions: 3,
    options: { num_ctx: 2048, num_predict: 16, temperature: 0, seed: 42 },
    ...over
  })
}

const NO_GPU: OllamaRunOptions = { nvidiaSmi: null, env: {} }
const FAKE_SMI = path.resolve('fixtures/nvidia-smi/fake-nvidia-smi.mjs')

async function runOne(
  s: OllamaBenchmark,
  opts: OllamaRunOptions = NO_GPU,
  reporter = recorder()
): Promise<Benchmark> {
  const [bench] = await runOllamaBenchmark(s, reporter, opts)
  return bench
}

function metric(b: Benchmark, name: string): Metric {
  const m = b.metrics.find((x) => x.name === name)
  if (!m) throw new Error(`no metric ${name} in ${b.metrics.map((x) => x.name).join(', ')}`)
  return m
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const completions = (s: OllamaStandin) =>
  s.requests
    .filter((r) => r.path === '/api/generate' || r.path === '/api/chat')
    .filter((r) => {
      const b = r.body ?? {}
      return b.prompt !== '' && !(Array.isArray(b.messages) && b.messages.length === 0)
    })

describe('ollama runner against the stand-in', () => {
  it('reports every metric from the server numbers, with the units converted once', async () => {
    const s = await serve(
      standinModel({
        timing: { loadMs: 40, warmLoadMs: 2, promptEvalMs: 10, tokenMs: 1, outputTokens: 64 }
      })
    )
    const b = await runOne(spec(s.host))
    expect(b.name).toBe('llm')
    expect(b.source).toEqual({ kind: 'ollama', format: 'generate' })
    expect(b.metrics.map((m) => m.name)).toEqual([
      'decode_tps',
      'ttft_ms',
      'server_ttft_ms',
      'prompt_tps',
      'e2e_ms',
      'output_tokens',
      'load_ms',
      'vram_ratio'
    ])
    // Scripted: 16 tokens (num_predict) at 1 ms each, so 1000 tokens/s; prompt "[k] Why is the
    // sky blue?" is 6 words + 1 template token evaluated in 10 ms.
    expect(metric(b, 'decode_tps')).toMatchObject({
      unit: 'tokens/s',
      direction: 'higher',
      class: 'core',
      samples: [1000, 1000, 1000],
      warmup: [1000, 1000]
    })
    expect(metric(b, 'prompt_tps').samples).toEqual([700, 700, 700])
    // server TTFT = load + prompt eval: 2 + 10 warm, 40 + 10 on the cold run
    expect(metric(b, 'server_ttft_ms')).toMatchObject({
      unit: 'ms',
      direction: 'lower',
      samples: [12, 12, 12],
      warmup: [50, 12]
    })
    expect(metric(b, 'output_tokens')).toMatchObject({ samples: [16, 16, 16], gate: false })
    expect(metric(b, 'load_ms')).toEqual({
      name: 'load_ms',
      unit: 'ms',
      direction: 'lower',
      class: 'core',
      samples: [40],
      gate: false
    })
    // Client-side times cannot beat the server's scripted waits.
    for (const t of metric(b, 'ttft_ms').samples) expect(t).toBeGreaterThanOrEqual(11)
    for (const t of metric(b, 'e2e_ms').samples) expect(t).toBeGreaterThanOrEqual(11 + 15)
    expect(metric(b, 'ttft_ms').warmup?.[0]).toBeGreaterThanOrEqual(49)
    expect(metric(b, 'e2e_ms').direction).toBe('lower')
  })

  it('matches the scripted TTFT and decode rate within 5 % on the client side', async () => {
    // Scripted: first token 200 ms after the request, then one token every 8 ms.
    const s = await serve(
      standinModel({ timing: { promptEvalMs: 200, tokenMs: 8, outputTokens: 41 } })
    )
    const b = await runOne(
      spec(s.host, { repetitions: 5, warmup: 0, options: { num_ctx: 2048, num_predict: 41 } })
    )
    const ttft = median(metric(b, 'ttft_ms').samples)
    expect(ttft).toBeGreaterThanOrEqual(199)
    expect(ttft).toBeLessThanOrEqual(210)
    // The client sees 40 gaps of 8 ms between the first and the last token.
    const e2e = metric(b, 'e2e_ms').samples
    const ttfts = metric(b, 'ttft_ms').samples
    const clientRate = median(e2e.map((e, i) => (40 / (e - ttfts[i])) * 1000))
    expect(clientRate).toBeGreaterThanOrEqual(125 * 0.95)
    expect(clientRate).toBeLessThanOrEqual(125 * 1.05)
    expect(metric(b, 'decode_tps').samples).toEqual([125, 125, 125, 125, 125])
  })

  it('measures TTFT at the first chunk that carries text, not at the headers', async () => {
    const s = await serve(
      standinModel({ timing: { promptEvalMs: 120, leadingEmptyChunk: true, outputTokens: 20 } })
    )
    const b = await runOne(spec(s.host, { repetitions: 2, warmup: 0 }))
    for (const t of metric(b, 'ttft_ms').samples) expect(t).toBeGreaterThanOrEqual(119)
  })

  it('runs one cold request, then warm-ups and measured runs, each with its own prompt start', async () => {
    const s = await serve()
    const reporter = recorder()
    await runOne(
      spec(s.host, { repetitions: 3, warmup: 2, prompts: ['a b', 'c d'] }),
      NO_GPU,
      reporter
    )
    const bodies = completions(s).map((r) => r.body!)
    expect(bodies).toHaveLength(1 + 2 + 3)
    const prompts = bodies.map((b) => b.prompt)
    expect(new Set(prompts).size).toBe(6)
    expect(prompts).toEqual(['[1] a b', '[2] c d', '[3] a b', '[4] c d', '[5] a b', '[6] c d'])
    for (const body of bodies) {
      expect(body).toMatchObject({
        model: 'llama3.2',
        stream: true,
        keep_alive: '10m',
        options: { num_ctx: 2048, num_predict: 16, temperature: 0, seed: 42 }
      })
      expect(body).not.toHaveProperty('think')
    }
    // Each phase counted on its own: cold 1/1, warm-up 1/2 and 2/2, run 1/3 … 3/3.
    const counts = reporter.lines
      .map((l) => /llm: (cold|warm-up|run) (\d\/\d) · /.exec(l)?.slice(1, 3).join(' '))
      .filter(Boolean)
    expect(counts).toEqual([
      'cold 1/1',
      'warm-up 1/2',
      'warm-up 2/2',
      'run 1/3',
      'run 2/3',
      'run 3/3'
    ])
    expect(reporter.lines).toContainEqual(
      expect.stringMatching(/llm: cold 1\/1 · .* elapsed · ETA /)
    )
    expect(reporter.lines).toContainEqual(expect.stringMatching(/llm: run 3\/3 · .* · ETA 0\.0 s/))
  })

  it('unloads every resident model before the cold run, so the load is measured cold', async () => {
    const other = standinModel({ name: 'mistral:latest', digest: 'b'.repeat(64) })
    const s = await serve(standinModel({ timing: { loadMs: 30 } }), other)
    s.preload('mistral:latest')
    s.preload('llama3.2:latest', 2048)
    const reporter = recorder()
    const b = await runOne(spec(s.host), NO_GPU, reporter)
    const unloads = s.requests.filter((r) => r.body?.keep_alive === 0).map((r) => r.body?.model)
    expect(unloads.sort()).toEqual(['llama3.2:latest', 'mistral:latest'])
    expect(metric(b, 'load_ms').samples).toEqual([30])
    expect(reporter.lines).toContain('  llm: unloaded mistral:latest first')
    expect(b.notes ?? []).not.toContainEqual(expect.stringMatching(/^load-time:/))
  })

  it('always sends num_ctx: the Modelfile value, else 4096, and says so', async () => {
    const s = await serve(standinModel({ parameters: 'num_ctx 8192\ntemperature 0.7' }))
    const b = await runOne(spec(s.host, { options: { num_predict: 16 } }))
    expect(completions(s).every((r) => (r.body?.options as any).num_ctx === 8192)).toBe(true)
    expect(b.notes).toContainEqual(
      expect.stringMatching(
        /^num-ctx: options.num_ctx is not set; sent 8192 \(the model's Modelfile value\)/
      )
    )
    await standin?.close()
    const plain = await serve()
    const b2 = await runOne(spec(plain.host, { options: {} }))
    expect(completions(plain).every((r) => (r.body?.options as any).num_ctx === 4096)).toBe(true)
    expect(b2.notes).toContainEqual(expect.stringMatching(/sent 4096 \(perf-gate default\)/))
  })

  it('streams /api/chat when asked, and sends think and keep_alive as top-level fields', async () => {
    const s = await serve()
    const b = await runOne(
      spec(s.host, {
        api: 'chat',
        keepAlive: -1,
        options: { num_ctx: 1024, num_predict: 16, think: false, top_k: 1 }
      })
    )
    expect(b.source).toEqual({ kind: 'ollama', format: 'chat' })
    const bodies = completions(s).map((r) => r.body!)
    expect(bodies).toHaveLength(5)
    expect(s.requests.filter((r) => r.path === '/api/chat')).toHaveLength(5)
    expect(bodies[0]).toMatchObject({
      messages: [{ role: 'user', content: '[1] Why is the sky blue?' }],
      think: false,
      keep_alive: -1,
      options: { num_ctx: 1024, num_predict: 16, top_k: 1 }
    })
    expect((bodies[0].options as any).think).toBeUndefined()
    expect(metric(b, 'decode_tps').samples).toHaveLength(3)
  })

  it('flags short outputs against num_predict', async () => {
    const s = await serve(standinModel({ timing: { outputTokens: 5 } }))
    const b = await runOne(spec(s.host, { options: { num_ctx: 2048, num_predict: 64 } }))
    expect(b.notes).toContainEqual(
      expect.stringMatching(/^short-output: 3 of 3 measured runs produced 5 tokens of the 64 asked/)
    )
  })

  it('flags partial GPU offload reported by /api/ps', async () => {
    const s = await serve(standinModel({ size: 6_591_830_464, sizeVram: 5_333_539_264 }))
    const fingerprint = {}
    const b = await runOne(spec(s.host), { ...NO_GPU, fingerprint })
    expect(b.notes).toContainEqual(
      expect.stringMatching(/^partial-offload: only 80\.9 % of llama3\.2/)
    )
    expect(fingerprint).toMatchObject({ 'ollama.llm.gpu_offload': 0.81 })
  })

  it('flags thinking tokens in eval_count when think is not pinned, and TTFT starts at them', async () => {
    const s = await serve(
      standinModel({
        capabilities: ['completion', 'thinking'],
        timing: { thinkingTokens: 6, outputTokens: 10 }
      })
    )
    const b = await runOne(spec(s.host, { options: { num_ctx: 2048 } }))
    expect(b.notes).toContainEqual(
      expect.stringMatching(/^thinking: 5 of 5 runs streamed thinking \(30 chunks\)/)
    )
    expect(metric(b, 'output_tokens').samples).toEqual([16, 16, 16])
    const pinned = await runOne(spec(s.host, { options: { num_ctx: 2048, think: false } }))
    expect(pinned.notes ?? []).not.toContainEqual(expect.stringMatching(/^thinking:/))
    expect(metric(pinned, 'output_tokens').samples).toEqual([10, 10, 10])
  })

  it('records the fingerprint: Ollama version, model digest, family, size, quantization, num_ctx, num_gpu', async () => {
    const s = await serve()
    const fingerprint = {}
    await runOne(spec(s.host, { options: { num_ctx: 2048, num_gpu: 99 } }), {
      ...NO_GPU,
      fingerprint
    })
    expect(fingerprint).toEqual({
      'ollama.version': '0.12.6',
      'ollama.llm.model': 'llama3.2',
      'ollama.llm.model.digest': 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
      'ollama.llm.model.family': 'llama',
      'ollama.llm.model.parameter_size': '3.2B',
      'ollama.llm.model.quantization': 'Q4_K_M',
      'ollama.llm.api': 'generate',
      'ollama.llm.num_ctx': 2048,
      'ollama.llm.num_gpu': 99,
      'ollama.llm.think': 'model default',
      'ollama.llm.gpu_offload': 1
    })
  })

  it('applies per-metric overrides from the config', async () => {
    const s = await serve()
    const b = await runOne(
      spec(s.host, { class: 'non-critical', metrics: { ttft_ms: { class: 'core', gate: false } } })
    )
    expect(metric(b, 'ttft_ms')).toMatchObject({ class: 'core', gate: false })
    expect(metric(b, 'decode_tps').class).toBe('non-critical')
  })

  it('reads the prompt from a prompt file', async () => {
    const s = await serve()
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-ollama-'))
    const file = path.join(dir, 'prompt.txt')
    writeFileSync(file, 'Summarise this table.\n\n')
    await runOne(spec(s.host, { prompts: [], promptFile: file }))
    expect(completions(s)[0]?.body?.prompt).toBe('[1] Summarise this table.')
  })

  it('takes the host from OLLAMA_HOST when the config names none', async () => {
    const s = await serve()
    const { host, ...noHost } = spec(s.host)
    const b = await runOne(noHost, {
      nvidiaSmi: null,
      env: { OLLAMA_HOST: host }
    })
    expect(metric(b, 'decode_tps').samples).toHaveLength(3)
  })

  it('samples both GPUs during the benchmark: peak VRAM against the no-model baseline, utilisation, balance', async () => {
    // The fake prints the fixture's four ticks 10 ms apart, well within the 300 ms cold load.
    const s = await serve(standinModel({ timing: { loadMs: 300 } }))
    const fingerprint = {}
    const b = await runOne(spec(s.host), {
      nvidiaSmi: FAKE_SMI,
      gpuIntervalMs: 10,
      env: process.env,
      fingerprint
    })
    const value = (name: string): number | undefined =>
      b.metrics.find((m) => m.name === name)?.samples[0]
    expect(value('gpu0.vram_peak_mib')).toBe(11206)
    expect(value('gpu1.vram_peak_mib')).toBe(10312)
    // inventory-dual-4090: 1 MiB in use on each GPU before the model loads
    expect(value('gpu0.vram_delta_mib')).toBe(11205)
    expect(value('gpu.vram_balance')).toBe(0.92)
    // Measured runs start after the load, when the fixture has reached its decoding ticks.
    expect(value('gpu0.util_mean_pct')).toBe(58)
    expect(value('gpu1.util_mean_pct')).toBe(57)
    expect(b.metrics.filter((m) => m.name.startsWith('gpu')).every((m) => m.gate === false)).toBe(
      true
    )
    expect(b.notes ?? []).not.toContainEqual(expect.stringMatching(/^gpu-/))
    expect(fingerprint).toMatchObject({
      'gpu.count': 2,
      'gpu.names': 'NVIDIA GeForce RTX 4090, NVIDIA GeForce RTX 4090',
      'gpu.driver': '535.129.03',
      'gpu.vram_mib': '24564, 24564',
      'cuda.version': '12.2'
    })
  })

  it('stops the GPU sampler when a run fails', async () => {
    const s = await serve()
    s.inject('generate', { kind: 'http-error', status: 500, error: 'boom' }, 2)
    const pidFile = path.join(mkdtempSync(path.join(tmpdir(), 'pg-ollama-')), 'pid')
    await expect(
      runOne(spec(s.host), {
        nvidiaSmi: FAKE_SMI,
        env: { ...process.env, FAKE_NVSMI_PIDFILE: pidFile }
      })
    ).rejects.toThrow(/answered HTTP 500: boom/)
    expect(existsSync(pidFile)).toBe(true)
    const pid = Number(readFileSync(pidFile, 'utf8'))
    expect(() => process.kill(pid, 0)).toThrow()
  })

  it('says when the cold run was not cold, e.g. a server that keeps the model loaded', async () => {
    // A load as quick as a warm request's is no cold start.
    const s = await serve(standinModel({ timing: { loadMs: 0.1, warmLoadMs: 0.1 } }))
    const b = await runOne(spec(s.host))
    expect(b.notes).toContainEqual(
      expect.stringMatching(/^load-time: the cold run found the model already loaded/)
    )
  })
})
