import type { Environment } from './model.js'

/**
 * Fingerprint keys a runner adds to the result set's environment. Flat scalars, so a later
 * comparison can tell key by key what changed between a baseline and a pull request.
 * Machine-wide keys (gpu.*, cuda.version, ollama.version) are shared by every benchmark; what
 * depends on the benchmark's config is under `ollama.<benchmark>.`, since two benchmarks may run
 * different models, or the same model with a different num_ctx.
 */
export type Fingerprint = Record<string, string | number | boolean | null>

/** Adds `extra` to `target`; a key seen with two values keeps both ("0.12.6 | 0.13.0"). */
export function mergeFingerprint(target: Fingerprint, extra: Fingerprint): void {
  for (const [key, value] of Object.entries(extra)) {
    const had = Object.hasOwn(target, key) ? target[key] : undefined
    if (had === undefined || had === value) target[key] = value
    else if (!String(had).split(' | ').includes(String(value))) {
      target[key] = `${String(had)} | ${String(value)}`
    }
  }
}

/** For files imported from elsewhere: we know nothing about the machine that produced them. */
export function unknownEnvironment(): Environment {
  return {
    os: 'unknown',
    arch: 'unknown',
    cpu: 'unknown',
    cpuCount: 0,
    memoryBytes: 0,
    node: 'unknown'
  }
}
