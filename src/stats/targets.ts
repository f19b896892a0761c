import type { Benchmark, Metric, ResultSet } from '../results/model.js'
import { plural } from '../shared/text.js'
import { normalCdf } from './mann-whitney.js'
import { bhReject } from './multiplicity.js'
import { isProportion } from './proportion.js'
import { normalQuantile } from './student-t.js'
import { neutralComparison } from './compare.js'
import type {
  GateOutcome,
  MetricComparison,
  Route,
  TargetResult,
  TargetSpec,
  Verdict
} from './types.js'

/*
 * Absolute targets (`decode_tps: ">= 45"`), judged on this run alone so they hold from the very
 * first run. The centre of a metric is its median, with the distribution-free CI between two order
 * statistics (exact binomial coverage ≥ 90 %); a fraction (accuracy, error_rate) is a proportion,
 * with the Wilson score interval. FAIL when the whole CI is on the wrong side of the bound, WARN
 * when it straddles it, PASS when it is wholly on the right side.
 *
 * Many targets (a matrix of 64 cells × 3) would give some false FAILs at 5 % each, so a FAIL must
 * also survive Benjamini–Hochberg at q = 5 % over the one-sided p-values of all targets of the run
 * (sign test; score test for proportions), as the gate's WARNs do over the baseline comparisons.
 * One that does not is a WARN. The baseline comparisons' own families are left as they were: a
 * target's verdict is combined with the metric's baseline verdict after both are corrected.
 */

export const TARGET_LEVEL = 0.9
/** FDR level the FAILs of all targets of a run are confirmed at. */
export const TARGET_Q = 0.05

const ALPHA = (1 - TARGET_LEVEL) / 2
const SEVERITY: Record<Verdict, number> = { neutral: 0, pass: 1, warn: 2, fail: 3 }
const ROUTE: Record<Verdict, Route> = { fail: 'A', warn: 'B', pass: 'B', neutral: 'none' }

/** log C(n, k) by summing logs: exact enough for the n of a benchmark (tens to thousands). */
function logChoose(n: number, k: number): number {
  let s = 0
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i)
  return s
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2). */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0
  if (k >= n) return 1
  let total = 0
  for (let i = 0; i <= k; i++) total += Math.exp(logChoose(n, i) - n * Math.LN2)
  return Math.min(1, total)
}

/**
 * The order statistics (1-based rank r, so the CI is [x(r), x(n+1−r)]) bounding the median at
 * `level`, or null when n is too small for any pair to reach it (n < 5 at 90 %).
 */
export function medianCiRank(n: number, level = TARGET_LEVEL): number | null {
  const alpha = (1 - level) / 2
  let best: number | null = null
  for (let r = 1; r <= Math.floor((n + 1) / 2); r++) {
    if (binomialHalfCdf(n, r - 1) <= alpha) best = r
    else break
  }
  return best
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The median with its order-statistic CI, ±Infinity when n is too small to bound it. */
export function medianWithCi(samples: readonly number[]): { centre: number; ci: [number, number] } {
  const s = [...samples].sort((a, b) => a - b)
  const r = medianCiRank(s.length)
  return {
    centre: median(s),
    ci: r === null ? [-Infinity, Infinity] : [s[r - 1], s[s.length - r]]
  }
}

/** A proportion with its Wilson score interval at TARGET_LEVEL, each sample one trial. */
export function proportionWithCi(samples: readonly number[]): {
  centre: number
  ci: [number, number]
} {
  const n = samples.length
  const p = samples.reduce((a, b) => a + b, 0) / n
  const z = normalQuantile(1 - ALPHA)
  const z2n = (z * z) / n
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + z2n)
  // At 0 or 1 the interval touches the edge exactly; rounding must not pull it off.
  const lo = p === 0 ? 0 : Math.max(0, centre - half)
  const hi = p === 1 ? 1 : Math.min(1, centre + half)
  return { centre: p, ci: [lo, hi] }
}

function pValue(t: TargetSpec, m: Metric, centre: number): number {
  const n = m.samples.length
  if (isProportion(m)) {
    // Score test of H0 "p is on the right side of the bound"; evidence is the shortfall.
    const b = Math.min(1 - 1e-9, Math.max(1e-9, t.bound))
    const z = (centre - b) / Math.sqrt((b * (1 - b)) / n)
    return t.op === '>=' ? normalCdf(z) : 1 - normalCdf(z)
  }
  // Sign test: how many samples sit on the wrong side, against a fair coin.
  const wrong = m.samples.filter((v) => (t.op === '>=' ? v < t.bound : v > t.bound)).length
  return 1 - binomialHalfCdf(n, wrong - 1)
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞'
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US')
  return String(Number(v.toPrecision(3)))
}

