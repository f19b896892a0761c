import { UserError } from '../errors.js'
import { fileInput, parseResultSet } from '../importers/index.js'
import {
  RESULTS_SCHEMA_ID,
  RESULTS_VERSION,
  type Benchmark,
  type Environment,
  type ResultSet
} from '../results/model.js'
import { loadConfig } from '../config/load.js'
import { mergeFingerprint } from '../results/environment.js'
import { checkFingerprint } from './fingerprint-check.js'
import { shardArtifactPrefix, shardFromArtifactName, shardMembers } from './shard.js'

/*
 * `mode: merge`: the result sets several shard jobs uploaded become one, gated once. A gate over
 * mixed hardware would compare a benchmark measured on one machine with its baseline from
 * another, so shards of one testbed must agree on every fingerprint key that decides inference
 * speed; when they do not, the merge refuses and names the key, the values and the shards,
 * instead of posting a verdict nobody can trust. (A neutral verdict was the alternative; but
 * the fix is in the workflow's runs-on, so the workflow's author is the one to tell, loudly.)
 */

export interface ShardFile {
  /** The artifact (or folder) it came from: what error messages name. */
  label: string
  file: string
}

export interface ShardResults {
  label: string
  set: ResultSet
}

/** Reads each shard's results document; an artifact must hold exactly one. */
export async function readShardResults(files: ShardFile[]): Promise<ShardResults[]> {
  const byLabel = new Map<string, ShardFile[]>()
  for (const f of files) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f])
  const out: ShardResults[] = []
  for (const [label, group] of byLabel) {
    if (group.length !== 1) {
      throw new UserError(
        `${label} holds ${group.length} results files (${group.map((g) => g.file).join(', ')}); a shard uploads exactly one`
      )
    }
    const [only] = group
    if (!only) continue
    // parseResultSet reads synchronously; the await keeps a read error a rejection, not a throw.
    out.push({
      label,
      set: await Promise.resolve().then(() => parseResultSet(fileInput(only.file)))
    })
  }
  return out
}

export interface MergeOptions {
  /** Number of shards expected (input `shards`); otherwise taken from `i-of-n` artifact names. */
  expected?: number
  /** What shard `i/n` runs, to name the benchmarks a missing shard took with it. */
  membersOf?: (index: number, count: number) => string[]
  /** Fingerprint keys allowed to differ (input allow-fingerprint-changes). */
  allow?: readonly string[]
}

export function mergeShards(shards: ShardResults[], opts: MergeOptions = {}): ResultSet {
  if (shards.length === 0) throw new UserError('there are no shard results to merge')
  checkComplete(shards, opts)
  const first = shards[0]

  for (const s of shards) {
    if (s.set.testbed !== first.set.testbed) {
      throw new UserError(
        `${s.label} measured testbed '${s.set.testbed}' but ${first.label} measured '${first.set.testbed}'; one merge gates one testbed`
      )
    }
    if (s.set.commit.sha !== first.set.commit.sha) {
      throw new UserError(
        `${s.label} measured commit ${s.set.commit.sha ?? 'unknown'} but ${first.label} measured ${first.set.commit.sha ?? 'unknown'}; shards of one gate measure one commit`
      )
    }
  }

  const owner = new Map<string, string>()
  const benchmarks: Benchmark[] = []
  for (const s of shards) {
    for (const b of s.set.benchmarks) {
      const other = owner.get(b.name)
      if (other !== undefined) {
        throw new UserError(
          `benchmark '${b.name}' is in both ${other} and ${s.label}; give each benchmark to one shard`
        )
      }
      owner.set(b.name, s.label)
      benchmarks.push(b)
    }
  }

  return {
    $schema: RESULTS_SCHEMA_ID,
    version: RESULTS_VERSION,
    testbed: first.set.testbed,
    createdAt: shards.map((s) => s.set.createdAt).sort()[shards.length - 1] ?? first.set.createdAt,
    commit: {
      ...first.set.commit,
      ...(shards.some((s) => s.set.commit.dirty) ? { dirty: true } : {})
    },
    environment: mergeEnvironments(shards, opts.allow ?? []),
    benchmarks
  }
}

