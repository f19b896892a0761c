import { readFile } from 'node:fs/promises'
import { parseConfig } from '../../config/load.js'
import { thresholdsFromConfig } from '../../config/thresholds.js'
import type {
  BenchmarkSpec,
  FileBenchmark,
  MetricOverride,
  PerfGateConfig,
  SamplingPlan
} from '../../config/types.js'
import type { TargetSpec, Thresholds } from '../../stats/types.js'
import { UserError, errorMessage } from '../../errors.js'
import { budgetPct } from '../../stats/format.js'
import type { ThresholdsFor } from '../../stats/compare-sets.js'

/*
 * The two trees' configs. Each tree's own perf-gate.yml says what its benchmarks run (a pull
 * request may change a command), but what the pull request is judged by comes from the base:
 * budgets, classes, gating switches and the number of pairs. A pull request cannot loosen the
 * budget it is gated with; when it tries, the reports say so and name the base's budget.
 */

/** The base tree's config, or null when the base commit has no config file at that path. */
export async function loadBaseConfig(file: string, label: string): Promise<PerfGateConfig | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new UserError(`cannot read the base's config (${label}): ${errorMessage(e)}`)
  }
  try {
    return parseConfig(text, file)
  } catch (e) {
    // The worktree's path means nothing to the reader; the commit does.
    throw new UserError(`the base's config (${label}) is invalid: ${errorMessage(e)}`)
  }
}

/** The benchmarks of both trees, matched by name. */
export interface MatchedBenchmarks {
  /**
   * In both trees with the same kind, other than `file`: measured as pairs. `head` is the head's
   * entry as the base judges it (`judgedByBase`).
   */
  paired: Array<{ base: BenchmarkSpec; head: BenchmarkSpec }>
  /**
   * `file` benchmarks of both trees: they cannot be re-run, so the stored baseline judges them.
   * `head` reads the head's files, shaped and judged by the base's entry (`judgedByBase`).
   */
  stored: Array<{ base: FileBenchmark; head: FileBenchmark }>
  /** Only in the head's config (or of another kind there): reported, never gated. */
  added: string[]
  /** Only in the base's config: reported, never gated. */
  removed: string[]
}

export function matchBenchmarks(
  base: PerfGateConfig | null,
  head: PerfGateConfig
): MatchedBenchmarks {
  const baseByName = new Map((base?.benchmarks ?? []).map((b) => [b.name, b]))
  const out: MatchedBenchmarks = { paired: [], stored: [], added: [], removed: [] }
  for (const h of head.benchmarks) {
    const b = baseByName.get(h.name)
    // A benchmark the base does not define (or defines as another kind) has no budget the base
    // set, so it is new whatever its kind: a `file` entry the pull request adds is no exception.
    if (!b || b.kind !== h.kind) out.added.push(h.name)
    else if (h.kind === 'file' && b.kind === 'file')
      out.stored.push({ base: b, head: judgedByBase(h, b) })
    else out.paired.push({ base: b, head: judgedByBase(h, b) })
  }
  const headNames = new Set(head.benchmarks.map((h) => h.name))
  for (const b of base?.benchmarks ?? []) if (!headNames.has(b.name)) out.removed.push(b.name)
  return out
}

/**
 * The head's entry as the base judges it: what runs (the command, the files, the model) stays the
 * head's, and everything that decides a verdict is the base's: the class, the budgets, each
 * metric's class, direction and gating switch, and the absolute targets. The runners shape each
 * metric by the entry they are given (`applyMetricOverrides`), so a head that says `gate: false`,
 * `class: non-critical` or flips a direction gets a row shaped as the base's would be.
 */
export function judgedByBase<T extends BenchmarkSpec>(head: T, base: BenchmarkSpec): T {
  const out: T = { ...head, class: base.class, metrics: base.metrics }
  if (base.thresholds) out.thresholds = base.thresholds
  else delete out.thresholds
  if (base.targets) out.targets = base.targets
  else delete out.targets
  return out
}

/**
 * The budgets every compared metric is judged by: the base's, through the base's benchmark entry
 * (only benchmarks the base defines are compared). Without a base config nothing is compared, and
 * the head's budgets only shape the rows that say so.
 */
