import type { ResultSet } from '../results/model.js'
import { gpuRows } from '../report/gpu-table.js'
import { hotspots } from '../report/hotspots.js'
import { insightsOf } from '../report/insights.js'
import { moreRunsNeeded } from '../report/observations.js'
import { speedPhrase } from '../report/speed.js'
import { shownCentres, valueCi, valueDelta } from '../report/tables.js'
import type { GateReport } from '../types/report.js'
import { shortSha } from '../shared/text.js'

/*
 * The computed facts the analyst model receives, as JSON: the model reads numbers, never files,
 * and every number it may cite is in here (rounded as the report shows it).
 */

export interface AnalystFacts {
  verdict: string
  route: string
  reason: string
  testbed: string
  commit: string | null
  baselineCommit: string | null
  counts: {
    /** Metrics compared (regressions + unchanged + improvements), as the table's verdicts count. */
    metrics: number
    /** Metrics shown but not compared (neutral: no baseline, too few samples, …). */
    notCompared: number
    regressions: number
    improvements: number
    unchanged: number
    benchmarks: number
  }
  metrics: Array<{
    benchmark: string
    metric: string
    unit: string
    direction: string
    verdict: string
    baseline: number | null
    current: number | null
    changePct: number | null
    /** For a metric at 0 on one side (no ratio): current − baseline in its unit. */
    absoluteChange?: number
    ciPct: [number, number] | null
    /** How many times better (>1) or worse (<1) the current value is. */
    factor: number | null
    /** The change said plainly, as the report says it: "1.12× slower". */
    plain: string | null
    cvPct: number | null
    runs: number | null
    moreRunsToDecide: number | null
  }>
  notes: Array<{ benchmark: string; note: string }>
  outliers: Array<{
    benchmark: string
    metric: string
    run: number
    warmup: boolean
    value: number
    timesMedian: number
  }>
  gpus: Array<{
    benchmark: string
    gpu: number
    vramPeakMiB: number | null
    utilMeanPct: number | null
  }>
  hotspots: Array<{
    benchmark: string
    total: string
    changePct: number
    carriedBy: string | null
    stages: Record<string, number>
  }>
  /** Models, GPU names and other fingerprint strings the answer may name. */
  environment: Record<string, string | number | boolean | null>
}

function round(v: number | null | undefined, digits = 3): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null
  if (v === 0) return 0
  const scale = Math.max(digits, digits - Math.floor(Math.log10(Math.abs(v))) - 1)
  return Number(v.toFixed(Math.min(12, Math.max(0, scale))))
}

function pct(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : Number((v * 100).toFixed(1))
}

const MAX_METRICS = 200

export function buildFacts(
  report: GateReport,
  current: ResultSet,
  baseline: ResultSet | null
): AnalystFacts {
  const { outcome } = report
  const ins = insightsOf(report, current)
  // The largest changes first, and only so many: a prompt has a size, and a model reads the top.
  const comparisons = [...outcome.comparisons]
    .sort((a, b) => Math.abs(valueDelta(b) ?? 0) - Math.abs(valueDelta(a) ?? 0))
    .slice(0, MAX_METRICS)
  const environment: AnalystFacts['environment'] = {}
  for (const [k, v] of Object.entries(current.environment)) {
    if (/^(gpu\.|cuda\.|ollama\.|os$|cpu$|arch$)/.test(k)) environment[k] = v
  }
  return {
    verdict: outcome.verdict,
    route: outcome.route,
    reason: outcome.reason,
    testbed: report.testbed,
    commit: shortSha(report.current.sha),
    baselineCommit: shortSha(report.baseline?.sha),
    counts: {
      metrics: outcome.regressions + outcome.unchanged + outcome.improvements,
      notCompared: outcome.comparisons.filter((c) => c.verdict === 'neutral').length,
      regressions: outcome.regressions,
      improvements: outcome.improvements,
      unchanged: outcome.unchanged,
      benchmarks: current.benchmarks.length
    },
    metrics: comparisons.map((c) => {
      const ci = valueCi(c)
      // The values the tables show beside Δ, so the narrative cannot contradict it either.
      const shown = shownCentres(c)
      const base = shown.baseline ?? undefined
      const cur = shown.current ?? undefined
      const factor =
        base && cur && base > 0 && cur > 0
          ? c.direction === 'higher'
            ? cur / base
            : base / cur
          : null
      return {
        benchmark: c.benchmark,
        metric: c.metric,
        unit: c.unit,
        direction: c.direction,
        verdict: c.verdict,
        baseline: round(base),
        current: round(cur),
        changePct: pct(valueDelta(c)),
        ...(c.absoluteChange !== undefined && c.valueChange === null
          ? { absoluteChange: round(c.absoluteChange) ?? 0 }
          : {}),
        ciPct:
          ci && Number.isFinite(ci[0]) && Number.isFinite(ci[1])
            ? [pct(ci[0]) ?? 0, pct(ci[1]) ?? 0]
            : null,
        factor: factor === null ? null : Number(factor.toFixed(2)),
        plain: speedPhrase(base, cur, c.direction, c.unit),
        cvPct: pct(c.current?.cv ?? null),
        runs: c.current?.n ?? null,
        moreRunsToDecide: moreRunsNeeded(c)
      }
    }),
    notes: ins.notes.map((n) => ({ benchmark: n.benchmark, note: n.text })),
    outliers: ins.outliers.slice(0, 50).map((o) => ({
      benchmark: o.benchmark,
      metric: o.metric,
      run: o.run,
      warmup: o.warmup,
      value: round(o.value) ?? 0,
      timesMedian: Number(o.ratio.toFixed(1))
    })),
    gpus: gpuRows(current, baseline).map((g) => ({
      benchmark: g.benchmark,
      gpu: g.gpu,
      vramPeakMiB: round(g.vramPeakMiB),
      utilMeanPct: round(g.utilMeanPct)
    })),
    hotspots: hotspots(outcome.comparisons, current, baseline).map((h) => ({
      benchmark: h.benchmark,
      total: h.total,
      changePct: pct(h.change) ?? 0,
      carriedBy: h.carriedBy,
      stages: Object.fromEntries(h.stages.map((s) => [s.stage, pct(s.change) ?? 0]))
    })),
    environment
  }
}
