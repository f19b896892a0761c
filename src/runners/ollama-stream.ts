import { Ollama } from 'ollama'
import { createOllamaFetch } from './ollama-fetch.js'
import { OllamaFailure, describeFailure } from './ollama-errors.js'

export type OllamaApi = 'generate' | 'chat'

export interface StreamRequest {
  api: OllamaApi
  model: string
  prompt: string
  options: Record<string, number | boolean | string>
  think?: boolean | 'low' | 'medium' | 'high'
  keepAlive: string | number
}

export interface StreamLimits {
  /** The whole request, including a cold load before the first byte. */
  timeoutMs: number
  /** Longest silence once the response has started. */
  stallMs: number
}

/** The server's numbers from the final chunk, in its units (nanoseconds, tokens). */
export interface FinalChunk {
  doneReason?: string
  totalDuration?: number
  loadDuration?: number
  promptEvalCount?: number
  promptEvalDuration?: number
  evalCount?: number
  evalDuration?: number
}

export interface RunRecord {
  /** performance.now() when the request was sent: rounds line requests up by it. */
  startedAt: number
  /** The answer as streamed (thinking left out), for `expect:`. */
  text: string
  /** Request start to the first chunk carrying text (answer, thinking or a tool call). */
  clientTtftMs?: number
  /** Request start to the final chunk. */
  e2eMs: number
  chunks: number
  /** Chunks that carried thinking; their tokens count in eval_count. */
  thinkingChunks: number
  final: FinalChunk
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** ollama-js types every metric as present; the server omits zero values (omitempty). */
export function readFinal(chunk: Record<string, unknown>): FinalChunk {
  const out: FinalChunk = {}
  if (typeof chunk.done_reason === 'string' && chunk.done_reason) out.doneReason = chunk.done_reason
  const fields: [keyof FinalChunk, string][] = [
    ['totalDuration', 'total_duration'],
    ['loadDuration', 'load_duration'],
    ['promptEvalCount', 'prompt_eval_count'],
    ['promptEvalDuration', 'prompt_eval_duration'],
    ['evalCount', 'eval_count'],
    ['evalDuration', 'eval_duration']
  ]
  for (const [key, field] of fields) {
    const v = num(chunk[field])
    if (v !== undefined) (out as Record<string, number>)[key] = v
  }
  return out
}

function chunkContent(chunk: Record<string, unknown>): {
  text: boolean
  thinking: boolean
  answer: string
} {
  const message = chunk.message as Record<string, unknown> | undefined
  const thinking = Boolean(chunk.thinking) || Boolean(message?.thinking)
  const toolCalls = Array.isArray(message?.tool_calls) && message.tool_calls.length > 0
  const answer =
    typeof chunk.response === 'string'
      ? chunk.response
      : typeof message?.content === 'string'
        ? message.content
        : ''
  return {
    text: Boolean(answer) || toolCalls || thinking,
    thinking,
    answer
  }
}

/**
 * One streamed request, timed on the client. The clock starts before the call, since ollama-js
 * resolves only once the headers arrive, and Ollama sends them with the first chunk. Each request
 * gets its own client and abort signal: aborting one stream must not touch another.
 */
export async function streamOnce(
  host: string,
  req: StreamRequest,
  limits: StreamLimits,
  what: string
): Promise<RunRecord> {
  const controller = new AbortController()
  let stopped: 'stall' | 'timeout' | undefined
  const stop = (why: 'stall' | 'timeout'): void => {
    stopped ??= why
    controller.abort()
  }
  const deadline = setTimeout(() => stop('timeout'), limits.timeoutMs)
  let stall: NodeJS.Timeout | undefined
  // Restarted on every chunk; refresh() reuses one timer instead of one per token.
  const armStall = (): void => {
    if (stall) stall.refresh()
    else stall = setTimeout(() => stop('stall'), limits.stallMs)
  }
  const client = new Ollama({ host, fetch: createOllamaFetch({ signal: controller.signal }) })
  const common = {
    model: req.model,
    stream: true as const,
    keep_alive: req.keepAlive,
    options: req.options,
    ...(req.think !== undefined ? { think: req.think } : {})
  }
  let chunks = 0
  let thinkingChunks = 0
  let firstText: number | undefined
  let text = ''
  const t0 = performance.now()
  try {
    const stream =
      req.api === 'generate'
        ? await client.generate({ ...common, prompt: req.prompt })
        : await client.chat({ ...common, messages: [{ role: 'user', content: req.prompt }] })
    armStall()
    for await (const part of stream) {
      const now = performance.now()
      chunks++
      armStall()
      const chunk = part as unknown as Record<string, unknown>
      const content = chunkContent(chunk)
      if (content.thinking) thinkingChunks++
      if (content.text && firstText === undefined) firstText = now
      text += content.answer
      if (chunk.done === true) {
        const record: RunRecord = {
          startedAt: t0,
          text,
          e2eMs: now - t0,
          chunks,
          thinkingChunks,
          final: readFinal(chunk)
        }
        if (firstText !== undefined) record.clientTtftMs = firstText - t0
        return record
      }
    }
    // ollama-js throws rather than end without `done`; this guards a change in that.
    throw new Error('Did not receive done or success response in stream.')
  } catch (e) {
    if (stopped === 'stall') {
      throw new OllamaFailure(
        'stall',
        `${what}: the stream stalled: nothing for ${limits.stallMs / 1000} s after ${chunks} chunks, so the request was aborted (raise 'stall-timeout' if the server is just slow)`
      )
    }
    if (stopped === 'timeout') {
      throw new OllamaFailure(
        'timeout',
        `${what}: no complete answer within ${limits.timeoutMs / 1000} s (${chunks} chunks so far), so the request was aborted (raise 'timeout' for long generations or cold loads)`
      )
    }
    throw describeFailure(e, { host, model: req.model, what, chunks })
  } finally {
    clearTimeout(deadline)
    clearTimeout(stall)
    // Frees the socket of a stream we left early; a no-op once the response has ended.
    controller.abort()
  }
}
