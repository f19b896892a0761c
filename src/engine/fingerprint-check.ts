import { plural } from '../shared/text.js'
import type { Environment, ResultSet } from '../results/model.js'
import type { FingerprintDifference } from '../types/report.js'
import { neutralComparison } from '../stats/compare.js'
import { gate } from '../stats/gate.js'
import type { GateOutcome, MetricComparison } from '../stats/types.js'
import { compareResultSets, type CompareOptions } from '../stats/compare-sets.js'

/*
 * A baseline measured on other hardware or another software stack says nothing about the pull
 * request: a new driver or Ollama release moves tokens/s by more than any budget. So the keys that
 * decide inference speed are compared first, and the benchmarks they concern are left neutral
 * when one differs, with exactly what differs; the user can allow listed keys (a planned upgrade).
 * Other keys (CPU, OS, memory) are shown for information only: a testbed already names a class of
 * machine, and refusing on every kernel update would leave the gate neutral most of the time.
 */

export type { FingerprintDifference }

/** Machine-wide keys that block every benchmark, with how their values are compared. */
const MACHINE_BLOCKING: Record<string, (v: string) => string> = {
  'gpu.count': (v) => v,
  'gpu.names': (v) => v,
  // Minor driver releases are bug fixes; the major version is where performance changes.
  'gpu.driver': driverMajor,
  'ollama.version': (v) => v
}

/** Per-benchmark keys (`ollama.<benchmark>.<suffix>`) that block that benchmark. */
const BENCH_BLOCKING = ['model.digest', 'model.quantization', 'num_ctx']
/** Per-benchmark keys shown for information. */
const BENCH_NOTE = ['model', 'model.family', 'model.parameter_size', 'api', 'num_gpu', 'think']

/** Keys that differ between runs of the same machine class by design. */
const IGNORED = new Set(['hostname'])

const BENCH_KEY = new RegExp(
  `^ollama\\.(.+)\\.(${[...BENCH_BLOCKING, ...BENCH_NOTE, 'gpu_offload'].map((s) => s.replace(/\./g, '\\.')).join('|')})$`
)

function driverMajor(v: string): string {
  const majors = v.split(/\s*[,|]\s*/).map((d) => /^\s*(\d+)/.exec(d)?.[1] ?? d.trim())
  return [...new Set(majors)].join(', ')
}

// Digests are compared whole and shown as `ollama list` shows them.
function shortDigest(v: string): string {
  const hex = v.replace(/^sha256:/, '')
  return /^[0-9a-f]{64}$/i.test(hex) ? hex.slice(0, 12) : v
}

function present(v: unknown): v is string | number | boolean {
  return v !== undefined && v !== null && v !== ''
}

/** An `allow-fingerprint-changes` entry: a key, or a pattern with `*` (`ollama.*.model.digest`). */
function allowedBy(key: string, allow: readonly string[]): boolean {
  return allow.some((pattern) => {
    if (!pattern.includes('*')) return pattern === key
    const re = pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+')
    return new RegExp(`^${re}$`).test(key)
  })
}

/**
 * The keys whose values differ, each with the benchmarks it concerns and whether it blocks the
 * comparison. A key only one side recorded (an older baseline, a runner without nvidia-smi) is
 * shown but never blocks: it would make every baseline from before an upgrade of perf-gate useless.
 */
