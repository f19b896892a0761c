/**
 * Parsing of `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` lines: one line per GPU per
 * tick, values separated by ", " in the order of the query.
 */

/**
 * The sampling query. fan.speed is asked for but never read: zero-RPM and passively cooled cards
 * report 0 or [N/A] while busy, so it says nothing about load; utilization.gpu does.
 */
export const LOOP_FIELDS = [
  'index',
  'name',
  'memory.used',
  'memory.total',
  'utilization.gpu',
  'power.draw',
  'temperature.gpu',
  'fan.speed'
] as const

/** The one-shot query for the fingerprint; memory.used here is the baseline with no model. */
export const INVENTORY_FIELDS = [
  'index',
  'uuid',
  'name',
  'driver_version',
  'memory.total',
  'memory.used'
] as const

/** A cell nvidia-smi could not fill: [N/A], [Not Supported], [Unknown Error], … */
const UNAVAILABLE = /^\[.*\]$/

/** Present without `nounits`: "38742 MiB", "100 %", "297.57 W". */
const UNIT_SUFFIX = /\s*(MiB|%|W|MHz|C)$/

export type Cell = string | number | null

/**
 * The cells of one line by field name, or undefined for a line that is not a GPU row (a header,
 * a blank, an error message). Unavailable values become null, never 0.
 */
export function parseGpuLine<F extends readonly string[]>(
  line: string,
  fields: F
): Record<F[number], Cell> | undefined {
  const cells = line.split(',').map((c) => c.trim())
  if (cells.length !== fields.length) return undefined
  const row: Record<string, Cell> = {}
  fields.forEach((field, i) => {
    const raw = cells[i] ?? ''
    if (raw === '' || UNAVAILABLE.test(raw)) {
      row[field] = null
      return
    }
    const numeric = raw.replace(UNIT_SUFFIX, '')
    const value = /^-?\d+(\.\d+)?$/.test(numeric) ? Number(numeric) : raw
    row[field] = value
  })
  if (typeof row.index !== 'number' || !Number.isInteger(row.index)) return undefined
  return row
}

export function numberCell(cell: Cell | undefined): number | null {
  return typeof cell === 'number' ? cell : null
}

export function textCell(cell: Cell | undefined): string | null {
  if (cell === null || cell === undefined) return null
  return String(cell)
}

export interface GpuTick {
  /** performance.now() when the line arrived. */
  at: number
  index: number
  memUsedMiB: number | null
  memTotalMiB: number | null
  utilPct: number | null
  powerW: number | null
}

export function tickFromLine(line: string, at: number): GpuTick | undefined {
  const row = parseGpuLine(line, LOOP_FIELDS)
  if (!row) return undefined
  return {
    at,
    index: row.index as number,
    memUsedMiB: numberCell(row['memory.used']),
    memTotalMiB: numberCell(row['memory.total']),
    utilPct: numberCell(row['utilization.gpu']),
    powerW: numberCell(row['power.draw'])
  }
}

/** The CUDA version from the banner of a plain `nvidia-smi` (or `-q`). */
export function parseCudaVersion(text: string): string | undefined {
  return /CUDA Version\s*:\s*([\d.]+)/.exec(text)?.[1]
}