/** "≥ 45" as the messages write it. */
export function targetText(t: Pick<TargetSpec, 'op' | 'bound'>): string {
  return `${t.op === '>=' ? '≥' : '≤'} ${fmt(t.bound)}`
}

/** One target on one metric of this run, before the FAILs are confirmed over the family. */
export function judgeTarget(t: TargetSpec, m: Metric | undefined, bench: Benchmark): TargetResult {
  const base = { op: t.op, bound: t.bound, level: TARGET_LEVEL }
  const notJudged = (why: string): TargetResult => ({
    ...base,
    verdict: 'neutral',
    centre: null,
    ci: null,
    n: m?.samples.length ?? 0,
    p: null,
    reason: `target ${targetText(t)} not judged: ${why}`
  })
  if (bench.invalid) return notJudged(`the run is invalid (${bench.invalid})`)
  if (!m) return notJudged(`${bench.name} has no metric ${t.metric}`)
  const { centre, ci } = isProportion(m) ? proportionWithCi(m.samples) : medianWithCi(m.samples)
  const [lo, hi] = ci
  let verdict: Verdict
  if (t.op === '>=') verdict = hi < t.bound ? 'fail' : lo >= t.bound ? 'pass' : 'warn'
  else verdict = lo > t.bound ? 'fail' : hi <= t.bound ? 'pass' : 'warn'
  // A ratio or a fraction reads best as the bare number.
  const unit = m.unit && m.unit !== 'ratio' && m.unit !== 'fraction' ? ` ${m.unit}` : ''
  const ciText =
    Number.isFinite(lo) && Number.isFinite(hi)
      ? `${Math.round(TARGET_LEVEL * 100)} % CI ${fmt(lo)} … ${fmt(hi)}`
      : `${m.samples.length} samples are too few to bound a ${Math.round(TARGET_LEVEL * 100)} % CI; 5 would`
  const state = verdict === 'fail' ? 'missed' : verdict === 'warn' ? 'undecided' : 'met'
  return {
    ...base,
    verdict,
    centre,
    ci,
    n: m.samples.length,
    p: pValue(t, m, centre),
    reason: `${t.metric} ${fmt(centre)}${unit}, target ${targetText(t)} ${state} (${ciText})`
  }
}

export type TargetsFor = (benchmark: string) => readonly TargetSpec[]

function worst(a: Verdict, b: Verdict): Verdict {
  return SEVERITY[a] >= SEVERITY[b] ? a : b
}

/**
 * The outcome with every target of the run judged and folded in: each target sits on its metric's
 * comparison (one is added, neutral against the baseline, for a metric not compared, such as an
 * ungated one), the verdict of that comparison is the worse of the two, and the run's verdict,
 * route, counts and reason follow.
 */
