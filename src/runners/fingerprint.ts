import type { ModelFacts } from './ollama-client.js'
import type { GpuInventory } from './gpu-sampler.js'
import type { Fingerprint } from '../results/environment.js'

export function gpuFingerprint(inventory: GpuInventory): Fingerprint {
  const gpus = inventory.gpus
  const list = (f: (g: GpuInventory['gpus'][number]) => string | number | null): string =>
    gpus.map((g) => String(f(g) ?? 'unknown')).join(', ')
  const fp: Fingerprint = {
    'gpu.count': gpus.length,
    'gpu.names': list((g) => g.name),
    'gpu.driver': [...new Set(gpus.map((g) => g.driver ?? 'unknown'))].join(', '),
    'gpu.vram_mib': list((g) => g.memTotalMiB)
  }
  if (inventory.cudaVersion) fp['cuda.version'] = inventory.cudaVersion
  return fp
}

export interface OllamaSettings {
  api: string
  numCtx: number
  numGpu?: number
  think?: boolean | string
  /** size_vram / size from /api/ps after the runs; 1 means the whole model sits in VRAM. */
  gpuOffload?: number
}

export function ollamaFingerprint(
  benchmark: string,
  version: string,
  model: ModelFacts,
  settings: OllamaSettings
): Fingerprint {
  const p = `ollama.${benchmark}.`
  const fp: Fingerprint = {
    'ollama.version': version,
    [`${p}model`]: model.name,
    [`${p}model.digest`]: model.digest ?? null,
    [`${p}model.family`]: model.family ?? null,
    [`${p}model.parameter_size`]: model.parameterSize ?? null,
    [`${p}model.quantization`]: model.quantization ?? null,
    [`${p}api`]: settings.api,
    [`${p}num_ctx`]: settings.numCtx,
    // num_gpu is a layer count; unset lets the server decide, which is itself a setting.
    [`${p}num_gpu`]: settings.numGpu ?? 'auto',
    [`${p}think`]: settings.think ?? 'model default'
  }
  if (settings.gpuOffload !== undefined) {
    fp[`${p}gpu_offload`] = Math.round(settings.gpuOffload * 100) / 100
  }
  return fp
}
