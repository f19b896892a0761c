import { readFile } from 'node:fs/promises'
import { CONFIG_DEFAULTS } from '../config/schema.js'
import { resolveThresholds } from '../config/thresholds.js'
import type { OllamaBenchmark, PerfGateConfig } from '../config/types.js'
import { UserError, errorMessage } from '../errors.js'
import type { Benchmark, Metric } from '../results/model.js'
import type { Fingerprint } from '../results/environment.js'
import { gpuFingerprint, ollamaFingerprint } from './fingerprint.js'
import { mergeFingerprint } from '../results/environment.js'
import type { GpuTick } from './gpu-parse.js'
import {
  queryInventory,
  startGpuSampler,
  type GpuInventory,
  type GpuSampler
} from './gpu-sampler.js'
import { gpuFigures, gpuMetrics } from './gpu-summary.js'
import {
  coldRunAnomaly,
  contextAnomaly,
  loadTimeAnomaly,
  offloadAnomaly,
  outputAnomalies,
  spreadAnomalies,
  thinkingAnomaly
} from './ollama-anomalies.js'
import { OllamaServer, resolveHost, sameModel, type ModelFacts } from './ollama-client.js'
import { OllamaFailure } from './ollama-errors.js'
import { buildOllamaMetrics, hasMetrics, runSamples } from './ollama-metrics.js'
import {
  streamOnce,
  type RunRecord,
  type StreamLimits,
  type StreamRequest
} from './ollama-stream.js'
import { progressLine, type Reporter } from './progress.js'
import { applyMetricOverrides } from './shape.js'

/** Ollama's own context default depends on total VRAM (4k to 256k); pinning it keeps runs comparable. */
export const DEFAULT_NUM_CTX = 4096
/** Long enough that the model cannot expire between runs, short enough to free a shared runner. */
export const DEFAULT_KEEP_ALIVE = '10m'
/** A decoding server never pauses this long between tokens; a stuck one would hang the job. */
export const DEFAULT_STALL_SECONDS = 60

export interface OllamaRunOptions {
  env?: NodeJS.ProcessEnv
  /** The config's budgets, for the run-to-run spread check; default: the class defaults. */
  thresholds?: PerfGateConfig['thresholds']
  /** Used when the benchmark sets no `timeout`. */
  defaultTimeoutSeconds?: number
  /** Receives the fingerprint keys (Ollama version, model digest, GPUs, …). */
  fingerprint?: Fingerprint
  /** nvidia-smi to run; null turns GPU sampling off. Default: $PERF_GATE_NVIDIA_SMI, else PATH. */
  nvidiaSmi?: string | null
  gpuIntervalMs?: number
  /** Deadline of each non-streamed call (version, show, tags, ps, unload). */
  metadataTimeoutMs?: number
  /** How long unloaded models may take to leave /api/ps. */
  unloadWaitMs?: number
}

// One notice per job about a missing nvidia-smi, not one per benchmark.
const gpuNoticeGiven = new WeakSet<Reporter>()

function integerOption(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined
}

