import type { BenchmarkInput } from './schema.js'

/*
 * A matrix entry becomes one ordinary benchmark per combination of its axes, named with its axis
 * values in sorted order (`chat[concurrency=4,depth=0,model=q4,num_ctx=16384]`), so baselines,
 * thresholds, shards and the gate see nothing but benchmarks. Pure: the runner shuffles the order
 * the cells run in, and works out the figures across cells once they have all run.
 */

/** The most cells one entry may expand to: beyond it a typo in an axis costs a day of GPU time. */
export const MAX_CELLS = 1024

export type AxisValue = string | number | boolean

export interface ExpandedCell {
  name: string
  /** Axis values as they go into the name (a host by its label, when the axis is a mapping). */
  axes: Record<string, AxisValue>
  /** The entry as if written for this cell alone, without `matrix`. */
  entry: BenchmarkInput
}

export interface Expansion {
  cells: ExpandedCell[]
  /** Combinations that cannot run, with why ("depth 8192 does not fit num_ctx 4096"). */
  skipped: { name: string; reason: string }[]
  /** Every host of a host axis, by URL: a cell unloads the others before its cold run. */
  hosts?: string[]
}

/** Characters that would make a cell's name ambiguous. */
export const NAME_BREAKERS = /[[\],=]/

/** `entry[a=1,b=x]`, the axes sorted by code unit so the name never depends on the YAML's order. */
export function cellName(entry: string, axes: Record<string, AxisValue>): string {
  const keys = Object.keys(axes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return `${entry}[${keys.map((k) => `${k}=${String(axes[k])}`).join(',')}]`
}

/** The axes of a matrix as [name, values] pairs; a host mapping gives its labels. */
export function matrixAxes(b: BenchmarkInput): [string, AxisValue[]][] {
  if (b.kind === 'file' || !b.matrix) return []
  if (b.kind === 'command') return Object.entries(b.matrix)
  const out: [string, AxisValue[]][] = []
  for (const [k, v] of Object.entries(b.matrix)) {
    if (v === undefined) continue
    out.push([k, k === 'host' && !Array.isArray(v) ? Object.keys(v) : (v as AxisValue[])])
  }
  return out
}

/** Number of combinations, without building them. */
export function cellCount(b: BenchmarkInput): number {
  return matrixAxes(b).reduce((n, [, values]) => n * values.length, 1)
}

function product(axes: [string, AxisValue[]][]): Record<string, AxisValue>[] {
  let combos: Record<string, AxisValue>[] = [{}]
  for (const [name, values] of axes) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })))
  }
  return combos
}

function hostUrl(b: Extract<BenchmarkInput, { kind: 'ollama' }>, label: AxisValue): string {
  const axis = b.matrix?.host
  if (axis && !Array.isArray(axis) && Object.hasOwn(axis, String(label))) {
    return axis[String(label)] ?? String(label)
  }
  return String(label)
}

function ollamaCell(
  b: Extract<BenchmarkInput, { kind: 'ollama' }>,
  axes: Record<string, AxisValue>
): BenchmarkInput {
  const cell: typeof b = { ...b, options: { ...(b.options ?? {}) } }
  delete cell.matrix
  if (axes.model !== undefined) cell.model = String(axes.model)
  if (axes.concurrency !== undefined) cell.concurrency = Number(axes.concurrency)
  if (axes.depth !== undefined) cell.depth = Number(axes.depth)
  if (axes.num_ctx !== undefined) cell.options = { ...cell.options, num_ctx: Number(axes.num_ctx) }
  if (axes.host !== undefined) cell.host = hostUrl(b, axes.host)
  // A concurrency axis turns on the load metrics in every cell, the 1-in-flight one included.
  if (b.matrix?.concurrency && cell.concurrency === undefined) cell.concurrency = 1
  return cell
}

function commandCell(
  b: Extract<BenchmarkInput, { kind: 'command' }>,
  axes: Record<string, AxisValue>
): BenchmarkInput {
  const cell: typeof b = { ...b, env: { ...(b.env ?? {}), ...axes } }
  delete cell.matrix
  return cell
}

/**
 * The cells of a matrix entry, in the order of the axes' values (the runner shuffles them). An
 * entry without a matrix is its own single cell, unnamed by axes.
 */
