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
 *
 * Under load it behaves like a server with OLLAMA_NUM_PARALLEL slots and OLLAMA_MAX_QUEUE behind
 * them: requests past the slots wait their turn, past the queue they get a 503. Requests in the
 * slots share the GPU: each one's prompt evaluation and tokens slow by `shareSlowdown` per other
 * request, so one user's rate falls while the total rises. A deeper context slows both too, and
 * a larger num_ctx × slots grows the model's memory until it no longer fits `vramBytes`.
 * `standinTruth` works out what a round of requests should measure from the same numbers.
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
  /**
   * If set, prompt evaluation takes this per prompt token (in place of `promptEvalMs`), times the
   * depth and sharing factors below.
   */
  prefillTokenMs?: number
  /** Per 1000 prompt tokens, the relative slowdown of every prompt token evaluated (default 0). */
  prefillDepthSlowdown?: number
  /** Per 1000 prompt tokens in the context, the relative slowdown of each output token (default 0). */
  decodeDepthSlowdown?: number
  /** Per other request in a slot, the relative slowdown of prompt evaluation and tokens (default 0). */
  shareSlowdown?: number
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
  /** An answer chosen from the prompt, streamed as a scripted one is; undefined: the default. */
  answer?: (prompt: string) => string | undefined
  /** KV cache per token of num_ctx and slot: /api/ps size grows by this × num_ctx × parallel. */
  kvBytesPerToken?: number
}

