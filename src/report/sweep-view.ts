import type { ResultSet } from '../results/model.js'
import { isProportion } from '../stats/proportion.js'
import { medianWithCi, proportionWithCi } from '../stats/targets.js'
import type { SweepCellView, SweepView } from '../types/report.js'

/** A GPU holding more than this of a run is hosting part of the model, not just a context. */
export const SPLIT_MIB = 512

/** The matrix entries of a result set, cell by cell, in the order the cells are listed. */
export function sweepViews(set: ResultSet): SweepView[] {
  const byEntry = new Map<string, SweepCellView[]>()
  for (const b of set.benchmarks) {
    if (!b.matrix) continue
    const values: SweepCellView['values'] = {}
    const ci: SweepCellView['ci'] = {}
    const units: SweepCellView['units'] = {}
    const gpus = new Map<number, SweepCellView['gpus'][number]>()
    for (const m of b.metrics) {
      const gpu = /^gpu(\d+)\.(vram_delta_mib|util_mean_pct)$/.exec(m.name)
      if (gpu) {
        const index = Number(gpu[1])
        const entry = gpus.get(index) ?? { index }
        if (gpu[2] === 'vram_delta_mib') entry.vramDeltaMiB = m.samples[0]
        else entry.utilMeanPct = m.samples[0]
        gpus.set(index, entry)
        continue
      }
      const c = isProportion(m) ? proportionWithCi(m.samples) : medianWithCi(m.samples)
      values[m.name] = c.centre
      units[m.name] = m.unit
      if (Number.isFinite(c.ci[0]) && Number.isFinite(c.ci[1])) ci[m.name] = c.ci
    }
    const list = [...gpus.values()].sort((x, y) => x.index - y.index)
    const holding = list.filter((g) => (g.vramDeltaMiB ?? 0) > SPLIT_MIB).length
    const cell: SweepCellView = {
      benchmark: b.name,
      axes: b.matrix.axes,
      values,
      ci,
      units,
      gpus: list,
      split: list.length === 0 ? null : holding > 1
    }
    if (b.invalid) cell.invalid = b.invalid
    const cells = byEntry.get(b.matrix.entry) ?? []
    cells.push(cell)
    byEntry.set(b.matrix.entry, cells)
  }
  return [...byEntry].map(([entry, cells]) => {
    const names = [...new Set(cells.flatMap((c) => Object.keys(c.axes)))].sort()
    const axes = names.filter((a) => new Set(cells.map((c) => String(c.axes[a]))).size > 1)
    return { entry, axes, cells }
  })
}
