import { CONFIG_DEFAULTS } from '../config/schema.js'
import type { OllamaBenchmark } from '../config/types.js'
import { UserError } from '../errors.js'
import type { Fingerprint } from '../results/environment.js'
import { mergeFingerprint } from '../results/environment.js'
import type { Benchmark, Metric } from '../results/model.js'
import { ollamaFingerprint } from './fingerprint.js'
import { DEFAULT_STALL_SECONDS, loadPrompts, plan } from './ollama.js'
import { OllamaServer, resolveHost } from './ollama-client.js'
import { OllamaFailure } from './ollama-errors.js'
import {
  OLLAMA_METRICS,
  PER_RUN_METRICS,
  buildOllamaMetrics,
  hasMetrics,
  runSamples
} from './ollama-metrics.js'
import { streamOnce, type RunRecord } from './ollama-stream.js'
import { applyMetricOverrides } from './shape.js'

/*
 * One arm of an A/B run of an `ollama` benchmark: the base's or the head's spec, sending its
 * requests to the server one at a time as the schedule calls them, so the two arms alternate on
 * the same server and share its heat, its other clients and its clock. A visit is one request.
 * GPU sampling and the run-to-run anomaly notes belong to a whole run (`runOllamaBenchmark`) and
 * are left out here.
 */

export interface OllamaArm {
  /** The server this arm sends to. */
  host: string
  /** The cold run, then the warm-ups. */
  prepare(): Promise<void>
  /** One measured request, as a one-sample benchmark. */
  visit(label: string): Promise<Benchmark[]>
  /** Every request so far as the benchmark a whole run would report. */
  result(): Benchmark[]
}

export async function openOllamaArm(
  spec: OllamaBenchmark,
  tree: string,
  opts: { env?: NodeJS.ProcessEnv; defaultTimeoutSeconds?: number; fingerprint?: Fingerprint }
): Promise<OllamaArm> {
  const fail = (e: unknown): never => {
    if (e instanceof OllamaFailure) {
      throw new UserError(`benchmark '${spec.name}' (${tree}): ${e.message}`)
    }
    throw e
  }
  const env = opts.env ?? process.env
  const host = resolveHost(spec.host, env)
  let send: (label: string, k: number) => Promise<RunRecord>
  try {
    const prompts = await loadPrompts(spec)
    const server = new OllamaServer(host, spec.model, 30_000)
    const version = await server.version()
    const facts = await server.modelFacts()
    const { request, numCtx } = plan(spec, facts)
    const limits = {
      timeoutMs:
        (spec.timeoutSeconds ?? opts.defaultTimeoutSeconds ?? CONFIG_DEFAULTS.timeoutSeconds) *
        1000,
      stallMs: (spec.stallTimeoutSeconds ?? DEFAULT_STALL_SECONDS) * 1000
    }
    if (opts.fingerprint) {
      mergeFingerprint(
        opts.fingerprint,
        ollamaFingerprint(spec.name, version, facts, { api: request.api, numCtx })
      )
    }
    send = async (label, k) => {
      // A distinct start per request keeps the server's prefix cache from skipping prompt work.
      const prompt = `[${k}] ${prompts[(k - 1) % prompts.length] ?? ''}`
      const record = await streamOnce(host, { ...request, prompt }, limits, label)
      if (!hasMetrics(record.final)) {
        throw new OllamaFailure(
          'no-metrics',
          `${label}: the final chunk from ${host} carried no metrics; is this Ollama's native API?`
        )
      }
      return record
    }
  } catch (e) {
    return fail(e)
  }
  const records: { cold: RunRecord | null; warmups: RunRecord[]; measured: RunRecord[] } = {
    cold: null,
    warmups: [],
    measured: []
  }
  let k = 0
  return {
    host,
    async prepare() {
      try {
        records.cold = await send('cold run', ++k)
        for (let i = 1; i <= spec.warmup; i++) {
          records.warmups.push(await send(`warm-up ${i}/${spec.warmup}`, ++k))
        }
      } catch (e) {
        fail(e)
      }
    },
    async visit(label) {
      let record: RunRecord
      try {
        record = await send(label, ++k)
      } catch (e) {
        return fail(e)
      }
      records.measured.push(record)
      const samples = runSamples(record)
      const metrics: Metric[] = []
      for (const name of PER_RUN_METRICS) {
        const value = samples[name]
        if (value === undefined) continue
        const def = OLLAMA_METRICS[name]
        metrics.push({
          name,
          unit: def.unit,
          direction: def.direction,
          class: spec.class,
          samples: [value],
          ...('gate' in def ? { gate: def.gate } : {})
        })
      }
      const source = { kind: 'ollama' as const, format: spec.api ?? 'generate' }
      return [applyMetricOverrides({ name: spec.name, source, metrics }, spec)]
    },
    result() {
      const cold = records.cold
      if (!cold) return []
      const { metrics } = buildOllamaMetrics({
        cls: spec.class,
        cold,
        warmups: records.warmups,
        measured: records.measured
      })
      const source = { kind: 'ollama' as const, format: spec.api ?? 'generate' }
      return [applyMetricOverrides({ name: spec.name, source, metrics }, spec)]
    }
  }
}
