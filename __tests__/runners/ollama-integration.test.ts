import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli/main.js'
import { parseConfig } from '../../src/config/load.js'
import type { OllamaBenchmark } from '../../src/config/types.js'
import { ResultSet } from '../../src/results/model.js'
import { runBenchmarks } from '../../src/runners/index.js'
import { withSweepFigures } from '../../src/stats/sweep.js'
import { runOllamaBenchmark } from '../../src/runners/ollama.js'
import {
  ollamaSpec,
  standinModel,
  startOllamaStandin,
  type OllamaStandin
} from '../helpers/ollama-standin.js'
import { recorder } from '../helpers/capture.js'

/**
 * The same integration tests run against the loopback stand-in and, when OLLAMA_HOST is set,
 * against that real server (model: OLLAMA_TEST_MODEL, default llama3.2:1b).
 */
const REAL_HOST = process.env.OLLAMA_HOST
const FAKE_SMI = path.resolve('fixtures/nvidia-smi/fake-nvidia-smi.mjs')

interface Target {
  label: string
  /** Per test: a real model's cold load alone can take longer than jest's default. */
  timeoutMs: number
  start(): Promise<{
    host: string
    model: string
    nvidiaSmi?: string | null
    close(): Promise<void>
  }>
}

const targets: Target[] = [
  {
    label: 'the loopback stand-in',
    timeoutMs: 30_000,
    async start() {
      const s = await startOllamaStandin([
        standinModel({ timing: { loadMs: 30, promptEvalMs: 4, tokenMs: 1, outputTokens: 40 } })
      ])
      return { host: s.host, model: 'llama3.2', nvidiaSmi: FAKE_SMI, close: () => s.close() }
    }
  }
]
if (REAL_HOST) {
  targets.push({
    label: `the real Ollama server at ${REAL_HOST}`,
    timeoutMs: 900_000,
    start: () =>
      Promise.resolve({
        host: REAL_HOST,
        model: process.env.OLLAMA_TEST_MODEL ?? 'llama3.2:1b',
        close: () => Promise.resolve()
      })
  })
} else {
  console.info(
    'ollama integration: the real-server run is skipped because OLLAMA_HOST is not set; only the stand-in is tested'
  )
}

function spec(host: string, model: string, over: Partial<OllamaBenchmark> = {}): OllamaBenchmark {
  return ollamaSpec(host, {
    line: 1,
    repetitions: 3,
    model,
    prompts: ['Name three primary colours.'],
    options: { num_ctx: 2048, num_predict: 24, temperature: 0, seed: 42, top_k: 1 },
    timeoutSeconds: 600,
    ...over
  })
}

describe.each(targets)('ollama runner against $label', (target) => {
  let t: Awaited<ReturnType<Target['start']>>
  beforeAll(async () => {
    t = await target.start()
  })
  afterAll(async () => {
    await t.close()
  })
  const limit = target.timeoutMs

  it(
    'measures a model end to end: every metric, the fingerprint, warm-ups apart',
    async () => {
      const fingerprint: Record<string, unknown> = {}
      const [b] = await runOllamaBenchmark(spec(t.host, t.model), recorder(), {
        fingerprint: fingerprint as never,
        ...(t.nvidiaSmi !== undefined ? { nvidiaSmi: t.nvidiaSmi } : {})
      })
      const m = Object.fromEntries(b.metrics.map((x) => [x.name, x]))
      for (const name of ['decode_tps', 'ttft_ms', 'server_ttft_ms', 'e2e_ms', 'output_tokens']) {
        expect(m[name]?.samples).toHaveLength(3)
        expect(m[name]?.warmup).toHaveLength(2)
        for (const v of m[name].samples) expect(v).toBeGreaterThan(0)
      }
      expect(m.load_ms?.samples).toHaveLength(1)
      // The server cannot see the first token later than the client does, nor the last.
      for (let i = 0; i < 3; i++) {
        expect(m.server_ttft_ms.samples[i]).toBeLessThanOrEqual(m.e2e_ms.samples[i])
        expect(m.ttft_ms.samples[i]).toBeLessThanOrEqual(m.e2e_ms.samples[i])
        expect(m.output_tokens.samples[i]).toBeLessThanOrEqual(24)
      }
      expect(fingerprint).toMatchObject({
        'ollama.version': expect.any(String),
        'ollama.llm.model': t.model,
        'ollama.llm.model.digest': expect.stringMatching(/^[0-9a-f]{12,}$/),
        'ollama.llm.num_ctx': 2048
      })
    },
    limit
  )

  it(
    'streams chat as well',
    async () => {
      const [b] = await runOllamaBenchmark(
        spec(t.host, t.model, { api: 'chat', repetitions: 2, warmup: 0 }),
        recorder(),
        { nvidiaSmi: null }
      )
      expect(b.metrics.find((x) => x.name === 'decode_tps')?.samples).toHaveLength(2)
    },
    limit
  )

  it(
    'names a model the server does not have',
    async () => {
      await expect(
        runOllamaBenchmark(spec(t.host, 'perf-gate-no-such-model:latest'), recorder(), {
          nvidiaSmi: null
        })
      ).rejects.toThrow(
        /^benchmark 'llm': model 'perf-gate-no-such-model:latest' is not on the Ollama server at .*; pull it first with 'ollama pull perf-gate-no-such-model:latest'$/
      )
    },
    limit
  )
})