function checkComplete(shards: ShardResults[], opts: MergeOptions): void {
  const seen = new Map<number, string>()
  let count = opts.expected
  for (const s of shards) {
    const spec = shardFromArtifactName(s.label)
    if (!spec) continue
    if (count !== undefined && spec.count !== count) {
      throw new UserError(
        `${s.label} is shard ${spec.index} of ${spec.count}, but ${opts.expected !== undefined ? `input 'shards' is ${opts.expected}` : `other shards are of ${count}`}; every shard job must use the same n`
      )
    }
    count = spec.count
    seen.set(spec.index, s.label)
  }
  if (count === undefined) return
  if (seen.size === 0) {
    // Explicit lists carry no index: the count is all that can be checked.
    if (shards.length !== count) {
      throw new UserError(
        `expected ${count} shard results (input 'shards'), found ${shards.length}: ${shards.map((s) => s.label).join(', ')}`
      )
    }
    return
  }
  const missing: string[] = []
  for (let i = 1; i <= count; i++) {
    if (seen.has(i)) continue
    const members = opts.membersOf?.(i, count) ?? []
    missing.push(`${i}/${count}${members.length > 0 ? ` (${members.join(', ')})` : ''}`)
  }
  if (missing.length > 0) {
    throw new UserError(
      `shard ${missing.join(', shard ')} ${missing.length === 1 ? 'is' : 'are'} missing: found only ${[...seen.values()].sort().join(', ')}. A shard job failed or did not upload its results; the merge gates only a complete set`
    )
  }
}

/**
 * One environment for the merged set, judged by the rule that decides whether a result is
 * comparable with its baseline (fingerprint-check): a key that would block that comparison (GPU
 * model and count, driver major, Ollama version, a benchmark's model digest) must agree between
 * shards unless allowed; other keys (kernel, CPU, host) keep every value seen, as "a | b".
 */
function mergeEnvironments(shards: ShardResults[], allow: readonly string[]): Environment {
  const first = shards[0]
  const merged: Record<string, string | number | boolean | null> = {}
  // Each key's first value seen: every later shard is held to it, not to the joined values.
  const reference: Record<string, string | number | boolean | null> = {}
  const from = new Map<string, string>()
  const differences: string[] = []
  for (const s of shards) {
    const env = Object.fromEntries(
      Object.entries(s.set.environment).filter(([, v]) => v !== undefined)
    ) as Record<string, string | number | boolean | null>
    if (s !== first) {
      for (const d of checkFingerprint(reference as Environment, env as Environment, allow)) {
        if (d.effect !== 'block' || d.allowed) continue
        differences.push(
          `${d.key} is ${d.baseline ?? '(absent)'} in ${from.get(d.key) ?? first.label} but ${d.current ?? '(absent)'} in ${s.label}`
        )
      }
    }
    for (const [key, value] of Object.entries(env)) {
      if (from.has(key)) continue
      from.set(key, s.label)
      reference[key] = value
    }
    mergeFingerprint(merged, env)
  }
  if (differences.length > 0) {
    throw new UserError(
      `the shards of testbed '${first.set.testbed}' ran on different machines: ${differences.slice(0, 4).join('; ')}${differences.length > 4 ? `; and ${differences.length - 4} more` : ''}. Pin the matrix to runners of one kind (runs-on labels), give each kind its own testbed, or list the key in allow-fingerprint-changes`
    )
  }
  // The schema keeps these numbers; the smallest is the conservative reading of the testbed.
  merged.cpuCount = Math.min(...shards.map((s) => s.set.environment.cpuCount))
  merged.memoryBytes = Math.min(...shards.map((s) => s.set.environment.memoryBytes))
  return merged as Environment
}

/**
 * The merge job's results: the shards of the config's testbed, fetched (artifact prefix given),
 * read, checked and merged into one set to gate.
 */
export async function mergeForConfig(opts: {
  configPath: string
  testbed?: string
  expected?: number
  allow?: readonly string[]
  /** The commit this run is for: shards from another run are refused. */
  sha?: string | null
  fetch: (prefix: string) => Promise<ShardFile[]>
}): Promise<ResultSet> {
  const config = await loadConfig(opts.configPath)
  const testbed = opts.testbed ?? config.testbed
  const names = config.benchmarks.map((b) => b.name)
  const shards = await readShardResults(await opts.fetch(shardArtifactPrefix(testbed)))
  const merged = mergeShards(shards, {
    ...(opts.expected !== undefined ? { expected: opts.expected } : {}),
    membersOf: (index, count) => shardMembers(names, { index, count }),
    ...(opts.allow ? { allow: opts.allow } : {})
  })
  if (opts.sha && merged.commit.sha && merged.commit.sha !== opts.sha) {
    throw new UserError(
      `the shard results are for commit ${merged.commit.sha}, but this run is for ${opts.sha}: they come from another run`
    )
  }
  return merged
}