export function judgingThresholds(
  base: PerfGateConfig | null,
  head: PerfGateConfig
): ThresholdsFor {
  return thresholdsFromConfig(base ?? head)
}

/** The plan of pairs for a benchmark: its (base's) adaptive plan, else repetitions, doubled once. */
export function pairsPlan(spec: BenchmarkSpec): SamplingPlan {
  if (spec.kind === 'command' && spec.adaptive) return spec.adaptive
  const n = Math.max(spec.repetitions, MIN_PAIRS)
  return { min: n, max: 2 * n, step: n }
}

/** Fewer pairs give a 90 % CI of [min, max]: the paired rule's own floor. */
export const MIN_PAIRS = 6

function pct(v: number | null | undefined): string {
  if (v === undefined) return 'unset'
  return v === null ? 'none' : budgetPct(v)
}

function thresholdChanges(
  at: string,
  base: Partial<Thresholds> | undefined,
  head: Partial<Thresholds> | undefined,
  out: string[]
): void {
  for (const key of ['warn', 'fail'] as const) {
    const b = base?.[key]
    const h = head?.[key]
    if (b !== h) out.push(`${at}.${key} ${pct(b)} → ${pct(h)}`)
  }
}

function overrideChanges(
  at: string,
  base: MetricOverride | undefined,
  head: MetricOverride | undefined,
  out: string[]
): void {
  thresholdChanges(at, base, head, out)
  for (const key of ['class', 'direction', 'gate'] as const) {
    const b = base?.[key]
    const h = head?.[key]
    if (b !== h) out.push(`${at}.${key} ${String(b ?? 'unset')} → ${String(h ?? 'unset')}`)
  }
}

/**
 * Where the head's config judges differently from the base's: budgets, classes and gating
 * switches, each as "core.fail 5 % → 20 %". The base's values are the ones used.
 */
export function budgetChanges(base: PerfGateConfig | null, head: PerfGateConfig): string[] {
  if (!base) return []
  const out: string[] = []
  thresholdChanges('core', base.thresholds.core, head.thresholds.core, out)
  thresholdChanges('non-critical', base.thresholds.nonCritical, head.thresholds.nonCritical, out)
  const metricNames = new Set([
    ...Object.keys(base.thresholds.metrics),
    ...Object.keys(head.thresholds.metrics)
  ])
  for (const m of [...metricNames].sort()) {
    thresholdChanges(
      `metrics.${m}`,
      own(base.thresholds.metrics, m),
      own(head.thresholds.metrics, m),
      out
    )
  }
  const headByName = new Map(head.benchmarks.map((b) => [b.name, b]))
  for (const b of base.benchmarks) {
    const h = headByName.get(b.name)
    if (!h) continue
    if (b.class !== h.class) out.push(`${b.name}.class ${b.class} → ${h.class}`)
    thresholdChanges(b.name, b.thresholds, h.thresholds, out)
    const names = new Set([...Object.keys(b.metrics), ...Object.keys(h.metrics)])
    for (const m of [...names].sort()) {
      overrideChanges(`${b.name}.${m}`, own(b.metrics, m), own(h.metrics, m), out)
    }
    targetChanges(b.name, b.targets, h.targets, out)
    const bp = pairsPlan(b)
    const hp = pairsPlan(h)
    if (bp.min !== hp.min || bp.max !== hp.max) {
      out.push(`${b.name} pairs ${bp.min}–${bp.max} → ${hp.min}–${hp.max}`)
    }
  }
  return out
}

/** "work.targets.ops >= 45 → unset": a target is a gating switch like a budget. */
function targetChanges(
  at: string,
  base: readonly TargetSpec[] | undefined,
  head: readonly TargetSpec[] | undefined,
  out: string[]
): void {
  const text = (list: readonly TargetSpec[] | undefined, metric: string): string =>
    list?.find((t) => t.metric === metric)?.text ?? 'unset'
  const metrics = new Set([...(base ?? []), ...(head ?? [])].map((t) => t.metric))
  for (const m of [...metrics].sort()) {
    const b = text(base, m)
    const h = text(head, m)
    if (b !== h) out.push(`${at}.targets.${m} ${b} → ${h}`)
  }
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}
