import { createHash } from 'node:crypto'
import type { PerfGateConfig } from '../config/types.js'
import { UserError } from '../errors.js'

/*
 * Splitting one config over several runners. A shard is `i/n` (1-based) or an explicit list of
 * benchmark names. Membership of `i/n` depends on the set of names only, never on their order in
 * the config: the names are sorted (by code unit, so no locale changes it) and dealt round-robin,
 * which keeps the shards within one benchmark of each other in size. Adding or removing a
 * benchmark may move others to another shard; that is harmless, because the merge job checks
 * that every shard arrived, not where each benchmark ran.
 */

export interface ShardSpec {
  /** 1-based. */
  index: number
  count: number
}

export type ShardSelection = { kind: 'shard'; shard: ShardSpec } | { kind: 'list'; names: string[] }

/** `2/3` → { index: 2, count: 3 }. */
export function parseShard(text: string, input = 'shard'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = Number(m?.[1])
  const count = Number(m?.[2])
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UserError(
      `input '${input}' must be i/n with 1 <= i <= n (for example 2/3, from the matrix); got '${text}'`
    )
  }
  return { index, count }
}

/** `a, b` or one name a line (YAML block scalar) → ['a', 'b']. */
export function parseBenchmarkList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
    )
  ]
}

/** The names shard `i/n` runs, in sorted order. */
export function shardMembers(names: readonly string[], shard: ShardSpec): string[] {
  return [...new Set(names)]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .filter((_, pos) => pos % shard.count === shard.index - 1)
}

/** The config with only the selected benchmarks; refuses a selection that runs nothing. */
export function selectBenchmarks(config: PerfGateConfig, sel: ShardSelection): PerfGateConfig {
  const known = config.benchmarks.map((b) => b.name)
  let wanted: string[]
  if (sel.kind === 'shard') {
    if (sel.shard.count > known.length) {
      throw new UserError(
        `input 'shard' is ${sel.shard.index}/${sel.shard.count}, but ${config.file} has ${known.length} benchmark(s): use at most ${known.length} shards`
      )
    }
    wanted = shardMembers(known, sel.shard)
  } else {
    const unknown = sel.names.filter((n) => !known.includes(n))
    if (unknown.length > 0) {
      throw new UserError(
        `input 'benchmarks' names ${unknown.map((n) => `'${n}'`).join(', ')}, not in ${config.file}; its benchmarks are: ${known.join(', ')}`
      )
    }
    if (sel.names.length === 0) throw new UserError("input 'benchmarks' names no benchmark")
    wanted = sel.names
  }
  return { ...config, benchmarks: config.benchmarks.filter((b) => wanted.includes(b.name)) }
}

/** Artifact names allow no `/ \ : " < > | * ?` and no line breaks; keep them plain. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_')
}

/** Every shard artifact of a testbed starts with this; the merge job lists artifacts by it. */
export function shardArtifactPrefix(testbed: string): string {
  return `perf-gate-${slug(testbed)}-shard-`
}

/**
 * `perf-gate-<testbed>-shard-2-of-3`, or for an explicit list its names plus a short hash of
 * the whole list (two lists that slug alike must not overwrite each other's artifact).
 */
export function shardArtifactName(testbed: string, sel: ShardSelection): string {
  const prefix = shardArtifactPrefix(testbed)
  if (sel.kind === 'shard') return `${prefix}${sel.shard.index}-of-${sel.shard.count}`
  const sorted = [...sel.names].sort()
  const hash = createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 8)
  return `${prefix}${slug(sorted.join('_')).slice(0, 60)}-${hash}`
}

/** `2/3` back from an artifact name, when the shard was chosen by index. */
export function shardFromArtifactName(name: string): ShardSpec | null {
  const m = /-shard-(\d+)-of-(\d+)$/.exec(name)
  return m ? { index: Number(m[1]), count: Number(m[2]) } : null
}

export function describeSelection(sel: ShardSelection): string {
  return sel.kind === 'shard'
    ? `shard ${sel.shard.index}/${sel.shard.count}`
    : `benchmarks ${sel.names.join(', ')}`
}
