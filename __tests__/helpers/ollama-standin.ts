import http from 'node:http'
import type { OllamaBenchmark } from '../../src/config/types.js'
import { listenOnLoopback } from './loopback.js'

/**
 * A loopback stand-in for an Ollama server, speaking the documented REST API (/api/generate,
 * /api/chat, /api/ps, /api/show, /api/tags, /api/version) with streamed NDJSON. Each model has a
 * timing script: the server really waits that long (load, prompt evaluation, every token) and
 * reports exactly the scripted nanoseconds, so a test knows the true value of every metric. The
 * first completion after start or unload pays the cold load, as does a change of a load-time
 * option (num_ctx, num_gpu), as on the real scheduler. Faults can be injected per call.
 */

export interface Timing {
  /** Cold load: waited and reported as load_duration. */
  loadMs: number
  /** load_duration of a request to an already loaded model (scheduler overhead). */
  warmLoadMs: number
  /** Waited before the first chunk and reported as prompt_eval_duration. */
  promptEvalMs: number
  /** Waited between chunks; eval_duration = eval_count × tokenMs. */
  tokenMs: number
  /** Tokens the model emits before its end-of-sequence, if num_predict does not stop it first. */
  outputTokens: number
  /** Thinking tokens streamed before the answer; they count in eval_count as on a real server. */
  thinkingTokens: number
  /** An empty chunk right after the headers, as thinking and tool parsers emit. */
  leadingEmptyChunk: boolean
  /** Whether the done chunk carries the last token (llama-server) or is empty (older servers). */
  textInDoneChunk: boolean
}

export interface StandinModel {
  name: string
  digest: string
  /** Bytes once loaded; /api/ps reports it with size_vram. */
  size: number
  /** Bytes in VRAM; below `size` means partial CPU offload. Default: all of it. */
  sizeVram?: number
  details: {
    parent_model: string
    format: string
    family: string
    families: string[]
    parameter_size: string
    quantization_level: string
  }
  modelInfo: Record<string, unknown>
  /** Modelfile PARAMETER lines as /api/show returns them ("num_ctx 2048\ntemperature 0.7"). */
  parameters: string
  capabilities: string[]
  timing: Timing
  /**
   * Scripted answers, one per completion in order (loads excepted): the text is streamed a word
   * (with its trailing blank) per token, so eval_count is its word count. Empty: the default tokens.
   */
  script?: string[]
}

export type Fault =
  | { kind: 'http-error'; status: number; error: string }
  | { kind: 'stream-error'; afterChunks: number; error: string }
  | { kind: 'stall'; afterChunks: number }
  | { kind: 'disconnect'; afterChunks: number }
  | { kind: 'no-metrics' }
  /** Accepts the request and never answers. */
  | { kind: 'no-response' }
  /** Drops the connection without a reply, as a server that went away between two calls. */
  | { kind: 'reset' }

export type Endpoint = 'generate' | 'chat' | 'ps' | 'show' | 'tags' | 'version'

export interface RecordedRequest {
  method: string
  path: string
  body: Record<string, unknown> | undefined
}

export interface OllamaStandin {
  /** http://127.0.0.1:<port> */
  host: string
  models: Map<string, StandinModel>
  version: string
  requests: RecordedRequest[]
  /** Streams still open; back to 0 once a client aborts or a stream ends. */
  openStreams(): number
  /**
   * Injects a fault into a later call of `endpoint`. For generate and chat, `call` counts
   * completions only (loads and unloads are not counted), 1-based from now; else the next call.
   */
  inject(endpoint: Endpoint, fault: Fault, call?: number): void
  /** Marks a model as loaded without waiting, e.g. to leave another model resident. */
  preload(model: string, numCtx?: number): void
  loaded(): string[]
  close(): Promise<void>
}

/** Quick enough for unit tests, yet every duration is non-zero as on a real server. */
export const FAST_TIMING: Timing = {
  loadMs: 5,
  warmLoadMs: 0.1,
  promptEvalMs: 1,
  tokenMs: 0.5,
  outputTokens: 8,
  thinkingTokens: 0,
  leadingEmptyChunk: false,
  textInDoneChunk: true
}

