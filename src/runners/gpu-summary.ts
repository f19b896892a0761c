import type { Direction, Metric } from '../results/model.js'
import type { GpuTick } from './gpu-parse.js'
import type { GpuInventory } from './gpu-sampler.js'

/**
 * Per-GPU figures from the sampled ticks. VRAM peaks cover the whole benchmark (the load is when
 * memory is claimed); utilisation and power cover the measured runs only, so the idle seconds of a
 * cold load do not dilute them. All of it is context: one value per benchmark cannot be gated.
 */

/** Both GPUs hold more than this of a spread model; below it a GPU is merely hosting a context. */
export const SPREAD_MIB = 512
/** Below this min/max ratio a spread model is lopsided enough to mention. */
export const IMBALANCE = 0.5

export interface GpuFigures {
  index: number
  vramPeakMiB?: number
  vramDeltaMiB?: number
  utilMeanPct?: number
  utilPeakPct?: number
  powerMeanW?: number
  powerPeakW?: number
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}

function known(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null)
}

function avg(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length
}

export function gpuFigures(
  ticks: GpuTick[],
  inventory: GpuInventory,
  windowStart?: number
): { figures: GpuFigures[]; notes: string[] } {
  const notes: string[] = []
  const indexes = [
    ...new Set([...inventory.gpus.map((g) => g.index), ...ticks.map((t) => t.index)])
  ]
  indexes.sort((a, b) => a - b)
  if (ticks.length === 0) {
    notes.push(
      'gpu-no-samples: nvidia-smi gave no sample during the benchmark, so there are no GPU metrics'
    )
    return { figures: [], notes }
  }
  const figures = indexes.map((index) => {
    const all = ticks.filter((t) => t.index === index)
    const inWindow = windowStart === undefined ? all : all.filter((t) => t.at >= windowStart)
    const window = inWindow.length ? inWindow : all
    const fig: GpuFigures = { index }
    const unknown: string[] = []

    const vram = known(all.map((t) => t.memUsedMiB))
    if (vram.length) {
      fig.vramPeakMiB = Math.max(...vram)
      const base = inventory.gpus.find((g) => g.index === index)?.memUsedMiB
      if (base !== null && base !== undefined) fig.vramDeltaMiB = fig.vramPeakMiB - base
    } else if (all.length) unknown.push('memory.used')

    const util = known(window.map((t) => t.utilPct))
    if (util.length) {
      fig.utilMeanPct = round(avg(util))
      fig.utilPeakPct = Math.max(...util)
    } else if (window.length) unknown.push('utilization.gpu')

    const power = known(window.map((t) => t.powerW))
    if (power.length) {
      fig.powerMeanW = round(avg(power))
      fig.powerPeakW = Math.max(...power)
    } else if (window.length) unknown.push('power.draw')

    if (unknown.length) {
      notes.push(
        `gpu-unknown: GPU ${index} reports ${unknown.join(', ')} as unavailable ([N/A] or similar); those metrics are left out rather than read as 0`
      )
    }
    return fig
  })
  notes.push(...balanceNotes(figures))
  return { figures, notes }
}

/** min/max across GPUs: 1 is even, near 0 means one GPU does (or holds) nearly everything. */
export function balance(values: (number | undefined)[]): number | undefined {
  if (values.length < 2 || values.some((v) => v === undefined)) return undefined
  const v = values as number[]
  const hi = Math.max(...v)
  if (hi <= 0) return undefined
  return round(Math.max(0, Math.min(...v)) / hi, 3)
}

function balanceNotes(figures: GpuFigures[]): string[] {
  const deltas = figures.map((f) => f.vramDeltaMiB)
  const b = balance(deltas)
  // A model that fits one GPU is placed on one GPU by design: only a spread model can be lopsided.
  const spread = deltas.every((d) => d !== undefined && d > SPREAD_MIB)
  if (b === undefined || !spread || b >= IMBALANCE) return []
  return [
    `gpu-imbalance: the model is spread over ${figures.length} GPUs but unevenly (VRAM added: ${deltas.map((d) => `${d} MiB`).join(', ')}; balance ${b}); another process on one GPU or a skewed layer split is likely`
  ]
}

function metric(name: string, unit: string, direction: Direction, value: number): Metric {
  return {
    name,
    unit,
    direction,
    class: 'non-critical',
    samples: [value],
    gate: false
  }
}

export function gpuMetrics(figures: GpuFigures[]): Metric[] {
  const out: Metric[] = []
  for (const f of figures) {
    const p = `gpu${f.index}.`
    if (f.vramPeakMiB !== undefined)
      out.push(metric(`${p}vram_peak_mib`, 'MiB', 'lower', f.vramPeakMiB))
    if (f.vramDeltaMiB !== undefined)
      out.push(metric(`${p}vram_delta_mib`, 'MiB', 'lower', f.vramDeltaMiB))
    if (f.utilMeanPct !== undefined)
      out.push(metric(`${p}util_mean_pct`, '%', 'higher', f.utilMeanPct))
    if (f.utilPeakPct !== undefined)
      out.push(metric(`${p}util_peak_pct`, '%', 'higher', f.utilPeakPct))
    if (f.powerMeanW !== undefined) out.push(metric(`${p}power_mean_w`, 'W', 'lower', f.powerMeanW))
    if (f.powerPeakW !== undefined) out.push(metric(`${p}power_peak_w`, 'W', 'lower', f.powerPeakW))
  }
  const vram = balance(figures.map((f) => f.vramDeltaMiB))
  if (vram !== undefined) out.push(metric('gpu.vram_balance', 'ratio', 'higher', vram))
  const util = balance(figures.map((f) => f.utilMeanPct))
  if (util !== undefined) out.push(metric('gpu.util_balance', 'ratio', 'higher', util))
  return out
}
