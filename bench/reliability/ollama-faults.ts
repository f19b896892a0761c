import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  ollamaSpec,
  startOllamaStandin,
  standinModel,
  type Endpoint,
  type Fault,
  type OllamaStandin
} from '../../__tests__/helpers/ollama-standin.js'
import type { OllamaBenchmark } from '../../src/config/types.js'
import { isUserError } from '../../src/errors.js'
import { runOllamaBenchmark } from '../../src/runners/ollama.js'
import { silentReporter } from '../../src/runners/progress.js'
import { hasStackTrace, type CaseResult, type RunOptions } from './common.js'

/*
 * The fault matrix for Ollama: every call the runner makes, each under a refused connection, a
 * 404 for the model, an error in the middle of the answer and a stall. The runner is run
 * in-process against the Ollama stand-in; a case is judged by what it threw, how long it took and
 * whether it left a connection open on the server.
 */

export const OLLAMA_CALLS: Array<{ call: Endpoint; api: 'generate' | 'chat' }> = [
  { call: 'version', api: 'generate' },
  { call: 'show', api: 'generate' },
  { call: 'ps', api: 'generate' },
  { call: 'generate', api: 'generate' },
  { call: 'chat', api: 'chat' }
]

export const OLLAMA_FAULTS = ['refused', '404-model', 'mid-stream-error', 'stall'] as const
type OllamaFault = (typeof OLLAMA_FAULTS)[number]

const STREAMING = new Set<Endpoint>(['generate', 'chat'])
/** A case that takes longer than this hung, whatever it ends with. */
const HANG_MS = 15_000

function faultFor(call: Endpoint, kind: OllamaFault): Fault | 'closed-port' {
  const streaming = STREAMING.has(call)
  switch (kind) {
    case 'refused':
      // Before the first call the server is simply not there; later it goes away mid-run.
      return call === 'version' ? 'closed-port' : { kind: 'reset' }
    case '404-model':
      return {
        kind: 'http-error',
        status: 404,
        error: 'model "llama3.2" not found, try pulling it first'
      }
    case 'mid-stream-error':
      return streaming
        ? { kind: 'stream-error', afterChunks: 2, error: 'CUDA error: out of memory' }
        : { kind: 'http-error', status: 500, error: 'llama runner process has terminated' }
    case 'stall':
      return streaming ? { kind: 'stall', afterChunks: 2 } : { kind: 'no-response' }
  }
}

async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

function spec(host: string, api: 'generate' | 'chat'): OllamaBenchmark {
  return ollamaSpec(host, {
    stallTimeoutSeconds: 0.3,
    timeoutSeconds: 3,
    ...(api === 'chat' ? { api } : {})
  })
}

async function settled(s: OllamaStandin): Promise<number> {
  for (let i = 0; i < 50 && s.openStreams() > 0; i++) await new Promise((r) => setTimeout(r, 20))
  return s.openStreams()
}

async function runCase(call: Endpoint, api: 'generate' | 'chat', kind: OllamaFault) {
  const s = await startOllamaStandin([standinModel({ timing: { outputTokens: 8 } })])
  const fault = faultFor(call, kind)
  let host = s.host
  if (fault === 'closed-port') host = `http://127.0.0.1:${await closedPort()}`
  else s.inject(call, fault)
  const t0 = performance.now()
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), HANG_MS)))
  let res: CaseResult['outcome']
  let detail: string
  try {
    const got = await Promise.race([
      runOllamaBenchmark(spec(host, api), silentReporter, {
        nvidiaSmi: null,
        env: {},
        metadataTimeoutMs: 500
      }),
      hung
    ])
    if (got === 'hung') {
      res = 'wrong'
      detail = `no answer within ${HANG_MS / 1000} s`
    } else {
      const finite = got.every((b) => b.metrics.every((m) => m.samples.every(Number.isFinite)))
      res = finite ? 'recovered' : 'wrong'
      detail = finite ? '' : 'non-finite samples'
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    const clear = isUserError(e) && msg.startsWith("benchmark 'llm': ") && !hasStackTrace(msg)
    res = clear ? 'clear error' : 'wrong'
    detail = clear ? msg : `uncaught ${(e as Error).name}: ${msg}`
  } finally {
    clearTimeout(timer)
  }
  const ms = performance.now() - t0
  const open = await settled(s)
  await s.close()
  if (open > 0 && res !== 'wrong') {
    res = 'wrong'
    detail = `${open} stream(s) left open on the server; ${detail}`
  }
  return { name: `${call} × ${kind}`, outcome: res, detail: detail.slice(0, 220), ms }
}

export interface OllamaFaultCase extends CaseResult {
  call: Endpoint
  fault: OllamaFault
}

export async function ollamaFaults(opts: RunOptions): Promise<OllamaFaultCase[]> {
  const out: OllamaFaultCase[] = []
  for (const { call, api } of OLLAMA_CALLS) {
    for (const fault of OLLAMA_FAULTS) {
      const r = await runCase(call, api, fault)
      opts.log(`  ollama ${r.name}: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}`)
      out.push({ ...r, call, fault })
    }
  }
  return out
}