/** A model shaped like the documented /api/tags and /api/show examples (llama3.2, 3.2B Q4_K_M). */
export function standinModel(
  over: Omit<Partial<StandinModel>, 'timing'> & { timing?: Partial<Timing> } = {}
): StandinModel {
  const { timing, ...rest } = over
  const model: StandinModel = {
    name: 'llama3.2:latest',
    digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
    size: 3_400_000_000,
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'llama',
      families: ['llama'],
      parameter_size: '3.2B',
      quantization_level: 'Q4_K_M'
    },
    modelInfo: {
      'general.architecture': 'llama',
      'general.parameter_count': 3212749888,
      'llama.block_count': 28,
      'llama.context_length': 131072
    },
    parameters: 'stop                           "<|eot_id|>"',
    capabilities: ['completion', 'tools'],
    ...rest,
    timing: { ...FAST_TIMING, ...timing }
  }
  return model
}

interface Loaded {
  numCtx: number
  numGpu: number | undefined
}

interface PendingFault {
  endpoint: Endpoint
  fault: Fault
  /** Completions (or calls) left before it fires; 1 = the next one. */
  countdown: number
}

const DEFAULT_CTX = 4096

function fullName(model: string): string {
  return model.includes(':') ? model : `${model}:latest`
}

function sleepUntil(target: number): Promise<void> {
  const wait = target - performance.now()
  return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve()
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function ns(ms: number): number {
  return Math.round(ms * 1e6)
}

export async function startOllamaStandin(
  models: StandinModel[] = [standinModel()],
  opts: { version?: string } = {}
): Promise<OllamaStandin> {
  const registry = new Map(models.map((m) => [m.name, m]))
  const loaded = new Map<string, Loaded>()
  const faults: PendingFault[] = []
  const requests: RecordedRequest[] = []
  const streams = new Set<http.ServerResponse>()
  const hung = new Set<http.ServerResponse>()
  const state = { version: opts.version ?? '0.12.6' }

  const takeFault = (endpoint: Endpoint, counts: boolean): Fault | undefined => {
    if (!counts) return undefined
    let fired: Fault | undefined
    for (const f of faults.filter((x) => x.endpoint === endpoint)) {
      f.countdown--
      if (f.countdown === 0 && !fired) fired = f.fault
    }
    for (let i = faults.length - 1; i >= 0; i--) {
      if ((faults[i]?.countdown ?? 1) <= 0) faults.splice(i, 1)
    }
    return fired
  }

  const sendJson = (res: http.ServerResponse, status: number, value: unknown): void => {
    const text = JSON.stringify(value)
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text)
    })
    res.end(text)
  }

  const notFound = (res: http.ServerResponse, model: string): void =>
    sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` })

  const psEntry = (name: string, l: Loaded) => {
    const m = registry.get(name)
    if (!m) return undefined
    return {
      name: m.name,
      model: m.name,
      size: m.size,
      digest: m.digest,
      details: m.details,
      expires_at: new Date(Date.now() + 5 * 60_000).toISOString(),
      size_vram: m.sizeVram ?? m.size,
      context_length: l.numCtx
    }
  }

  async function completion(
    endpoint: 'generate' | 'chat',
    body: Record<string, unknown>,
    res: http.ServerResponse
  ): Promise<void> {
    const started = performance.now()
    const name = fullName(text(body.model))
    const model = registry.get(name)
    const prompt =
      endpoint === 'generate'
        ? text(body.prompt)
        : ((body.messages as { content?: string }[] | undefined) ?? [])
            .map((m) => m.content ?? '')
            .join('\n')
    const isLoadOnly = prompt === ''
    const fault = takeFault(endpoint, !isLoadOnly)
    if (fault?.kind === 'reset') return void res.socket?.destroy()
    if (fault?.kind === 'no-response') {
      hung.add(res)
      res.on('close', () => hung.delete(res))
      return
    }
    if (fault?.kind === 'http-error') return sendJson(res, fault.status, { error: fault.error })
    if (!model) return notFound(res, text(body.model))

    const options = (body.options ?? {}) as Record<string, unknown>
    const keepAlive = body.keep_alive
    const base = {
      model: String(body.model),
      created_at: new Date().toISOString()
    }
    const emptyText =
      endpoint === 'generate' ? { response: '' } : { message: { role: 'assistant', content: '' } }
    if (isLoadOnly && keepAlive === 0) {
      loaded.delete(name)
      return sendJson(res, 200, { ...base, ...emptyText, done_reason: 'unload', done: true })
    }

    const t = model.timing
    const wanted: Loaded = {
      numCtx: typeof options.num_ctx === 'number' ? options.num_ctx : DEFAULT_CTX,
      numGpu: typeof options.num_gpu === 'number' ? options.num_gpu : undefined
    }
    const current = loaded.get(name)
    const cold = !current || current.numCtx !== wanted.numCtx || current.numGpu !== wanted.numGpu
    const loadMs = cold ? t.loadMs : t.warmLoadMs
    loaded.set(name, wanted)
    if (isLoadOnly) {
      await sleepUntil(started + loadMs)
      return sendJson(res, 200, { ...base, ...emptyText, done_reason: 'load', done: true })
    }

    const scripted = model.script?.length ? (model.script.shift() ?? '') : undefined
    const words = scripted === undefined ? undefined : (scripted.match(/\s*\S+\s*/g) ?? [])
    // A thinking model thinks unless told not to, as current servers do.
    const thinking = body.think === false || words ? 0 : t.thinkingTokens
    const limit =
      typeof options.num_predict === 'number' && options.num_predict > 0
        ? options.num_predict
        : Infinity
    const outputTokens = words ? words.length : t.outputTokens
    const evalCount = Math.min(limit, thinking + outputTokens)
    const doneReason = thinking + outputTokens > limit ? 'length' : 'stop'
    const promptTokens = prompt.split(/\s+/).filter(Boolean).length + (endpoint === 'chat' ? 6 : 1)

    const piece = (i: number): Record<string, unknown> => {
      const isThinking = i < thinking
      const text = words ? (words[i] ?? '') : isThinking ? `think${i} ` : `tok${i - thinking} `
      if (endpoint === 'generate')
        return isThinking ? { response: '', thinking: text } : { response: text }
      return {
        message: isThinking
          ? { role: 'assistant', content: '', thinking: text }
          : { role: 'assistant', content: text }
      }
    }

    // Ollama writes its headers with the first chunk, after load and prompt evaluation.
    const firstAt = started + loadMs + t.promptEvalMs
    const write = (value: unknown): void => {
      res.write(`${JSON.stringify(value)}\n`)
    }
    const open = (): void => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' })
      streams.add(res)
      res.on('close', () => streams.delete(res))
    }
    if (t.leadingEmptyChunk) {
      open()
      write({ ...base, ...emptyText, done: false })
    }
    await sleepUntil(firstAt)
    if (res.destroyed) return
    if (!t.leadingEmptyChunk) open()

    const textChunks = t.textInDoneChunk ? evalCount - 1 : evalCount
    let sent = 0
    for (let i = 0; i < textChunks; i++) {
      if (fault && 'afterChunks' in fault && sent === fault.afterChunks) {
        if (fault.kind === 'stream-error') {
          write({ error: fault.error })
          res.end()
          return
        }
        if (fault.kind === 'stall') return
        // Let the chunks already written reach the client, as they would from a crashing server.
        await new Promise((r) => setTimeout(r, 20))
        res.destroy()
        return
      }
      await sleepUntil(firstAt + i * t.tokenMs)
      if (res.destroyed) return
      write({ ...base, created_at: new Date().toISOString(), ...piece(i), done: false })
      sent++
    }
    await sleepUntil(firstAt + Math.max(0, evalCount - 1) * t.tokenMs)
    if (res.destroyed) return
    const lastText = t.textInDoneChunk && evalCount > 0 ? piece(evalCount - 1) : { ...emptyText }
    const metrics =
      fault?.kind === 'no-metrics'
        ? {}
        : {
            total_duration: ns(loadMs + t.promptEvalMs + evalCount * t.tokenMs + 0.5),
            load_duration: ns(loadMs),
            prompt_eval_count: promptTokens,
            prompt_eval_duration: ns(t.promptEvalMs),
            eval_count: evalCount,
            eval_duration: ns(evalCount * t.tokenMs)
          }
    write({ ...base, ...lastText, done: true, done_reason: doneReason, ...metrics })
    res.end()
    if (keepAlive === 0) loaded.delete(name)
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    let body: Record<string, unknown> | undefined
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined
    } catch {
      return sendJson(res, 400, { error: 'invalid JSON' })
    }
    const path = (req.url ?? '').split('?')[0] ?? ''
    requests.push({ method: req.method ?? '', path, body })
    const endpoint = path.replace(/^\/api\//, '') as Endpoint
    const route = `${req.method} ${path}`
    if (route === 'POST /api/generate' || route === 'POST /api/chat') {
      return completion(endpoint as 'generate' | 'chat', body ?? {}, res)
    }
    const fault = ['ps', 'show', 'tags', 'version'].includes(endpoint)
      ? takeFault(endpoint, true)
      : undefined
    if (fault?.kind === 'reset') return void res.socket?.destroy()
    if (fault?.kind === 'no-response') {
      hung.add(res)
      res.on('close', () => hung.delete(res))
      return
    }
    if (fault?.kind === 'http-error') return sendJson(res, fault.status, { error: fault.error })
    switch (route) {
      case 'GET /api/version':
        return sendJson(res, 200, { version: state.version })
      case 'GET /api/tags':
        return sendJson(res, 200, {
          models: [...registry.values()].map((m) => ({
            name: m.name,
            model: m.name,
            modified_at: '2025-05-04T17:37:44.706015396-07:00',
            size: m.size,
            digest: m.digest,
            details: m.details
          }))
        })
      case 'GET /api/ps':
        return sendJson(res, 200, {
          models: [...loaded].flatMap(([name, l]) => psEntry(name, l) ?? [])
        })
      case 'POST /api/show': {
        const model = registry.get(fullName(text(body?.model)))
        if (!model) return notFound(res, text(body?.model))
        return sendJson(res, 200, {
          license: '',
          modelfile: `FROM ${model.name}`,
          parameters: model.parameters,
          template: '{{ .Prompt }}',
          details: model.details,
          model_info: model.modelInfo,
          capabilities: model.capabilities,
          modified_at: '2025-05-04T17:37:44.706015396-07:00'
        })
      }
      default:
        return sendJson(res, 404, { error: `stand-in: no route ${route}` })
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(e) })
      else res.destroy()
    })
  })
  const loopback = await listenOnLoopback(server)

  return {
    host: loopback.url,
    models: registry,
    get version() {
      return state.version
    },
    set version(v: string) {
      state.version = v
    },
    requests,
    openStreams: () => streams.size + hung.size,
    inject(endpoint, fault, call = 1) {
      faults.push({ endpoint, fault, countdown: call })
    },
    preload(model, numCtx = DEFAULT_CTX) {
      loaded.set(fullName(model), { numCtx, numGpu: undefined })
    },
    loaded: () => [...loaded.keys()],
    async close() {
      for (const r of [...streams, ...hung]) r.destroy()
      await loopback.close()
    }
  }
}

/** An ollama benchmark of perf-gate.yml against `host`, as the tests and benches configure it. */
export function ollamaSpec(host: string, over: Partial<OllamaBenchmark> = {}): OllamaBenchmark {
  return {
    kind: 'ollama',
    name: 'llm',
    line: 4,
    class: 'core',
    repetitions: 2,
    warmup: 1,
    metrics: {},
    host,
    model: 'llama3.2',
    prompts: ['Why is the sky blue?'],
    options: { num_ctx: 2048, num_predict: 8 },
    ...over
  }
}
