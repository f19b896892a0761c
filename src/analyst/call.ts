import type { AnalystCallMetrics } from '../types/report.js'
import type { AnalystFacts } from './facts.js'
import { ANSWER_SCHEMA, SYSTEM_PROMPT } from './schema.js'

/**
 * The part of an ollama-js client the analyst needs; an `Ollama` instance fits, and tests may pass
 * anything that streams chat chunks.
 */
export interface AnalystClient {
  chat(request: {
    model: string
    messages: Array<{ role: 'system' | 'user'; content: string }>
    format: object
    stream: true
    think?: boolean
    keep_alive?: string | number
    options: Record<string, number>
  }): Promise<AsyncIterable<object>>
}

export interface ModelAnswer {
  content: string
  metrics: AnalystCallMetrics
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** One streamed, structured chat call, timed like a benchmark run (TTFT from the first text). */
export async function askModel(
  client: AnalystClient,
  model: string,
  facts: AnalystFacts,
  clock: () => number = () => performance.now()
): Promise<ModelAnswer> {
  const t0 = clock()
  const stream = await client.chat({
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: JSON.stringify(facts) }
    ],
    format: ANSWER_SCHEMA,
    stream: true,
    think: false,
    // Deterministic sampling: the same facts should read the same on a rerun.
    options: { temperature: 0, seed: 42, num_predict: 1024 }
  })
  let content = ''
  let ttft: number | undefined
  let final: Record<string, unknown> = {}
  for await (const part of stream) {
    const chunk = part as Record<string, unknown>
    const message = chunk.message as { content?: unknown } | undefined
    const text = typeof message?.content === 'string' ? message.content : ''
    if (text && ttft === undefined) ttft = clock() - t0
    content += text
    if (chunk.done === true) {
      final = chunk
      break
    }
  }
  const e2eMs = clock() - t0
  const ns = (k: string): number | undefined => {
    const v = num(final[k])
    return v === undefined ? undefined : v / 1e6
  }
  const evalCount = num(final.eval_count)
  const evalNs = num(final.eval_duration)
  const metrics: AnalystCallMetrics = { e2eMs }
  if (ttft !== undefined) metrics.ttftMs = ttft
  if (evalCount !== undefined) metrics.outputTokens = evalCount
  if (evalCount !== undefined && evalNs && evalNs > 0)
    metrics.decodeTps = (evalCount / evalNs) * 1e9
  const prompt = num(final.prompt_eval_count)
  if (prompt !== undefined) metrics.promptTokens = prompt
  const load = ns('load_duration')
  if (load !== undefined) metrics.loadMs = load
  const pe = ns('prompt_eval_duration')
  if (pe !== undefined) metrics.promptEvalMs = pe
  const ev = ns('eval_duration')
  if (ev !== undefined) metrics.evalMs = ev
  const total = ns('total_duration')
  if (total !== undefined) metrics.totalMs = total
  return { content, metrics }
}
