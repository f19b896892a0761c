import { markdownTable } from 'markdown-table'
import type { ResultSet } from '../results/model.js'
import { median } from 'simple-statistics'
import { escapeMarkdown } from './escape.js'
import { formatPercent, formatValue } from './format.js'

/** Per-GPU figures the Ollama runner records (`gpu0.vram_peak_mib`, …), one row per benchmark × GPU. */
export interface GpuRow {
  benchmark: string
  gpu: number
  vramPeakMiB?: number
  vramDeltaMiB?: number
  utilMeanPct?: number
  utilPeakPct?: number
  powerMeanW?: number
  /** Relative change of the VRAM peak against the baseline's same GPU. */
  vramVsBaseline?: number
}

export interface GpuBalance {
  benchmark: string
  vram?: number
  util?: number
}

const GPU_METRIC =
  /^gpu(\d+)\.(vram_peak_mib|vram_delta_mib|util_mean_pct|util_peak_pct|power_mean_w)$/
const FIELD: Record<string, keyof GpuRow> = {
  vram_peak_mib: 'vramPeakMiB',
  vram_delta_mib: 'vramDeltaMiB',
  util_mean_pct: 'utilMeanPct',
  util_peak_pct: 'utilPeakPct',
  power_mean_w: 'powerMeanW'
}

function value(set: ResultSet | null, bench: string, metric: string): number | undefined {
  const m = set?.benchmarks.find((b) => b.name === bench)?.metrics.find((x) => x.name === metric)
  return m ? median(m.samples) : undefined
}

export function gpuRows(current: ResultSet, baseline: ResultSet | null): GpuRow[] {
  const rows: GpuRow[] = []
  for (const b of current.benchmarks) {
    const byGpu = new Map<number, GpuRow>()
    for (const m of b.metrics) {
      const match = GPU_METRIC.exec(m.name)
      if (!match) continue
      const gpu = Number(match[1])
      const row = byGpu.get(gpu) ?? { benchmark: b.name, gpu }
      ;(row as unknown as Record<string, number>)[FIELD[match[2] ?? ''] as string] = median(
        m.samples
      )
      byGpu.set(gpu, row)
    }
    for (const row of [...byGpu.values()].sort((x, y) => x.gpu - y.gpu)) {
      const before = value(baseline, b.name, `gpu${row.gpu}.vram_peak_mib`)
      if (before !== undefined && before > 0 && row.vramPeakMiB !== undefined)
        row.vramVsBaseline = row.vramPeakMiB / before - 1
      rows.push(row)
    }
  }
  return rows
}

export function gpuBalances(current: ResultSet): GpuBalance[] {
  return current.benchmarks.flatMap((b) => {
    const vram = value(current, b.name, 'gpu.vram_balance')
    const util = value(current, b.name, 'gpu.util_balance')
    if (vram === undefined && util === undefined) return []
    return [
      {
        benchmark: b.name,
        ...(vram !== undefined ? { vram } : {}),
        ...(util !== undefined ? { util } : {})
      }
    ]
  })
}

export function renderGpuSection(current: ResultSet, baseline: ResultSet | null): string {
  const rows = gpuRows(current, baseline)
  if (rows.length === 0) return '_No GPU metrics were recorded in this run._'
  const table = markdownTable(
    [
      [
        'Benchmark',
        'GPU',
        'VRAM peak',
        'vs Baseline',
        'VRAM added',
        'Util mean',
        'Util peak',
        'Power mean'
      ],
      ...rows.map((r) => [
        escapeMarkdown(r.benchmark, { maxLength: 80 }),
        String(r.gpu),
        formatValue(r.vramPeakMiB, 'MiB'),
        r.vramVsBaseline === undefined ? 'n/a' : formatPercent(r.vramVsBaseline),
        formatValue(r.vramDeltaMiB, 'MiB'),
        formatValue(r.utilMeanPct, '%'),
        formatValue(r.utilPeakPct, '%'),
        formatValue(r.powerMeanW, 'W')
      ])
    ],
    { alignDelimiters: false }
  )
  const balances = gpuBalances(current).map((b) => {
    const parts = [
      b.vram !== undefined ? `VRAM ${formatValue(b.vram)}` : null,
      b.util !== undefined ? `utilisation ${formatValue(b.util)}` : null
    ].filter(Boolean)
    return `- ${escapeMarkdown(b.benchmark, { maxLength: 80 })}: balance (min/max over GPUs, 1 is even) ${parts.join(', ')}`
  })
  return [table, ...(balances.length ? ['', ...balances] : [])].join('\n')
}
