import { errorMessage } from '../errors.js'

export type FailureKind =
  | 'unreachable'
  | 'not-found'
  | 'http'
  | 'stream-error'
  | 'truncated'
  | 'stall'
  | 'timeout'
  | 'no-metrics'
  | 'bad-prompt'

/** A failure talking to Ollama, worded for the user; the runner prefixes the benchmark's name. */
export class OllamaFailure extends Error {
  override readonly name = 'OllamaFailure'
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** The HTTP status of an `http` failure. */
    readonly status?: number
  ) {
    super(message)
  }
}

/** A refusal under load (503 queue full, 429): a result of the measurement, not a failure of it. */
export function isRefusal(e: unknown): e is OllamaFailure {
  return e instanceof OllamaFailure && e.kind === 'http' && (e.status === 503 || e.status === 429)
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE'
])

// ollama-js throws exactly this when the body ends without a `done` chunk.
const NO_DONE = 'Did not receive done or success response in stream.'

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code === 'string') return code
  const cause = (e as { cause?: unknown } | null)?.cause
  return cause && cause !== e ? errorCode(cause) : undefined
}

function statusOf(e: unknown): number | undefined {
  if ((e as { name?: unknown } | null)?.name !== 'ResponseError') return undefined
  const status = (e as { status_code?: unknown }).status_code
  return typeof status === 'number' ? status : undefined
}

export interface FailureContext {
  host: string
  model: string
  /** What was being asked, e.g. "/api/show" or "run 3/10". */
  what: string
  /** Chunks received before the failure; set for streamed completions only. */
  chunks?: number
}

/**
 * Turns whatever ollama-js or the socket threw into one message. Aborts the runner caused itself
 * (stall, deadline) are worded by the caller, which knows the limits; this covers the rest.
 */
export function describeFailure(e: unknown, ctx: FailureContext): OllamaFailure {
  if (e instanceof OllamaFailure) return e
  const status = statusOf(e)
  const message = errorMessage(e)
  if (status === 404 && /not found/i.test(message)) {
    return new OllamaFailure(
      'not-found',
      `model '${ctx.model}' is not on the Ollama server at ${ctx.host} (${message}); pull it first with 'ollama pull ${ctx.model}'`
    )
  }
  if (status !== undefined) {
    return new OllamaFailure(
      'http',
      `${ctx.what}: the Ollama server at ${ctx.host} answered HTTP ${status}: ${message}`,
      status
    )
  }
  const code = errorCode(e)
  // Only a metadata call (no chunk count) can find the server absent; a completion comes after
  // those succeeded, so a connection failing there means the server went away mid-benchmark.
  if (code && CONNECT_CODES.has(code) && ctx.chunks === undefined) {
    return new OllamaFailure(
      'unreachable',
      `cannot reach the Ollama server at ${ctx.host} (${code}); start it with 'ollama serve', or set 'host' in the config or OLLAMA_HOST`
    )
  }
  if (message === NO_DONE || code) {
    return new OllamaFailure(
      'truncated',
      `${ctx.what}: the stream from ${ctx.host} ended after ${ctx.chunks ?? 0} chunks without its final chunk (${code ?? 'connection closed'}); did the server crash or restart?`
    )
  }
  // An {"error": …} line on a 200 stream reaches us as a plain Error with the server's text;
  // anything else is named, so a bug on our side does not pass for the server's words.
  const plain = e instanceof Error && e.constructor === Error
  const text = plain || !(e instanceof Error) ? message : `${e.name}: ${message}`
  return new OllamaFailure(
    'stream-error',
    `${ctx.what}: the Ollama server reported an error${ctx.chunks ? ` after ${ctx.chunks} chunks` : ''}: ${text}`
  )
}