export function applyTargets(
  outcome: GateOutcome,
  current: ResultSet,
  targetsFor: TargetsFor
): GateOutcome {
  const judged: {
    bench: string
    metric: Metric | undefined
    spec: TargetSpec
    result: TargetResult
  }[] = []
  // A matrix target applies where its metric exists: batch_efficiency has no concurrency-1 cell.
  const inEntry = new Map<string, Set<string>>()
  for (const b of current.benchmarks) {
    if (!b.matrix) continue
    const names = inEntry.get(b.matrix.entry) ?? new Set<string>()
    for (const m of b.metrics) names.add(m.name)
    inEntry.set(b.matrix.entry, names)
  }
  for (const b of current.benchmarks) {
    for (const spec of targetsFor(b.name)) {
      const metric = b.metrics.find((m) => m.name === spec.metric)
      if (!metric && b.matrix && inEntry.get(b.matrix.entry)?.has(spec.metric)) continue
      judged.push({ bench: b.name, metric, spec, result: judgeTarget(spec, metric, b) })
    }
  }
  if (judged.length === 0) return outcome

  const open = judged.filter((j) => j.result.verdict !== 'neutral')
  const confirmed = bhReject(
    open.map((j) => (j.result.verdict === 'fail' ? (j.result.p ?? 1) : 1)),
    TARGET_Q
  )
  open.forEach((j, i) => {
    if (j.result.verdict === 'fail' && !confirmed[i]) {
      // Every sample on the wrong side gives p = 2⁻ⁿ, which must reach q / m at rank 1.
      const runs = Math.ceil(Math.log2(open.length / TARGET_Q))
      const advice =
        !isProportion({ unit: j.metric?.unit ?? '' }) && runs > j.result.n
          ? `; with ${runs} runs per benchmark a miss by every run would be confirmed`
          : ''
      j.result = {
        ...j.result,
        verdict: 'warn',
        reason: `${j.result.reason}, but not significant after Benjamini–Hochberg over ${plural(open.length, 'target')} (p = ${Number((j.result.p ?? 1).toPrecision(2))}): warn only${advice}`
      }
    }
  })

  const comparisons = outcome.comparisons.map((c) => ({ ...c }))
  const key = (bench: string, metric: string): string => `${bench}\u0000${metric}`
  const index = new Map(comparisons.map((c, i) => [key(c.benchmark, c.metric), i]))
  for (const j of judged) {
    const at = index.get(key(j.bench, j.spec.metric))
    let c: MetricComparison
    if (at === undefined) {
      const m = j.metric
      c = neutralComparison(
        {
          benchmark: j.bench,
          metric: j.spec.metric,
          unit: m?.unit ?? '',
          direction: m?.direction ?? (j.spec.op === '>=' ? 'higher' : 'lower'),
          class: m?.class ?? 'non-critical',
          thresholds: { warn: 0, fail: null }
        },
        m?.gate === false
          ? 'not compared with the baseline (gate: false); judged on its target'
          : 'no baseline comparison; judged on its target'
      )
      index.set(key(j.bench, j.spec.metric), comparisons.length)
      comparisons.push(c)
    } else c = comparisons[at]
    const t = j.result
    c.target = t
    if (SEVERITY[t.verdict] > SEVERITY[c.verdict]) {
      c.reason = `${t.reason}; ${c.reason}`
      c.verdict = t.verdict
    } else c.verdict = worst(c.verdict, t.verdict)
  }

  const counts = { met: 0, missed: 0, undecided: 0, notJudged: 0 }
  for (const j of judged) {
    if (j.result.verdict === 'fail') counts.missed++
    else if (j.result.verdict === 'warn') counts.undecided++
    else if (j.result.verdict === 'pass') counts.met++
    else counts.notJudged++
  }
  const verdict = comparisons.reduce<Verdict>((w, c) => worst(w, c.verdict), 'neutral')
  const regressions = comparisons.filter((c) => c.verdict === 'warn' || c.verdict === 'fail').length
  const improvements = comparisons.filter((c) => c.improved && c.verdict === 'pass').length
  const used = comparisons.filter((c) => c.verdict !== 'neutral').length
  const missed = judged.filter((j) => j.result.verdict === 'fail')
  const undecided = judged.filter((j) => j.result.verdict === 'warn')
  const parts: string[] = []
  const list = (items: typeof judged): string =>
    items
      .slice(0, 3)
      .map((j) => `${j.bench}/${j.result.reason}`)
      .join('; ') + (items.length > 3 ? `; and ${items.length - 3} more` : '')
  if (missed.length) parts.push(`${plural(missed.length, 'target')} missed: ${list(missed)}`)
  if (undecided.length)
    parts.push(`${plural(undecided.length, 'target')} undecided: ${list(undecided)}`)
  if (!missed.length && !undecided.length && counts.met) {
    parts.push(counts.met === 1 ? 'the target is met' : `all ${counts.met} targets met`)
  }
  const targetPart = parts.join('; ')
  const baselinePart = outcome.reason
  const reason =
    SEVERITY[verdict] > SEVERITY[outcome.verdict] ||
    (outcome.verdict === 'neutral' && verdict !== 'neutral')
      ? `${targetPart}; ${baselinePart}`
      : targetPart
        ? `${baselinePart}; ${targetPart}`
        : baselinePart
  return {
    ...outcome,
    verdict,
    route: ROUTE[verdict],
    reason,
    comparisons,
    regressions,
    improvements,
    unchanged: used - regressions - improvements,
    targets: counts
  }
}