/** Server settings, as the OLLAMA_* environment sets them on a real server. */
export interface StandinServerOptions {
  version?: string
  /** OLLAMA_NUM_PARALLEL: requests served at once. Default: no limit. */
  parallel?: number
  /** OLLAMA_MAX_QUEUE: requests waiting for a slot before a 503. Default 512. */
  maxQueue?: number
  /** Total VRAM of the GPUs; a model larger than this is partly offloaded (size_vram < size). */
  vramBytes?: number
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
  /** The most completions that held a slot at once since start. */
  peakActive(): number
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
const PREFILL_SLICES = 8

function fullName(model: string): string {
  return model.includes(':') ? model : `${model}:latest`
}

/** Timers fire up to a millisecond or two late; the last stretch is waited out turn by turn. */
const TIMER_SLACK_MS = 1.5

async function sleepUntil(target: number): Promise<void> {
  const wait = target - performance.now()
  if (wait <= 0) return
  if (wait > TIMER_SLACK_MS) await new Promise((r) => setTimeout(r, wait - TIMER_SLACK_MS))
  while (performance.now() < target) await new Promise((r) => setImmediate(r))
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function ns(ms: number): number {
  return Math.round(ms * 1e6)
}

/** Words of a prompt, the stand-in's token count for it. */
export function promptWords(prompt: string): number {
  return prompt.split(/\s+/).filter(Boolean).length
}

/** The slowdown factor of one prompt token (prefill) or one output token (decode). */
export function standinStep(
  t: Timing,
  phase: 'prefill' | 'decode',
  promptTokens: number,
  active: number
): number {
  const depth = phase === 'prefill' ? (t.prefillDepthSlowdown ?? 0) : (t.decodeDepthSlowdown ?? 0)
  const base = phase === 'prefill' ? (t.prefillTokenMs ?? 0) : t.tokenMs
  return base * (1 + (depth * promptTokens) / 1000) * (1 + (t.shareSlowdown ?? 0) * (active - 1))
}

/** Prompt evaluation time of one request while `active` requests hold slots. */
export function standinPrefillMs(t: Timing, promptTokens: number, active: number): number {
  if (t.prefillTokenMs === undefined) return t.promptEvalMs
  return promptTokens * standinStep(t, 'prefill', promptTokens, active)
}

export interface StandinTruth {
  /** Σ output tokens ÷ round wall time, tokens/s. */
  aggregateTps: number
  /** Client TTFT of each request, ms, ignoring HTTP. */
  ttftMs: number[]
  ttftP95Ms: number
  /** (e2e − ttft) / (tokens − 1), ms. */
  tpotMs: number
  /** Output tokens ÷ eval_duration of one request, tokens/s. */
  decodeTps: number
  /** Prompt tokens ÷ prompt_eval_duration, tokens/s. */
  prefillTps: number
  /** Most requests decoding at once. */
  concurrency: number
}

/**
 * What a round of `c` identical requests sent at once should measure on a warm stand-in with
 * `parallel` slots: they are served in waves of `parallel`, each wave in lockstep.
 */
export function standinTruth(
  t: Timing,
  opts: { c: number; parallel?: number; promptTokens: number; outputTokens: number }
): StandinTruth {
  const p = Math.min(opts.parallel ?? Infinity, opts.c)
  const n = opts.outputTokens
  const ttftMs: number[] = []
  let clock = 0
  let tpot = 0
  let decode = 0
  let prefill = 0
  for (let left = opts.c; left > 0; left -= p) {
    const wave = Math.min(p, left)
    const pre = standinPrefillMs(t, opts.promptTokens, wave)
    const step = standinStep(t, 'decode', opts.promptTokens, wave)
    for (let i = 0; i < wave; i++) ttftMs.push(clock + t.warmLoadMs + pre)
    clock += t.warmLoadMs + pre + Math.max(0, n - 1) * step
    if (left === opts.c) {
      tpot = step
      decode = 1000 / step
      prefill = (opts.promptTokens / pre) * 1000
    }
  }
  const sorted = [...ttftMs].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * 0.95
  const lo = sorted[Math.floor(pos)] ?? 0
  const hi = sorted[Math.ceil(pos)] ?? lo
  return {
    aggregateTps: ((opts.c * n) / clock) * 1000,
    ttftMs,
    ttftP95Ms: lo + (hi - lo) * (pos - Math.floor(pos)),
    tpotMs: tpot,
    decodeTps: decode,
    prefillTps: prefill,
    concurrency: p
  }
}

export async function startOllamaStandin(
  models: StandinModel[] = [standinModel()],
  opts: StandinServerOptions = {}
): Promise<OllamaStandin> {
  const registry = new Map(models.map((m) => [m.name, m]))
  const loaded = new Map<string, Loaded>()
  const faults: PendingFault[] = []
  const requests: RecordedRequest[] = []
  const streams = new Set<http.ServerResponse>()
  const hung = new Set<http.ServerResponse>()
  const state = { version: opts.version ?? '0.12.6' }
  const parallel = opts.parallel ?? Infinity
  const maxQueue = opts.maxQueue ?? 512
  let active = 0
  let peak = 0
  const waiting: Array<() => void> = []
  /** Resolves once the request holds a slot; false when the queue is full. */
  const takeSlot = async (): Promise<boolean> => {
    if (active < parallel) {
      active++
      peak = Math.max(peak, active)
      return true
    }
    if (waiting.length >= maxQueue) return false
    await new Promise<void>((resolve) => waiting.push(resolve))
    peak = Math.max(peak, active)
    return true
  }
  const releaseSlot = (): void => {
    const next = waiting.shift()
    // The slot passes straight to the next request in line, so `active` stays the same.
    if (next) next()
    else active--
  }

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
    const slots = Number.isFinite(parallel) ? parallel : 1
    const size = m.size + (m.kvBytesPerToken ?? 0) * l.numCtx * slots
    const inVram = opts.vramBytes !== undefined ? Math.min(size, opts.vramBytes) : size
    return {
      name: m.name,
      model: m.name,
      size,
      digest: m.digest,
      details: m.details,
      expires_at: new Date(Date.now() + 5 * 60_000).toISOString(),
      size_vram: m.sizeVram ?? inVram,
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
    const found = model
    if (!isLoadOnly && !(await takeSlot())) {
      return sendJson(res, 503, {
        error: 'server busy, please try again.  maximum pending requests exceeded'
      })
    }
    try {
      await serve()
    } finally {
      if (!isLoadOnly) releaseSlot()
    }

    async function serve(): Promise<void> {
      const queuedUntil = performance.now()
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

      const scripted = found.script?.length ? (found.script.shift() ?? '') : found.answer?.(prompt)
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
      const promptTokens = promptWords(prompt) + (endpoint === 'chat' ? 6 : 1)
      let promptEvalMs = t.promptEvalMs

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
      let firstAt = queuedUntil + loadMs + promptEvalMs
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
      if (t.prefillTokenMs !== undefined) {
        // Evaluated in slices, each as slow as the slots in use then make it: requests that
        // arrive together share the GPU from their first slice on.
        await sleepUntil(queuedUntil + loadMs)
        firstAt = queuedUntil + loadMs
        promptEvalMs = 0
        for (let slice = 0; slice < PREFILL_SLICES; slice++) {
          const d =
            (promptTokens / PREFILL_SLICES) * standinStep(t, 'prefill', promptTokens, active)
          firstAt += d
          promptEvalMs += d
          await sleepUntil(firstAt)
          if (res.destroyed) return
        }
      }
      await sleepUntil(firstAt)
      if (res.destroyed) return
      if (!t.leadingEmptyChunk) open()

      const textChunks = t.textInDoneChunk ? evalCount - 1 : evalCount
      let sent = 0
      // Each token waits as long as the slots in use at that moment make it: a request sharing the
      // GPU with others decodes slower, and speeds up again when they finish.
      let at = firstAt
      let evalMs = 0
      const step = (): number => standinStep(t, 'decode', promptTokens, active)
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
        if (i > 0) {
          const s = step()
          at += s
          evalMs += s
        }
        await sleepUntil(at)
        if (res.destroyed) return
        write({ ...base, created_at: new Date().toISOString(), ...piece(i), done: false })
        sent++
      }
      for (let i = Math.max(1, textChunks); i < evalCount; i++) {
        const s = step()
        at += s
        evalMs += s
      }
      await sleepUntil(at)
      if (res.destroyed) return
      // eval_duration covers every token, the first one's step included, as a real server counts it.
      evalMs += evalCount > 0 ? step() : 0
      const lastText = t.textInDoneChunk && evalCount > 0 ? piece(evalCount - 1) : { ...emptyText }
      const metrics =
        fault?.kind === 'no-metrics'
          ? {}
          : {
              total_duration: ns(loadMs + promptEvalMs + evalMs + 0.5),
              load_duration: ns(loadMs),
              prompt_eval_count: promptTokens,
              prompt_eval_duration: ns(promptEvalMs),
              eval_count: evalCount,
              eval_duration: ns(evalMs)
            }
      write({ ...base, ...lastText, done: true, done_reason: doneReason, ...metrics })
      res.end()
      if (keepAlive === 0) loaded.delete(name)
    }
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
    peakActive: () => peak,
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