export function checkFingerprint(
  baseline: Environment,
  current: Environment,
  allow: readonly string[] = []
): FingerprintDifference[] {
  const keys = [...new Set([...Object.keys(baseline), ...Object.keys(current)])].sort()
  const out: FingerprintDifference[] = []
  for (const key of keys) {
    if (IGNORED.has(key)) continue
    const b: unknown = Object.hasOwn(baseline, key) ? baseline[key] : undefined
    const c: unknown = Object.hasOwn(current, key) ? current[key] : undefined
    const bench = BENCH_KEY.exec(key)
    const suffix = bench?.[2] ?? ''
    const machine = Object.hasOwn(MACHINE_BLOCKING, key) ? MACHINE_BLOCKING[key] : undefined
    const blocking = machine !== undefined || BENCH_BLOCKING.includes(suffix)
    const view = (v: unknown): string | null => {
      if (!present(v)) return null
      const s = String(v)
      if (machine) return machine(s)
      return suffix === 'model.digest' ? shortDigest(s) : s
    }
    // Compared on the normalised value (driver major), except digests: whole, never shortened.
    const same = suffix === 'model.digest' ? String(b) === String(c) : view(b) === view(c)
    if (same) continue
    const both = present(b) && present(c)
    out.push({
      key,
      baseline: view(b),
      current: view(c),
      benchmark: bench?.[1] ?? null,
      effect: blocking && both ? 'block' : 'note',
      allowed: allowedBy(key, allow)
    })
  }
  return out
}

/** Does a blocking difference cover this result benchmark (`name` or `name/sub`)? */
function blocks(d: FingerprintDifference, benchmark: string): boolean {
  if (d.effect !== 'block' || d.allowed) return false
  return (
    d.benchmark === null || benchmark === d.benchmark || benchmark.startsWith(`${d.benchmark}/`)
  )
}

export function blockingDifferences(
  diffs: readonly FingerprintDifference[]
): FingerprintDifference[] {
  return diffs.filter((d) => d.effect === 'block' && !d.allowed)
}

/**
 * Which stored jobs may stand for a benchmark of this run: those whose environment has no blocking
 * difference from `current` for it (a driver or model that changed between stored jobs would read
 * as runner drift). Allowed keys (`allow-fingerprint-changes`) do not exclude a job, as they do
 * not block the chosen baseline.
 */
export function usableHistory(
  sets: readonly ResultSet[],
  current: Environment,
  allow: readonly string[] = []
): (index: number, benchmark: string) => boolean {
  const blocking = sets.map((s) =>
    blockingDifferences(checkFingerprint(s.environment, current, allow))
  )
  return (index, benchmark) => !(blocking[index] ?? []).some((d) => blocks(d, benchmark))
}

/**
 * Compares the two result sets like `compareResultSets`, except that the benchmarks a blocking
 * difference concerns are neutral, naming the differences. Those are compared apart, so their
 * numbers still show, and left out of the family the false-alarm correction runs over.
 */
export function compareWithFingerprint(
  baseline: ResultSet,
  current: ResultSet,
  diffs: readonly FingerprintDifference[],
  opts: CompareOptions = {}
): GateOutcome {
  const blocking = blockingDifferences(diffs)
  if (blocking.length === 0) return compareResultSets(baseline, current, opts)
  const why = (bench: string): string[] =>
    blocking.filter((d) => blocks(d, bench)).map(differencePlain)
  const split = (set: ResultSet, blocked: boolean): ResultSet => ({
    ...set,
    benchmarks: set.benchmarks.filter((b) => why(b.name).length > 0 === blocked)
  })
  const kept = compareResultSets(split(baseline, false), split(current, false), opts)
  const aside: MetricComparison[] = compareResultSets(
    split(baseline, true),
    split(current, true),
    opts
  ).comparisons.map((c) =>
    neutralComparison(
      c,
      `not compared: the environment differs from the baseline (${why(c.benchmark).join(', ')})`,
      c.baseline,
      c.current
    )
  )
  const outcome = gate([...kept.comparisons, ...aside])
  const listed = blocking.map(differencePlain).join(', ')
  const hint = 'list the keys in allow-fingerprint-changes to compare anyway'
  const reason =
    outcome.verdict === 'neutral'
      ? `not compared: the environment differs from the baseline (${listed}); ${hint}`
      : `${outcome.reason}; ${plural(aside.length, 'metric')} not compared because the environment differs from the baseline (${listed}); ${hint}`
  return { ...outcome, reason }
}

/** "gpu.driver 570 → 575" as plain text (reasons are escaped where they are rendered). */
function differencePlain(d: FingerprintDifference): string {
  return `${d.key} ${d.baseline ?? 'not recorded'} → ${d.current ?? 'not recorded'}`
}