export async function loadPrompts(spec: OllamaBenchmark): Promise<string[]> {
  if (spec.prompts.length) return spec.prompts
  if (!spec.promptFile) throw new OllamaFailure('bad-prompt', 'no prompt is configured')
  let text: string
  try {
    text = await readFile(spec.promptFile, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code
    throw new OllamaFailure(
      'bad-prompt',
      `cannot read the prompt file ${spec.promptFile}: ${code ?? errorMessage(e)}`
    )
  }
  if (!text.trim()) {
    throw new OllamaFailure('bad-prompt', `the prompt file ${spec.promptFile} is empty`)
  }
  return [text.replace(/\s+$/, '')]
}

function defaultThresholds(): PerfGateConfig['thresholds'] {
  return {
    core: { ...CONFIG_DEFAULTS.thresholds.core },
    nonCritical: { ...CONFIG_DEFAULTS.thresholds.nonCritical },
    metrics: {}
  }
}

export interface Plan {
  request: Omit<StreamRequest, 'prompt'>
  numCtx: number
  notes: string[]
}

export function plan(spec: OllamaBenchmark, facts: ModelFacts): Plan {
  const { think, ...modelOptions } = spec.options
  const notes: string[] = []
  let numCtx = integerOption(modelOptions.num_ctx)
  if (numCtx === undefined) {
    numCtx = facts.modelfileNumCtx ?? DEFAULT_NUM_CTX
    notes.push(
      `num-ctx: options.num_ctx is not set; sent ${numCtx} (${facts.modelfileNumCtx !== undefined ? "the model's Modelfile value" : 'perf-gate default'}) so the server cannot pick one from the VRAM size. Set it to pin what is measured`
    )
  }
  const request: Plan['request'] = {
    api: spec.api ?? 'generate',
    model: spec.model,
    options: { ...modelOptions, num_ctx: numCtx },
    keepAlive: spec.keepAlive ?? DEFAULT_KEEP_ALIVE
  }
  if (typeof think === 'boolean' || think === 'low' || think === 'medium' || think === 'high') {
    request.think = think
  }
  return { request, numCtx, notes }
}

/** Runs one `ollama` benchmark: a cold run, warm-ups, measured runs; see docs/ollama.md. */
export async function runOllamaBenchmark(
  spec: OllamaBenchmark,
  reporter: Reporter,
  opts: OllamaRunOptions = {}
): Promise<Benchmark[]> {
  try {
    return await measure(spec, reporter, opts)
  } catch (e) {
    if (e instanceof OllamaFailure) throw new UserError(`benchmark '${spec.name}': ${e.message}`)
    throw e
  }
}

async function measure(
  spec: OllamaBenchmark,
  reporter: Reporter,
  opts: OllamaRunOptions
): Promise<Benchmark[]> {
  const env = opts.env ?? process.env
  const host = resolveHost(spec.host, env)
  const prompts = await loadPrompts(spec)
  const server = new OllamaServer(host, spec.model, opts.metadataTimeoutMs ?? 30_000)
  const version = await server.version()
  const facts = await server.modelFacts()
  const { request, numCtx, notes } = plan(spec, facts)
  const limits = {
    timeoutMs:
      (spec.timeoutSeconds ?? opts.defaultTimeoutSeconds ?? CONFIG_DEFAULTS.timeoutSeconds) * 1000,
    stallMs: (spec.stallTimeoutSeconds ?? DEFAULT_STALL_SECONDS) * 1000
  }
  reporter.info(
    `  ${spec.name}: ${spec.model} (${[facts.parameterSize, facts.quantization].filter(Boolean).join(' ') || 'details unknown'}${facts.digest ? `, ${facts.digest.slice(0, 12)}` : ''}) on ${host}, Ollama ${version}, num_ctx ${numCtx}, ${request.api}`
  )

  // Unload first: the cold run must be cold and the VRAM baseline must hold no model.
  const unload = await server.unloadAll(opts.unloadWaitMs ?? 10_000)
  const others = unload.unloaded.filter((m) => !sameModel(m, spec.model))
  if (others.length) reporter.info(`  ${spec.name}: unloaded ${others.join(', ')} first`)
  if (unload.left.length) {
    notes.push(
      `vram-baseline: ${unload.left.join(', ')} stayed loaded after keep_alive 0, so the VRAM baseline and the cold load may be off`
    )
  }

  const gpu = await startGpu(opts, env, reporter, notes)
  let runs: Runs
  let gpuResult: { ticks: GpuTick[]; problem?: string } | undefined
  try {
    runs = await runSequence(spec, host, { request, prompts, limits }, reporter)
  } finally {
    gpuResult = await gpu?.sampler.stop()
  }
  const { cold, warmups, measured } = runs

  const resident = (await server.loaded()).find((m) => sameModel(m.name, spec.model))
  const { metrics: llm, missing } = buildOllamaMetrics({ cls: spec.class, cold, warmups, measured })
  if (missing.length) {
    notes.push(
      `missing-metrics: the server reported no ${missing.join(', ')} (it omits zero values), so those metrics are left out`
    )
  }
  notes.push(
    ...loadTimeAnomaly(cold, [...warmups, ...measured]),
    ...outputAnomalies(measured, integerOption(request.options.num_predict)),
    ...thinkingAnomaly([cold, ...warmups, ...measured], request.think),
    ...coldRunAnomaly(measured),
    ...offloadAnomaly(spec.model, resident, request.keepAlive),
    ...contextAnomaly(spec.model, resident, numCtx)
  )

  const gpuPart =
    gpu && gpuResult ? summariseGpu(gpu.inventory, gpuResult, runs.measuredFrom) : undefined
  if (gpuPart) notes.push(...gpuPart.notes)
  const bench = applyMetricOverrides(
    {
      name: spec.name,
      source: { kind: 'ollama', format: request.api },
      metrics: [...llm, ...(gpuPart?.metrics ?? [])]
    },
    spec
  )
  const thresholds = opts.thresholds ?? defaultThresholds()
  notes.push(
    ...spreadAnomalies(
      bench.metrics,
      (m: Metric) => resolveThresholds({ thresholds }, spec, m.name, m.class).fail
    )
  )
  for (const note of notes) reporter.warning(`${spec.name}: ${note}`)
  if (notes.length) bench.notes = notes

  if (opts.fingerprint) {
    const offload =
      resident?.size && resident.sizeVram !== undefined
        ? resident.sizeVram / resident.size
        : undefined
    mergeFingerprint(
      opts.fingerprint,
      ollamaFingerprint(spec.name, version, facts, {
        api: request.api,
        numCtx,
        ...(integerOption(request.options.num_gpu) !== undefined
          ? { numGpu: integerOption(request.options.num_gpu) }
          : {}),
        ...(request.think !== undefined ? { think: request.think } : {}),
        ...(offload !== undefined ? { gpuOffload: offload } : {})
      })
    )
    if (gpu) mergeFingerprint(opts.fingerprint, gpuFingerprint(gpu.inventory))
  }
  return [bench]
}

interface Runs {
  cold: RunRecord
  warmups: RunRecord[]
  measured: RunRecord[]
  /** performance.now() when the first measured run began: the window GPU load is judged in. */
  measuredFrom?: number
}

/** The cold run, the warm-ups and the measured runs, in that order, with progress and ETA. */
async function runSequence(
  spec: OllamaBenchmark,
  host: string,
  plan: { request: Plan['request']; prompts: string[]; limits: StreamLimits },
  reporter: Reporter
): Promise<Runs> {
  const records: RunRecord[] = []
  let measuredFrom: number | undefined
  const total = 1 + spec.warmup + spec.repetitions
  const started = Date.now()
  for (let k = 1; k <= total; k++) {
    const phase = k === 1 ? 'cold' : k <= 1 + spec.warmup ? 'warm-up' : 'run'
    if (phase === 'run') measuredFrom ??= performance.now()
    const label =
      phase === 'cold'
        ? 'cold run'
        : phase === 'warm-up'
          ? `warm-up ${k - 1}/${spec.warmup}`
          : `run ${k - 1 - spec.warmup}/${spec.repetitions}`
    // A distinct start per request keeps the server's prefix cache from skipping prompt work.
    const prompt = `[${k}] ${plan.prompts[(k - 1) % plan.prompts.length] ?? ''}`
    const record = await streamOnce(host, { ...plan.request, prompt }, plan.limits, label)
    if (!hasMetrics(record.final)) {
      throw new OllamaFailure(
        'no-metrics',
        `${label}: the final chunk from ${host} carried no metrics (no eval_count, eval_duration, prompt_eval_duration or total_duration); is this Ollama's native API rather than a proxy or an OpenAI-compatible endpoint?`
      )
    }
    records.push(record)
    const s = runSamples(record)
    const speed = s.decode_tps !== undefined ? ` · ${s.decode_tps.toFixed(1)} tokens/s` : ''
    const ttft = s.ttft_ms !== undefined ? ` · TTFT ${s.ttft_ms.toFixed(0)} ms` : ''
    reporter.info(
      `  ${spec.name}: ${progressLine(k, total, Date.now() - started, phase)}${speed}${ttft}`
    )
  }
  const [cold, ...rest] = records
  return {
    cold,
    warmups: rest.slice(0, spec.warmup),
    measured: rest.slice(spec.warmup),
    ...(measuredFrom !== undefined ? { measuredFrom } : {})
  }
}

async function startGpu(
  opts: OllamaRunOptions,
  env: NodeJS.ProcessEnv,
  reporter: Reporter,
  notes: string[]
): Promise<{ inventory: GpuInventory; sampler: GpuSampler } | undefined> {
  const bin =
    opts.nvidiaSmi === undefined ? env.PERF_GATE_NVIDIA_SMI || 'nvidia-smi' : opts.nvidiaSmi
  if (bin === null) return undefined
  const found = await queryInventory(bin, { env })
  if (!found.ok) {
    if (!gpuNoticeGiven.has(reporter)) {
      gpuNoticeGiven.add(reporter)
      reporter.warning(
        `no GPU metrics: ${found.reason}${found.missing ? ' (install the NVIDIA driver utilities, or set PERF_GATE_NVIDIA_SMI to its path)' : ''}`
      )
    }
    return undefined
  }
  const sampler = startGpuSampler(bin, {
    env,
    ...(opts.gpuIntervalMs !== undefined ? { intervalMs: opts.gpuIntervalMs } : {})
  })
  await sampler.ready(2000)
  if (found.inventory.gpus.some((g) => g.memUsedMiB === null)) {
    notes.push(
      'vram-baseline: nvidia-smi gives no memory.used for some GPU, so no VRAM delta there'
    )
  }
  return { inventory: found.inventory, sampler }
}

function summariseGpu(
  inventory: GpuInventory,
  result: { ticks: GpuTick[]; problem?: string },
  windowStart: number | undefined
): { metrics: Metric[]; notes: string[] } {
  const { figures, notes } = gpuFigures(result.ticks, inventory, windowStart)
  if (result.problem) notes.unshift(`gpu-sampler: ${result.problem}`)
  return { metrics: gpuMetrics(figures), notes }
}
