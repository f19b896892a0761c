import { Ollama } from 'ollama'
import type { ResultSet } from '../results/model.js'
import { resolveHost } from '../runners/ollama-client.js'
import { createOllamaFetch } from '../runners/ollama-fetch.js'
import type { AnalystSection, GateReport } from '../types/report.js'
import type { AnalystClient } from './call.js'
import { deterministicSection } from './deterministic.js'
import { buildFacts } from './facts.js'
import { runAnalyst } from './index.js'

export const DEFAULT_ANALYST_TIMEOUT_MS = 180_000

export interface AnalystOptions {
  model: string
  /** Default: a client for OLLAMA_HOST (or the local server). */
  client?: AnalystClient
  host?: string
  timeoutMs?: number
}

/**
 * The report's narrative: the model's, grounded in the facts, when `analyst` names one; the
 * deterministic summary otherwise, or when the model cannot be reached. Runs after the verdict,
 * which it never changes.
 */
export async function analystSection(
  input: { report: GateReport; current: ResultSet; baseline: ResultSet | null },
  analyst: AnalystOptions | undefined,
  opts: { clock?: () => number; env?: NodeJS.ProcessEnv } = {}
): Promise<AnalystSection> {
  const facts = buildFacts(input.report, input.current, input.baseline)
  if (!analyst) return deterministicSection(facts)
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(),
    analyst.timeoutMs ?? DEFAULT_ANALYST_TIMEOUT_MS
  )
  try {
    const client =
      analyst.client ??
      new Ollama({
        host: resolveHost(analyst.host, opts.env ?? process.env),
        fetch: createOllamaFetch({ signal: controller.signal })
      })
    const run = await runAnalyst({
      client,
      model: analyst.model,
      facts,
      ...(opts.clock ? { clock: opts.clock } : {})
    })
    return run.section
  } catch (e) {
    // resolveHost rejects a malformed host; the narrative is optional, so it only says so.
    return deterministicSection(
      facts,
      `the analyst could not run: ${e instanceof Error ? e.message : String(e)}`
    )
  } finally {
    clearTimeout(timer)
  }
}
