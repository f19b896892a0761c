import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { GpuTick } from '../../src/runners/gpu-parse.js'
import { tickFromLine } from '../../src/runners/gpu-parse.js'
import type { GpuInventory } from '../../src/runners/gpu-sampler.js'
import { balance, gpuFigures, gpuMetrics } from '../../src/runners/gpu-summary.js'

const DIR = path.resolve('fixtures/nvidia-smi')

/** The fixture's lines as ticks, one tick (a line per GPU) every 200 ms. */
function ticks(file: string, gpus = 2): GpuTick[] {
  return readFileSync(path.join(DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => tickFromLine(l, Math.floor(i / gpus) * 200)!)
}

function inventory(used: (number | null)[], total = 24564): GpuInventory {
  return {
    gpus: used.map((u, index) => ({
      index,
      uuid: null,
      name: 'NVIDIA GeForce RTX 4090',
      driver: '535.129.03',
      memTotalMiB: total,
      memUsedMiB: u
    }))
  }
}

describe('GPU figures', () => {
  it('takes peak VRAM over the whole benchmark and utilisation over the measured runs', () => {
    // Ticks at 0 (idle), 200 (loaded), 400 and 600 (decoding); measured runs start at 400.
    const { figures, notes } = gpuFigures(
      ticks('nvidia-smi-dual-gpu-lms.SYNTHETIC.csv'),
      inventory([1, 1]),
      400
    )
    expect(figures).toEqual([
      {
        index: 0,
        vramPeakMiB: 11206,
        vramDeltaMiB: 11205,
        utilMeanPct: 59.5,
        utilPeakPct: 61,
        powerMeanW: 230.16,
        powerPeakW: 231.4
      },
      {
        index: 1,
        vramPeakMiB: 10312,
        vramDeltaMiB: 10311,
        utilMeanPct: 56,
        utilPeakPct: 57,
        powerMeanW: 217.5,
        powerPeakW: 220.17
      }
    ])
    // GPU 1's fan reads 0 while it runs at 55-57 %: the zero-RPM fan is no load signal.
    expect(notes).toEqual([])
  })

  it('reports the multi-GPU balance as ungated metrics', () => {
    const { figures } = gpuFigures(
      ticks('nvidia-smi-dual-gpu-lms.SYNTHETIC.csv'),
      inventory([1, 1]),
      400
    )
    const metrics = gpuMetrics(figures)
    expect(metrics.map((m) => m.name)).toEqual([
      'gpu0.vram_peak_mib',
      'gpu0.vram_delta_mib',
      'gpu0.util_mean_pct',
      'gpu0.util_peak_pct',
      'gpu0.power_mean_w',
      'gpu0.power_peak_w',
      'gpu1.vram_peak_mib',
      'gpu1.vram_delta_mib',
      'gpu1.util_mean_pct',
      'gpu1.util_peak_pct',
      'gpu1.power_mean_w',
      'gpu1.power_peak_w',
      'gpu.vram_balance',
      'gpu.util_balance'
    ])
    expect(metrics.every((m) => m.gate === false && m.class === 'non-critical')).toBe(true)
    expect(metrics.find((m) => m.name === 'gpu.vram_balance')).toMatchObject({
      unit: 'ratio',
      samples: [0.92]
    })
    expect(metrics.find((m) => m.name === 'gpu0.vram_peak_mib')).toMatchObject({
      unit: 'MiB',
      direction: 'lower',
      samples: [11206]
    })
  })

  it('leaves unknown values out with a note instead of reading them as 0', () => {
    const t = [
      tickFromLine('0, NVIDIA H100 80GB HBM3, 45210, 81559, 72, [N/A], 54, [N/A]', 0)!,
      tickFromLine('1, NVIDIA H100 80GB HBM3, [N/A], 81559, [Not Supported], 405.02, 51, [N/A]', 0)!
    ]
    const { figures, notes } = gpuFigures(t, inventory([7, null], 81559))
    expect(figures[0]).toEqual({
      index: 0,
      vramPeakMiB: 45210,
      vramDeltaMiB: 45203,
      utilMeanPct: 72,
      utilPeakPct: 72
    })
    expect(figures[1]).toEqual({ index: 1, powerMeanW: 405.02, powerPeakW: 405.02 })
    expect(notes).toEqual([
      'gpu-unknown: GPU 0 reports power.draw as unavailable ([N/A] or similar); those metrics are left out rather than read as 0',
      'gpu-unknown: GPU 1 reports memory.used, utilization.gpu as unavailable ([N/A] or similar); those metrics are left out rather than read as 0'
    ])
    // Without both deltas there is no balance to report.
    expect(gpuMetrics(figures).map((m) => m.name)).not.toContain('gpu.vram_balance')
  })

  it('flags a spread model whose VRAM is lopsided, but not a model that fits one GPU', () => {
    const at = (line: string): GpuTick => tickFromLine(line, 0)!
    const lopsided = [
      at('0, NVIDIA GeForce RTX 4090, 18000, 24564, 60, 200, 50, 0'),
      at('1, NVIDIA GeForce RTX 4090, 3000, 24564, 30, 120, 45, 0')
    ]
    expect(gpuFigures(lopsided, inventory([1, 1])).notes).toEqual([
      'gpu-imbalance: the model is spread over 2 GPUs but unevenly (VRAM added: 17999 MiB, 2999 MiB; balance 0.167); another process on one GPU or a skewed layer split is likely'
    ])
    const oneGpu = [
      at('0, NVIDIA GeForce RTX 4090, 6000, 24564, 90, 300, 60, 0'),
      at('1, NVIDIA GeForce RTX 4090, 300, 24564, 0, 20, 35, 0')
    ]
    expect(gpuFigures(oneGpu, inventory([1, 1])).notes).toEqual([])
  })

  it('says so when no sample arrived', () => {
    expect(gpuFigures([], inventory([1, 1])).notes).toEqual([
      'gpu-no-samples: nvidia-smi gave no sample during the benchmark, so there are no GPU metrics'
    ])
  })

  it('computes balance as min/max, undefined for a single GPU or an unknown', () => {
    expect(balance([10, 5])).toBe(0.5)
    expect(balance([10])).toBeUndefined()
    expect(balance([10, undefined])).toBeUndefined()
    expect(balance([0, 0])).toBeUndefined()
  })
})
