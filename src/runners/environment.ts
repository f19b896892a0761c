import os from 'node:os'
import type { Environment } from '../results/model.js'
import { mergeFingerprint, type Fingerprint } from '../results/environment.js'

/**
 * The machine fingerprint stored with every result set, so a comparison across different hardware
 * can be told apart from a regression. Later runners (GPU, Ollama) add their own keys.
 */
export function hostEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const cpus = os.cpus()
  const fingerprint: Environment = {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryBytes: os.totalmem(),
    node: process.version
  }
  if (env.RUNNER_NAME) fingerprint['runner.name'] = env.RUNNER_NAME
  if (env.RUNNER_OS) fingerprint['runner.os'] = env.RUNNER_OS
  return fingerprint
}

/**
 * Adds runner-specific fingerprint keys (gpu.names, ollama.version, …). Two benchmarks that saw
 * different values for one key (two Ollama hosts, say) keep both, so neither is silently lost.
 */
export function addFingerprint(environment: Environment, extra: Fingerprint): Environment {
  const out: Environment = { ...environment }
  mergeFingerprint(out, extra)
  return out
}