export function expandMatrix(b: BenchmarkInput): Expansion {
  const axes = matrixAxes(b)
  if (axes.length === 0 || b.kind === 'file') {
    return { cells: [{ name: b.name, axes: {}, entry: b }], skipped: [] }
  }
  const cells: ExpandedCell[] = []
  const skipped: Expansion['skipped'] = []
  for (const combo of product(axes)) {
    const name = cellName(b.name, combo)
    const entry = b.kind === 'ollama' ? ollamaCell(b, combo) : commandCell(b, combo)
    if (entry.kind === 'ollama') {
      const ctx = entry.options?.num_ctx
      const depth = entry.depth ?? 0
      if (ctx !== undefined && depth > 0 && depth >= ctx) {
        skipped.push({ name, reason: `depth ${depth} does not fit num_ctx ${ctx}` })
        continue
      }
    }
    cells.push({ name, axes: combo, entry })
  }
  const expansion: Expansion = { cells, skipped }
  if (b.kind === 'ollama' && b.matrix?.host) {
    const labels = Array.isArray(b.matrix.host) ? b.matrix.host : Object.keys(b.matrix.host)
    expansion.hosts = [...new Set(labels.map((l) => hostUrl(b, l)))]
  }
  return expansion
}

export interface MatrixProblem {
  /** Below the entry (`['matrix', 'concurrency', 2]`). */
  path: (string | number)[]
  message: string
}

function axisKey(value: AxisValue): string {
  return `${typeof value}:${String(value)}`
}

/**
 * What is wrong with an entry's matrix and the target keys that name its cells: duplicate or
 * name-breaking values, too many cells, every cell impossible, a target naming an unknown axis.
 */
export function matrixProblems(b: BenchmarkInput): MatrixProblem[] {
  const problems: MatrixProblem[] = []
  const axes = matrixAxes(b)
  for (const [name, values] of axes) {
    const seen = new Map<string, number>()
    values.forEach((v, i) => {
      const isHostLabel = name === 'host' && b.kind === 'ollama' && !Array.isArray(b.matrix?.host)
      const at: (string | number)[] = isHostLabel
        ? ['matrix', name, String(v)]
        : ['matrix', name, i]
      const first = seen.get(axisKey(v))
      if (first !== undefined) {
        problems.push({ path: at, message: `lists ${String(v)} twice (also item ${first + 1})` })
      } else seen.set(axisKey(v), i)
      if (NAME_BREAKERS.test(String(v))) {
        problems.push({
          path: at,
          message: `'${String(v)}' cannot be a matrix value: values go into benchmark names, which leave , = [ ] to the axes`
        })
      }
    })
  }
  const count = cellCount(b)
  if (count > MAX_CELLS) {
    problems.push({
      path: ['matrix'],
      message: `expands to ${count} combinations; at most ${MAX_CELLS} are allowed (split the entry, or drop values)`
    })
  } else if (axes.length > 0) {
    const { cells, skipped } = expandMatrix(b)
    if (cells.length === 0) {
      problems.push({
        path: ['matrix'],
        message: `has no combination that can run (${skipped[0]?.reason ?? 'all skipped'})`
      })
    }
  }
  const byAxis = new Map(axes.map(([name, values]) => [name, values.map(String)]))
  for (const key of Object.keys(b.targets ?? {})) {
    const open = key.indexOf('[')
    if (open < 0) continue
    const at = ['targets', key]
    if (axes.length === 0) {
      problems.push({ path: at, message: 'names matrix cells, but this benchmark has no matrix' })
      continue
    }
    const inner = /^[^[\]]+\[([^[\]]+)\]$/.exec(key)?.[1]
    const parts = inner?.split(',').map((p) => p.split('=').map((s) => s.trim()))
    if (!parts || parts.some((p) => p.length !== 2 || !p[0] || !p[1])) {
      problems.push({
        path: at,
        message: 'must be a metric name, optionally with cells: metric[axis=value,...]'
      })
      continue
    }
    for (const [axis = '', value = ''] of parts) {
      const values = byAxis.get(axis)
      if (!values) {
        problems.push({
          path: at,
          message: `names the axis '${axis}', which the matrix does not have (axes: ${[...byAxis.keys()].join(', ')})`
        })
      } else if (!values.includes(value)) {
        problems.push({
          path: at,
          message: `names ${axis}=${value}, which matrix.${axis} does not list (${values.join(', ')})`
        })
      }
    }
  }
  return problems
}
