import { Ollama } from 'ollama'
import { createOllamaFetch } from './ollama-fetch.js'
import { OllamaFailure, describeFailure } from './ollama-errors.js'

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434'

/** Config first, then OLLAMA_HOST (which ollama-js itself ignores), then the local default. */
export function resolveHost(configured: string | undefined, env: NodeJS.ProcessEnv): string {
  let raw = configured?.trim() || env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST
  // OLLAMA_HOST=:11434 is valid for the server: every interface, that port.
  if (raw.startsWith(':')) raw = `127.0.0.1${raw}`
  const withScheme = raw.includes('://') ? raw : `http://${raw}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new OllamaFailure('unreachable', `'${raw}' is not a usable Ollama host`)
  }
  // The server binds to 0.0.0.0 with OLLAMA_HOST=0.0.0.0; as a client we reach it on loopback.
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1'
  if (!url.port && !raw.includes('://')) url.port = '11434'
  return url.href.replace(/\/+$/, '')
}

/** What the server says about a model: the fingerprint and the Modelfile's context size. */
export interface ModelFacts {
  name: string
  digest?: string
  family?: string
  parameterSize?: string
  quantization?: string
  /** `num_ctx` from the Modelfile's PARAMETER lines, if it sets one. */
  modelfileNumCtx?: number
  capabilities: string[]
}

/** One entry of /api/ps, with the fields ollama-js's type leaves out. */
export interface LoadedModel {
  name: string
  size?: number
  sizeVram?: number
  contextLength?: number
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** "llama3.2" and "llama3.2:latest" are the same model to the server. */
export function sameModel(a: string, b: string): boolean {
  const full = (s: string): string => (s.includes(':') ? s : `${s}:latest`)
  return full(a) === full(b)
}

export function parseModelfileNumCtx(parameters: unknown): number | undefined {
  if (typeof parameters !== 'string') return undefined
  const m = /^\s*num_ctx\s+(\d+)\s*$/m.exec(parameters)
  return m ? Number(m[1]) : undefined
}

/**
 * The non-streamed calls. Each gets its own deadline, because ollama-js offers no signal for them
 * and a server that accepts the connection but never answers would otherwise hang the job.
 */
export class OllamaServer {
  constructor(
    readonly host: string,
    private readonly model: string,
    private readonly timeoutMs: number
  ) {}

  private async call<T>(what: string, fn: (client: Ollama) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.timeoutMs)
    const client = new Ollama({
      host: this.host,
      fetch: createOllamaFetch({ signal: controller.signal })
    })
    try {
      return await fn(client)
    } catch (e) {
      if (controller.signal.aborted) {
        throw new OllamaFailure(
          'timeout',
          `the Ollama server at ${this.host} did not answer ${what} within ${this.timeoutMs / 1000} s`
        )
      }
      throw describeFailure(e, { host: this.host, model: this.model, what })
    } finally {
      clearTimeout(timer)
    }
  }

  async version(): Promise<string> {
    const v = await this.call('/api/version', (c) => c.version())
    return str(v.version) ?? 'unknown'
  }

  async modelFacts(): Promise<ModelFacts> {
    const show = await this.call('/api/show', (c) => c.show({ model: this.model }))
    const tags = await this.call('/api/tags', (c) => c.list())
    const tag = tags.models.find(
      (m) => sameModel(m.name, this.model) || sameModel(m.model, this.model)
    )
    const details = (show.details ?? tag?.details ?? {}) as unknown as Record<string, unknown>
    const facts: ModelFacts = {
      name: this.model,
      capabilities: Array.isArray(show.capabilities) ? show.capabilities.map(String) : []
    }
    const digest = str(tag?.digest)
    if (digest) facts.digest = digest
    const family = str(details.family)
    if (family) facts.family = family
    const size = str(details.parameter_size)
    if (size) facts.parameterSize = size
    const quant = str(details.quantization_level)
    if (quant) facts.quantization = quant
    const ctx = parseModelfileNumCtx(show.parameters)
    if (ctx !== undefined) facts.modelfileNumCtx = ctx
    return facts
  }

  async loaded(): Promise<LoadedModel[]> {
    const ps = await this.call('/api/ps', (c) => c.ps())
    return (ps.models as unknown as Record<string, unknown>[]).map((m) => {
      const entry: LoadedModel = { name: str(m.name) ?? str(m.model) ?? '?' }
      const size = num(m.size)
      if (size !== undefined) entry.size = size
      const vram = num(m.size_vram)
      if (vram !== undefined) entry.sizeVram = vram
      const ctx = num(m.context_length)
      if (ctx !== undefined) entry.contextLength = ctx
      return entry
    })
  }

  /** An empty prompt with keep_alive 0 is the documented way to unload a model. */
  async unload(model: string): Promise<void> {
    await this.call(`unloading ${model}`, (c) =>
      c.generate({ model, prompt: '', keep_alive: 0, stream: false })
    )
  }

  /**
   * Unloads every resident model, so the cold run is cold and the VRAM baseline holds no model.
   * Returns the models that were unloaded and those still resident after `waitMs`.
   */
  async unloadAll(waitMs: number, pollMs = 100): Promise<{ unloaded: string[]; left: string[] }> {
    const resident = await this.loaded()
    for (const m of resident) await this.unload(m.name)
    let left = resident.length ? (await this.loaded()).map((m) => m.name) : []
    const until = performance.now() + waitMs
    while (left.length && performance.now() < until) {
      await new Promise((r) => setTimeout(r, pollMs))
      left = (await this.loaded()).map((m) => m.name)
    }
    return { unloaded: resident.map((m) => m.name), left }
  }
}
