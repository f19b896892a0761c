import { afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OllamaBenchmark } from '../../src/config/types.js'
import { UserError } from '../../src/errors.js'
import { runOllamaBenchmark, type OllamaRunOptions } from '../../src/runners/ollama.js'
import { silentReporter } from '../../src/runners/progress.js'
import {
  ollamaSpec,
  standinModel,
  startOllamaStandin,
  type OllamaStandin,
  type StandinModel
} from '../helpers/ollama-standin.js'

let standin: OllamaStandin | undefined
afterEach(async () => {
  await standin?.close()
  standin = undefined
})

async function serve(model: StandinModel = standinModel()): Promise<OllamaStandin> {
  standin = await startOllamaStandin([model])
  return standin
}

function spec(host: string, over: Partial<OllamaBenchmark> = {}): OllamaBenchmark {
  return ollamaSpec(host, over)
}

const OPTS: OllamaRunOptions = { nvidiaSmi: null, env: {} }

async function failure(s: OllamaBenchmark, opts: OllamaRunOptions = OPTS): Promise<UserError> {
  try {
    await runOllamaBenchmark(s, silentReporter, opts)
  } catch (e) {
    expect(e).toBeInstanceOf(UserError)
    return e as UserError
  }
  throw new Error('the benchmark did not fail')
}

/** Streams the stand-in still holds open; a client that aborted leaves none behind. */
async function settledStreams(s: OllamaStandin): Promise<number> {
  for (let i = 0; i < 50 && s.openStreams() > 0; i++) await new Promise((r) => setTimeout(r, 20))
  return s.openStreams()
}

async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

describe('ollama runner errors', () => {
  it('names the host when the server is unreachable', async () => {
    const port = await closedPort()
    const e = await failure(spec(`http://127.0.0.1:${port}`))
    expect(e.message).toBe(
      `benchmark 'llm': cannot reach the Ollama server at http://127.0.0.1:${port} (ECONNREFUSED); start it with 'ollama serve', or set 'host' in the config or OLLAMA_HOST`
    )
  })

  it('says how to get a model the server does not have', async () => {
    const s = await serve()
    const e = await failure(spec(s.host, { model: 'qwen3:8b' }))
    expect(e.message).toBe(
      `benchmark 'llm': model 'qwen3:8b' is not on the Ollama server at ${s.host} (model "qwen3:8b" not found, try pulling it first); pull it first with 'ollama pull qwen3:8b'`
    )
    // Nothing was loaded or measured for a model that is not there.
    expect(s.requests.filter((r) => r.path === '/api/generate')).toHaveLength(0)
  })

  it('reports an error line inside a 200 stream, naming the run', async () => {
    const s = await serve(standinModel({ timing: { outputTokens: 8 } }))
    s.inject(
      'generate',
      { kind: 'stream-error', afterChunks: 3, error: 'CUDA error: out of memory' },
      2
    )
    const e = await failure(spec(s.host))
    expect(e.message).toBe(
      "benchmark 'llm': warm-up 1/1: the Ollama server reported an error after 3 chunks: CUDA error: out of memory"
    )
  })

  it('reports an HTTP error before the stream starts', async () => {
    const s = await serve()
    s.inject(
      'generate',
      { kind: 'http-error', status: 500, error: 'llama runner process has terminated' },
      3
    )
    const e = await failure(spec(s.host))
    expect(e.message).toBe(
      `benchmark 'llm': run 1/2: the Ollama server at ${s.host} answered HTTP 500: llama runner process has terminated`
    )
  })

  it('aborts a stream that stalls, and does not hang', async () => {
    const s = await serve(standinModel({ timing: { outputTokens: 8 } }))
    s.inject('generate', { kind: 'stall', afterChunks: 2 }, 1)
    const started = performance.now()
    const e = await failure(spec(s.host, { stallTimeoutSeconds: 0.3 }))
    expect(e.message).toBe(
      "benchmark 'llm': cold run: the stream stalled: nothing for 0.3 s after 2 chunks, so the request was aborted (raise 'stall-timeout' if the server is just slow)"
    )
    expect(performance.now() - started).toBeLessThan(5000)
    // The request was really aborted: the server sees its client go away.
    expect(await settledStreams(s)).toBe(0)
  })

  it('aborts a request that never answers at the run timeout', async () => {
    const s = await serve()
    s.inject('generate', { kind: 'no-response' }, 1)
    const e = await failure(spec(s.host, { timeoutSeconds: 0.4 }))
    expect(e.message).toBe(
      "benchmark 'llm': cold run: no complete answer within 0.4 s (0 chunks so far), so the request was aborted (raise 'timeout' for long generations or cold loads)"
    )
    expect(await settledStreams(s)).toBe(0)
  })

  it('waits out a cold load longer than the stall timeout: the first byte is bounded by the run timeout', async () => {
    // Ollama sends headers only with the first token, after the load: a silence that is not a stall.
    const s = await serve(standinModel({ timing: { loadMs: 500, outputTokens: 4 } }))
    const [b] = await runOllamaBenchmark(
      spec(s.host, { stallTimeoutSeconds: 0.1, timeoutSeconds: 10, repetitions: 1, warmup: 0 }),
      silentReporter,
      OPTS
    )
    expect(b?.metrics.find((m) => m.name === 'load_ms')?.samples).toEqual([500])
  })

  it('reports a stream that ends without its final chunk', async () => {
    const s = await serve(standinModel({ timing: { outputTokens: 8 } }))
    s.inject('generate', { kind: 'disconnect', afterChunks: 2 }, 1)
    const e = await failure(spec(s.host))
    expect(e.message).toMatch(
      new RegExp(
        `^benchmark 'llm': cold run: the stream from ${s.host} ended after 2 chunks without its final chunk \\(.+\\); did the server crash or restart\\?$`
      )
    )
  })

  it('refuses a response without metrics', async () => {
    const s = await serve()
    s.inject('generate', { kind: 'no-metrics' }, 2)
    const e = await failure(spec(s.host))
    expect(e.message).toBe(
      `benchmark 'llm': warm-up 1/1: the final chunk from ${s.host} carried no metrics (no eval_count, eval_duration, prompt_eval_duration or total_duration); is this Ollama's native API rather than a proxy or an OpenAI-compatible endpoint?`
    )
  })

  it('bounds the calls ollama-js gives no signal for', async () => {
    const s = await serve()
    s.inject('version', { kind: 'no-response' })
    const e = await failure(spec(s.host), { ...OPTS, metadataTimeoutMs: 300 })
    expect(e.message).toBe(
      `benchmark 'llm': the Ollama server at ${s.host} did not answer /api/version within 0.3 s`
    )
    expect(await settledStreams(s)).toBe(0)
  })

  it('names a prompt file it cannot read', async () => {
    const s = await serve()
    const e = await failure(spec(s.host, { prompts: [], promptFile: '/nonexistent/prompt.txt' }))
    expect(e.message).toMatch(
      /^benchmark 'llm': cannot read the prompt file \/nonexistent\/prompt\.txt: ENOENT/
    )
  })

  it('rejects an unusable host', async () => {
    const e = await failure(spec('http://[::1'))
    expect(e.message).toBe("benchmark 'llm': 'http://[::1' is not a usable Ollama host")
  })
})