describe('ollama benchmarks in a whole run (stand-in)', () => {
  let s: OllamaStandin
  const savedSmi = process.env.PERF_GATE_NVIDIA_SMI
  beforeAll(async () => {
    s = await startOllamaStandin([
      standinModel({
        name: 'llama3.3:70b-instruct-q4_K_M',
        digest: 'c'.repeat(64),
        size: 44e9,
        sizeVram: 40e9
      }),
      standinModel({ name: 'qwen2.5:7b-instruct', digest: 'd'.repeat(64) }),
      ...['q4_K_M', 'q8_0'].map((quant, i) =>
        standinModel({
          name: `llama3.1:8b-instruct-${quant}`,
          digest: String(i).repeat(64),
          answer: (p) =>
            p.includes('17 × 23')
              ? '391'
              : p.includes('capital of Japan')
                ? '{"city": "Tokyo", "country": "Japan"}'
                : 'Sorry about that.'
        })
      )
    ])
    process.env.PERF_GATE_NVIDIA_SMI = FAKE_SMI
  })
  afterAll(async () => {
    await s.close()
    if (savedSmi === undefined) delete process.env.PERF_GATE_NVIDIA_SMI
    else process.env.PERF_GATE_NVIDIA_SMI = savedSmi
  })

  it('`perf-gate run` writes a results file with the metrics, GPU figures, fingerprint and anomalies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-ollama-run-'))
    const config = path.join(dir, 'perf-gate.yml')
    writeFileSync(
      config,
      `testbed: dual-gpu
repetitions: 3
warmup: 1
benchmarks:
  - name: big
    kind: ollama
    host: ${s.host}
    model: llama3.3:70b-instruct-q4_K_M
    class: core
    prompt: Why is the sky blue?
    options: { num_ctx: 4096, num_predict: 8 }
  - name: small
    kind: ollama
    host: ${s.host}
    model: qwen2.5:7b-instruct
    api: chat
    prompts: [a, b]
    options: { num_ctx: 2048, num_predict: 8 }
`
    )
    const out: string[] = []
    const err: string[] = []
    const code = await main(
      [
        'run',
        '-c',
        config,
        '--store',
        `local:${path.join(dir, 'store')}`,
        '--out',
        path.join(dir, 'out'),
        '--raw-dir',
        path.join(dir, 'raw')
      ],
      { stdout: (x) => out.push(x), stderr: (x) => err.push(x) },
      {}
    )
    expect({ code, err: err.join('') }).toMatchObject({ code: 0 })
    const [file] = readdirSync(path.join(dir, 'raw'))
    const results = ResultSet.parse(JSON.parse(readFileSync(path.join(dir, 'raw', file), 'utf8')))
    expect(results.benchmarks.map((b) => [b.name, b.source?.format])).toEqual([
      ['big', 'generate'],
      ['small', 'chat']
    ])
    const big = results.benchmarks[0]
    const names = big.metrics.map((m) => m.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'decode_tps',
        'ttft_ms',
        'server_ttft_ms',
        'prompt_tps',
        'e2e_ms',
        'output_tokens',
        'load_ms',
        'gpu0.vram_peak_mib',
        'gpu1.vram_peak_mib',
        'gpu0.util_mean_pct'
      ])
    )
    expect(big.metrics.find((m) => m.name === 'decode_tps')?.class).toBe('core')
    expect(results.benchmarks[1].metrics.find((m) => m.name === 'decode_tps')?.class).toBe(
      'non-critical'
    )
    expect(big.notes).toContainEqual(expect.stringMatching(/^partial-offload: only 90\.9 %/))
    expect(results.environment).toMatchObject({
      'ollama.version': '0.12.6',
      'ollama.big.model.digest': 'c'.repeat(64),
      'ollama.small.model.digest': 'd'.repeat(64),
      'ollama.small.api': 'chat',
      'gpu.count': 2,
      'gpu.names': 'NVIDIA GeForce RTX 4090, NVIDIA GeForce RTX 4090',
      'gpu.driver': '535.129.03',
      'gpu.vram_mib': '24564, 24564',
      'cuda.version': '12.2'
    })
    expect(results.environment.cpu).toEqual(expect.any(String))
  })

  it('gives one notice, not one per benchmark, when nvidia-smi is missing', async () => {
    const reporter = recorder()
    const opts = { nvidiaSmi: '/nonexistent/nvidia-smi', env: {} }
    const one = spec(s.host, 'qwen2.5:7b-instruct', { repetitions: 1, warmup: 0 })
    const [a] = await runOllamaBenchmark(one, reporter, opts)
    const [b] = await runOllamaBenchmark({ ...one, name: 'again' }, reporter, opts)
    expect(reporter.lines.filter((l) => l.includes('no GPU metrics'))).toEqual([
      'warning: no GPU metrics: /nonexistent/nvidia-smi not found (install the NVIDIA driver utilities, or set PERF_GATE_NVIDIA_SMI to its path)'
    ])
    for (const bench of [a, b])
      expect(bench.metrics.some((m) => m.name.startsWith('gpu'))).toBe(false)
  })

  it('runs the documented dual-GPU example config, its sweep included', async () => {
    const text = readFileSync(path.resolve('docs/ollama-example.yml'), 'utf8')
    const config = parseConfig(text, path.resolve('perf-gate.yml'))
    const names = config.benchmarks.map((b) => b.name)
    // 2 models × 4 concurrencies × 2 depths × 2 servers between the two plain benchmarks.
    expect(names).toHaveLength(34)
    expect([names[0], names[names.length - 1]]).toEqual(['llama70b-chat', 'qwen7b-summarise'])
    expect(config.benchmarks[0]).toMatchObject({
      kind: 'ollama',
      class: 'core',
      api: 'chat',
      timeoutSeconds: 900,
      stallTimeoutSeconds: 60,
      keepAlive: '10m',
      options: { num_ctx: 8192, num_predict: 256, temperature: 0, seed: 42, top_k: 1 },
      metrics: { e2e_ms: { gate: false } },
      expect: { regex: expect.any(String) }
    })
    const cell = config.benchmarks.find(
      (b) => b.name === 'chat[concurrency=1,depth=8192,host=spread,model=llama3.1:8b-instruct-q8_0]'
    ) as OllamaBenchmark
    expect(cell).toMatchObject({
      host: 'http://127.0.0.1:11435',
      concurrency: 1,
      depth: 8192,
      options: { num_ctx: 16384 },
      slo: { ttftMs: 800, tpotMs: 40, attainment: 0.95 },
      matrix: { hosts: ['http://127.0.0.1:11434', 'http://127.0.0.1:11435'] }
    })
    expect(cell.targets?.map((t) => `${t.metric} ${t.text}`)).toEqual([
      'accuracy >= 0.9',
      'batch_efficiency >= 0.6',
      'decode_tps >= 45',
      'error_rate <= 0.01',
      'ttft_p95_ms <= 2500'
    ])
    expect(config.comparisons?.[0]?.a).toBe(
      'chat[concurrency=1,depth=0,host=one-gpu,model=llama3.1:8b-instruct-q4_K_M]'
    )
    expect(names).toContain(config.comparisons?.[0]?.b)
    // The same config, pointed at the stand-in with fewer runs and a corner of the sweep, runs as
    // written: both servers are the stand-in here.
    const corner = (b: (typeof config.benchmarks)[number]): boolean =>
      !b.matrix || (Number(b.matrix.axes.concurrency) <= 2 && b.matrix.axes.depth === 0)
    const quick = {
      ...config,
      benchmarks: config.benchmarks.filter(corner).map((b) => ({
        ...b,
        host: s.host,
        repetitions: 2,
        ...(b.matrix ? { matrix: { ...b.matrix, hosts: [s.host] } } : {})
      }))
    }
    const results = withSweepFigures(
      await runBenchmarks(quick, { commit: { sha: null }, reporter: recorder() }),
      (bench, metric) => quick.benchmarks.find((b) => b.name === bench)?.metrics[metric]
    )
    expect(results.benchmarks).toHaveLength(10)
    const e2e = results.benchmarks[0].metrics.find((m) => m.name === 'e2e_ms')
    expect(e2e?.gate).toBe(false)
    const chat = results.benchmarks.find(
      (b) => b.name === 'chat[concurrency=2,depth=0,host=one-gpu,model=llama3.1:8b-instruct-q4_K_M]'
    )
    expect(chat?.metrics.find((m) => m.name === 'accuracy')?.samples).toEqual([1, 1, 1, 1])
    expect(chat?.metrics.find((m) => m.name === 'batch_efficiency')?.gate).toBe(true)
    expect(chat?.metrics.find((m) => m.name === 'goodput')?.samples).toHaveLength(2)
  })
})
