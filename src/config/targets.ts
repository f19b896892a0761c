import type { TargetSpec } from '../stats/types.js'
import { TARGET_TEXT } from './schema.js'

export type { TargetSpec }

/** A target key: `decode_tps`, or `ttft_p95_ms[concurrency=8,model=q4]` for matrix cells. */
export interface TargetKey {
  metric: string
  /** Axis values a cell must have for the target to apply to it; empty for every cell. */
  when: Record<string, string>
}

/** Parses a validated target text; the schema has rejected anything else. */
export function parseTarget(metric: string, text: string): TargetSpec {
  const m = TARGET_TEXT.exec(text)
  if (!m) throw new Error(`not a target: ${JSON.stringify(text)}`)
  const op = m[1] === '>=' || m[1] === '≥' ? '>=' : '<='
  return { metric, op, bound: Number(m[2]), text: `${op} ${m[2]}` }
}

/** `metric[a=1,b=x]` → { metric, when: { a: '1', b: 'x' } }, or null when the brackets are malformed. */
export function parseTargetKey(key: string): TargetKey | null {
  const open = key.indexOf('[')
  if (open < 0) return key.trim() ? { metric: key.trim(), when: {} } : null
  if (!key.endsWith(']')) return null
  const metric = key.slice(0, open).trim()
  const inner = key.slice(open + 1, -1)
  if (!metric || !inner.trim()) return null
  const when: Record<string, string> = {}
  for (const part of inner.split(',')) {
    const eq = part.indexOf('=')
    if (eq <= 0) return null
    const axis = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (!axis || !value || Object.hasOwn(when, axis)) return null
    when[axis] = value
  }
  return { metric, when }
}

/**
 * The targets that apply to one benchmark (or matrix cell) with these axis values: per metric,
 * the key naming the most axes the cell matches wins, so `ttft_p95_ms[concurrency=8]` overrides
 * `ttft_p95_ms` in the concurrency-8 cells only.
 */
export function targetsForCell(
  written: Record<string, string>,
  axes: Record<string, string | number | boolean> = {}
): TargetSpec[] {
  const best = new Map<string, { specificity: number; spec: TargetSpec }>()
  for (const [key, text] of Object.entries(written)) {
    const parsed = parseTargetKey(key)
    if (!parsed) continue
    const matches = Object.entries(parsed.when).every(
      ([axis, value]) => Object.hasOwn(axes, axis) && String(axes[axis]) === value
    )
    if (!matches) continue
    const specificity = Object.keys(parsed.when).length
    const had = best.get(parsed.metric)
    if (had && had.specificity >= specificity) continue
    best.set(parsed.metric, { specificity, spec: parseTarget(parsed.metric, text) })
  }
  return [...best.values()].map((b) => b.spec).sort((a, b) => (a.metric < b.metric ? -1 : 1))
}

/** The targets of a result benchmark, found through the config entry that produced it. */
export function targetsFromConfig(config: {
  benchmarks: readonly { name: string; targets?: TargetSpec[] }[]
}): (benchmark: string) => TargetSpec[] {
  const byName = new Map(config.benchmarks.map((b) => [b.name, b.targets ?? []]))
  return (benchmark) => {
    const own = byName.get(benchmark)
    if (own) return own
    const slash = benchmark.lastIndexOf('/')
    return slash > 0 ? (byName.get(benchmark.slice(0, slash)) ?? []) : []
  }
}
