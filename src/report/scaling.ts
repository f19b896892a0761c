import { markdownTable } from 'markdown-table'
import type { MetricComparison } from '../stats/types.js'
import type { GateReport, SweepCellView, SweepView } from '../types/report.js'
import { mermaidLabel, mermaidNumber, xyChart } from './chart.js'
import { escapeMarkdown } from './escape.js'
import { formatValue } from './format.js'
import { speedPhrase } from './speed.js'

/*
 * The Scaling section: how each matrix entry behaves as concurrency and context grow. Charts
 * (mermaid) draw one line per model or host with every other axis held at its first value, the
 * targets as grey lines, and, on the charts against concurrency, the saturation point as a pink
 * bar at the concurrency where a line saturates (xychart-beta has no vertical rule or point
 * marker, and a line series needs a value at every x; a bar series that is 0 elsewhere is the
 * one mark it draws at a single x). The saturation point is also said in words, and the same
 * numbers follow as a table, since mermaid does not render everywhere. A pure function of the
 * report.
 */

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1']
const COLOUR_NAMES = ['blue', 'orange', 'green', 'red', 'teal', 'yellow', 'purple']
const TARGET_COLOUR = '#7f7f7f'
/** Pale, so the lines drawn over the saturation bar stay readable. */
const SATURATION_COLOUR = '#f4b6c2'
/** Lines a chart draws before the rest are left to the table. */
const MAX_SERIES = PALETTE.length
/** Axes whose values are drawn as separate lines rather than along the x axis. */
const SERIES_AXES = ['model', 'host']

type Axes = SweepCellView['axes']

function sortValues(values: Array<string | number | boolean>): Array<string | number | boolean> {
  return [...new Set(values.map(String))]
    .map((v) => values.find((x) => String(x) === v) as string | number | boolean)
    .sort((a, b) =>
      typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1
    )
}

function valuesOf(view: SweepView, axis: string): Array<string | number | boolean> {
  return sortValues(view.cells.flatMap((c) => (axis in c.axes ? [c.axes[axis]] : [])))
}

function seriesAxes(view: SweepView): string[] {
  return SERIES_AXES.filter((a) => view.axes.includes(a))
}

function seriesKey(view: SweepView, axes: Axes): string {
  return seriesAxes(view)
    .map((a) => String(axes[a]))
    .join(' · ')
}

function seriesList(view: SweepView): string[] {
  return [...new Set(view.cells.map((c) => seriesKey(view, c.axes)))]
}

/** "concurrency=4, depth=0": the varying axes of a cell, the series axes left out when asked. */
export function cellLabel(view: SweepView, axes: Axes, omit: readonly string[] = []): string {
  const shown = view.axes.filter((a) => !omit.includes(a))
  return shown.length ? shown.map((a) => `${a}=${String(axes[a])}`).join(', ') : view.entry
}

function find(view: SweepView, want: Axes): SweepCellView | undefined {
  return view.cells.find((c) =>
    Object.entries(want).every(([k, v]) => String(c.axes[k]) === String(v))
  )
}

function targetOf(
  comparisons: readonly MetricComparison[],
  benchmark: string,
  metric: string
): MetricComparison['target'] {
  return comparisons.find((c) => c.benchmark === benchmark && c.metric === metric)?.target
}

function opText(op: '>=' | '<='): string {
  return op === '>=' ? '≥' : '≤'
}

interface ChartSpec {
  title: string
  metric: string
  unit: string
  xAxis: string
  xs: Array<string | number | boolean>
  /** The other axes held fixed. */
  fixed: Axes
  /** Mark where each line saturates (a chart against concurrency). */
  saturation?: boolean
}

/** The saturation concurrency of one line: a figure of its cell at the lowest concurrency. */
function saturationOf(view: SweepView, fixed: Axes, series: string): number | undefined {
  const cs = valuesOf(view, 'concurrency')
  const sample = view.cells.find((x) => seriesKey(view, x.axes) === series)
  const want: Axes = { ...fixed, concurrency: cs[0] ?? 1 }
  for (const a of seriesAxes(view)) if (sample) want[a] = sample.axes[a]
  return find(view, want)?.values.saturation_concurrency
}

/**
 * The saturation bar: at each x where a drawn line saturates, as high as the highest such line
 * there, so the bar ends on the curve; 0 elsewhere. Null when no line saturates at a tested x
 * (a median of round-wise saturation points can fall between two of them; the words say it).
 */
function saturationBar(
  view: SweepView,
  spec: ChartSpec,
  series: readonly string[],
  lines: readonly number[][]
): { bar: number[]; text: string } | null {
  const bar = spec.xs.map(() => 0)
  const where: string[] = []
  series.forEach((name, i) => {
    const sat = saturationOf(view, spec.fixed, name)
    const j = sat === undefined ? -1 : spec.xs.findIndex((x) => Number(x) === sat)
    if (j < 0) return
    bar[j] = Math.max(bar[j] ?? 0, lines[i]?.[j] ?? 0)
    where.push(
      `${escapeMarkdown(name || view.entry, { maxLength: 80 })} at ${escapeMarkdown(spec.xAxis, { maxLength: 40 })} ${String(spec.xs[j])}`
    )
  })
  return where.length ? { bar, text: where.join(', ') } : null
}

function chart(view: SweepView, report: GateReport, spec: ChartSpec): string | null {
  const lines: number[][] = []
  const names: string[] = []
  /** The series key of each line drawn ('' when the view has no model or host axis). */
  const keys: string[] = []
  const dropped: string[] = []
  for (const series of seriesList(view).slice(0, MAX_SERIES)) {
    const sample = view.cells.find((c) => seriesKey(view, c.axes) === series)
    const base: Axes = { ...spec.fixed }
    for (const a of seriesAxes(view)) if (sample) base[a] = sample.axes[a]
    const points = spec.xs.map((x) => find(view, { ...base, [spec.xAxis]: x })?.values[spec.metric])
    if (points.some((p) => p === undefined || !Number.isFinite(p))) {
      dropped.push(series || view.entry)
      continue
    }
    lines.push(points as number[])
    names.push(series || view.entry)
    keys.push(series)
  }
  if (lines.length === 0) return null
  // A target drawn as a line: the same bound at every x, or each cell's own where they differ.
  let target: { line: number[]; text: string } | null = null
  const firstSeries = view.cells.find((c) => seriesKey(view, c.axes) === names[0])
  const targets = spec.xs.map((x) => {
    const base: Axes = { ...spec.fixed }
    for (const a of seriesAxes(view)) if (firstSeries) base[a] = firstSeries.axes[a]
    const cell = find(view, { ...base, [spec.xAxis]: x })
    return cell ? targetOf(report.outcome.comparisons, cell.benchmark, spec.metric) : undefined
  })
  if (targets.every((t) => t !== undefined)) {
    const bounds = targets.map((t) => t?.bound ?? 0)
    const same = bounds.every((b) => b === bounds[0])
    target = {
      line: bounds,
      text: `target ${opText(targets[0]?.op ?? '>=')} ${same ? formatValue(bounds[0]) : 'per cell'}`
    }
  }
  const saturation = spec.saturation ? saturationBar(view, spec, keys, lines) : null
  // Mermaid colours the series in the order declared, and the bar comes first (drawn under).
  const palette = [
    ...(saturation ? [SATURATION_COLOUR] : []),
    ...PALETTE.slice(0, lines.length),
    ...(target ? [TARGET_COLOUR] : [])
  ]
  const fixedText = Object.entries(spec.fixed)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ')
  const mermaid = xyChart({
    title: mermaidLabel(`${spec.title}${fixedText ? ` at ${fixedText}` : ''}`, 'scaling'),
    labels: spec.xs.map((x) => mermaidLabel(String(x), '?')),
    unit: mermaidLabel(spec.unit, 'value'),
    lines: target ? [...lines, target.line] : lines,
    ...(saturation ? { bars: [saturation.bar] } : {}),
    palette
  })
  const legend = [
    ...names.map((n, i) => `${COLOUR_NAMES[i] ?? ''} ${escapeMarkdown(n, { maxLength: 80 })}`),
    ...(target ? [`grey ${target.text}`] : [])
  ].join(' · ')
  const points = names
    .map(
      (n, i) =>
        `${escapeMarkdown(n, { maxLength: 80 })}: ${spec.xs
          .map((x, j) => `${String(x)} → ${formatValue(lines[i]?.[j])}`)
          .join(', ')}`
    )
    .join('; ')
  const axisText = escapeMarkdown(spec.xAxis, { maxLength: 40 })
  return [
    mermaid,
    '',
    `Lines: ${legend}.` +
      (saturation ? ` Pink bar: the saturation point, ${saturation.text}.` : '') +
      ` By ${axisText}: ${points}.` +
      (dropped.length
        ? ` Not drawn (a cell is missing): ${dropped.map((d) => escapeMarkdown(d, { maxLength: 80 })).join(', ')}.`
        : '')
  ].join('\n')
}

function pareto(view: SweepView, fixed: Axes): string | null {
  const cs = valuesOf(view, 'concurrency')
  const points: { name: string; agg: number; user: number }[] = []
  for (const series of seriesList(view).slice(0, MAX_SERIES)) {
    for (const c of cs) {
      const sample = view.cells.find((x) => seriesKey(view, x.axes) === series)
      const want: Axes = { ...fixed, concurrency: c }
      for (const a of seriesAxes(view)) if (sample) want[a] = sample.axes[a]
      const cell = find(view, want)
      const agg = cell?.values.aggregate_tps
      const user = cell?.values.per_user_tps
      if (agg === undefined || user === undefined) continue
      points.push({ name: `${series || view.entry} c${String(c)}`, agg, user })
    }
  }
  if (points.length < 2) return null
  const maxAgg = Math.max(...points.map((p) => p.agg)) * 1.05
  const maxUser = Math.max(...points.map((p) => p.user)) * 1.05
  // quadrantChart places points in [0, 1]²: both rates as shares of their largest value.
  return [
    '```mermaid',
    'quadrantChart',
    `    title ${mermaidLabel('Per-user against aggregate throughput', 'Pareto')}`,
    `    x-axis ${mermaidLabel('aggregate tokens per s', 'aggregate')} --> ${mermaidLabel(`${formatValue(maxAgg)}`, 'max')}`,
    `    y-axis ${mermaidLabel('per-user tokens per s', 'per user')} --> ${mermaidLabel(`${formatValue(maxUser)}`, 'max')}`,
    ...points.map(
      (p) =>
        `    ${mermaidLabel(p.name, 'cell').replace(/:/g, ' ')}: [${mermaidNumber(Math.round((p.agg / maxAgg) * 1000) / 1000)}, ${mermaidNumber(Math.round((p.user / maxUser) * 1000) / 1000)}]`
    ),
    '```'
  ].join('\n')
}

function first(view: SweepView, axis: string): string | number | boolean | undefined {
  return valuesOf(view, axis)[0]
}

/** Words on the saturation point (and the largest concurrency meeting the SLO) of each line. */
function saturationText(view: SweepView, fixed: Axes): string[] {
  const out: string[] = []
  const cs = valuesOf(view, 'concurrency')
  const last = cs[cs.length - 1]
  for (const series of seriesList(view)) {
    const sample = view.cells.find((x) => seriesKey(view, x.axes) === series)
    const want: Axes = { ...fixed, concurrency: cs[0] ?? 1 }
    for (const a of seriesAxes(view)) if (sample) want[a] = sample.axes[a]
    const ref = find(view, want)
    const sat = ref?.values.saturation_concurrency
    const name = escapeMarkdown(series || view.entry, { maxLength: 80 })
    if (sat !== undefined) {
      const ci = ref?.ci.saturation_concurrency
      out.push(
        `${name} saturates at concurrency ${formatValue(sat)}${ci ? ` (90 % CI ${formatValue(ci[0])} … ${formatValue(ci[1])})` : ''}: from there aggregate throughput gains under 5 % while TTFT p95 still rises.`
      )
    } else if (ref && !ref.invalid && ref.values.aggregate_tps !== undefined) {
      out.push(
        `${name} does not saturate up to concurrency ${String(last)}, the last tested: aggregate throughput still gains 5 % or more per step.`
      )
    }
    const slo = ref?.values.slo_concurrency
    if (slo !== undefined) {
      out.push(
        slo > 0
          ? `${name} meets its SLO up to concurrency ${formatValue(slo)}.`
          : `${name} meets its SLO at no concurrency tested.`
      )
    }
  }
  return out
}

const COLUMNS: Array<{ metric: string; title: string }> = [
  { metric: 'aggregate_tps', title: 'Aggregate tok/s' },
  { metric: 'per_user_tps', title: 'Per-user tok/s' },
  { metric: 'ttft_p95_ms', title: 'TTFT p95 ms' },
  { metric: 'batch_efficiency', title: 'Batch eff.' },
  { metric: 'decode_tps', title: 'Decode tok/s' },
  { metric: 'context_degradation', title: 'Ctx degr.' },
  { metric: 'goodput', title: 'Goodput req/s' },
  { metric: 'accuracy', title: 'Accuracy' },
  { metric: 'error_rate', title: 'Errors' }
]

function placement(cell: SweepCellView): string {
  const parts: string[] = []
  const ratio = cell.values.vram_ratio
  if (ratio !== undefined)
    parts.push(ratio >= 1 ? 'all in VRAM' : `${formatValue(ratio * 100)} % in VRAM`)
  if (cell.split !== null) {
    const holding = cell.gpus.filter((g) => (g.vramDeltaMiB ?? 0) > 512).map((g) => g.index)
    parts.push(
      cell.split
        ? `split over GPUs ${holding.join(', ')}`
        : holding.length
          ? `GPU ${holding.join(', ')} only`
          : 'no GPU load seen'
    )
  }
  if (cell.invalid) parts.push('**invalid**')
  return parts.join(', ')
}

/** The cells as a table: the numbers behind the charts, and the placement of each. */
export function renderSweepTable(view: SweepView, report: GateReport): string {
  const cols = COLUMNS.filter((c) => view.cells.some((cell) => c.metric in cell.values))
  const hasPlacement = view.cells.some((c) => c.values.vram_ratio !== undefined || c.split !== null)
  const mark = (cell: SweepCellView, metric: string): string => {
    const t = targetOf(report.outcome.comparisons, cell.benchmark, metric)
    return t?.verdict === 'fail' ? ' ❌' : t?.verdict === 'warn' ? ' ⚠️' : ''
  }
  const rows = view.cells.map((cell) => [
    escapeMarkdown(cellLabel(view, cell.axes), { maxLength: 160 }),
    ...cols.map((c) => {
      const v = cell.values[c.metric]
      return v === undefined ? '' : `${formatValue(v)}${mark(cell, c.metric)}`
    }),
    ...(hasPlacement ? [placement(cell)] : [])
  ])
  return markdownTable(
    [['Cell', ...cols.map((c) => c.title), ...(hasPlacement ? ['Placement'] : [])], ...rows],
    { alignDelimiters: false }
  )
}

/** "q5 is 1.31× slower than q4 (decode tokens/s); accuracy 0.92 vs 0.97", along model and host. */
export function sweepComparisonLines(view: SweepView, max = 8): string[] {
  const out: string[] = []
  let total = 0
  for (const axis of seriesAxes(view)) {
    const values = valuesOf(view, axis)
    const a = values[0]
    if (a === undefined || values.length < 2) continue
    for (const cellA of view.cells.filter((c) => String(c.axes[axis]) === String(a))) {
      for (const b of values.slice(1)) {
        const cellB = find(view, { ...cellA.axes, [axis]: b })
        if (!cellB) continue
        const speed = speedPhrase(
          cellA.values.decode_tps,
          cellB.values.decode_tps,
          'higher',
          cellA.units.decode_tps ?? 'tokens/s'
        )
        if (!speed) continue
        total++
        if (out.length >= max) continue
        const accA = cellA.values.accuracy
        const accB = cellB.values.accuracy
        const acc =
          accA !== undefined && accB !== undefined
            ? `; accuracy ${formatValue(accB)} vs ${formatValue(accA)}`
            : ''
        const where = cellLabel(view, cellA.axes, [axis])
        out.push(
          `${escapeMarkdown(String(b), { maxLength: 80 })} is ${speed.replace('about the same', 'about as fast as')}${speed === 'about the same' ? '' : ' than'} ${escapeMarkdown(String(a), { maxLength: 80 })} (decode tokens/s)${acc}, at ${escapeMarkdown(where, { maxLength: 120 })}`
        )
      }
    }
  }
  if (total > out.length)
    out.push(`… and ${total - out.length} more pairs (the report file has all)`)
  return out
}

/** The Scaling section's body for every matrix entry, or null when the run has none. */
export function renderScaling(
  report: GateReport,
  opts: { comparisonLines?: number } = {}
): string | null {
  const views = report.sweeps ?? []
  if (views.length === 0) return null
  const parts: string[] = []
  for (const view of views) {
    parts.push(`### ${escapeMarkdown(view.entry, { maxLength: 80 })}`)
    const fixedCtx: Axes = {}
    for (const a of ['depth', 'num_ctx']) {
      const v = first(view, a)
      if (view.axes.includes(a) && v !== undefined) fixedCtx[a] = v
    }
    const cs = valuesOf(view, 'concurrency')
    const charts: string[] = []
    if (view.axes.includes('concurrency') && cs.length > 1) {
      const agg = chart(view, report, {
        title: 'Aggregate tokens per s by concurrency',
        metric: 'aggregate_tps',
        unit: 'tokens/s',
        xAxis: 'concurrency',
        xs: cs,
        fixed: fixedCtx,
        saturation: true
      })
      const ttft = chart(view, report, {
        title: 'TTFT p95 by concurrency',
        metric: 'ttft_p95_ms',
        unit: 'ms',
        xAxis: 'concurrency',
        xs: cs,
        fixed: fixedCtx,
        saturation: true
      })
      const front = pareto(view, fixedCtx)
      charts.push(...[agg, ttft, front].filter((x): x is string => x !== null))
      const words = saturationText(view, fixedCtx)
      if (words.length) charts.push(words.join(' '))
    }
    const depths = valuesOf(view, 'depth')
    if (view.axes.includes('depth') && depths.length > 1) {
      // The context that holds every depth: the num_ctx with the most cells.
      const ctxs = valuesOf(view, 'num_ctx')
      const ctx = [...ctxs].sort(
        (a, b) =>
          view.cells.filter((c) => String(c.axes.num_ctx) === String(b)).length -
            view.cells.filter((c) => String(c.axes.num_ctx) === String(a)).length ||
          Number(b) - Number(a)
      )[0]
      const fixed: Axes = {}
      if (view.axes.includes('concurrency') && cs[0] !== undefined) fixed.concurrency = cs[0]
      if (view.axes.includes('num_ctx') && ctx !== undefined) fixed.num_ctx = ctx
      const decode = chart(view, report, {
        title: 'Decode tokens per s by context depth',
        metric: 'decode_tps',
        unit: 'tokens/s',
        xAxis: 'depth',
        xs: depths,
        fixed
      })
      if (decode) charts.push(decode)
    }
    parts.push(...charts)
    const comparisons =
      opts.comparisonLines === 0 ? [] : sweepComparisonLines(view, opts.comparisonLines ?? 8)
    if (comparisons.length) parts.push(comparisons.map((l) => `- ${l}`).join('\n'))
    parts.push(renderSweepTable(view, report))
    const invalid = view.cells.filter((c) => c.invalid)
    if (invalid.length) {
      parts.push(
        `Invalid, shown but not gated: ${invalid
          .map(
            (c) =>
              `${escapeMarkdown(cellLabel(view, c.axes), { maxLength: 120 })} (${escapeMarkdown(c.invalid ?? '', { maxLength: 200 })})`
          )
          .join('; ')}.`
      )
    }
  }
  return parts.join('\n\n')
}

/** One line per matrix entry for the ledger: cells, saturation, invalid cells. */
export function sweepSummaryLines(report: GateReport): string[] {
  return (report.sweeps ?? []).map((view) => {
    const fixed: Axes = {}
    for (const a of ['depth', 'num_ctx']) {
      const v = first(view, a)
      if (view.axes.includes(a) && v !== undefined) fixed[a] = v
    }
    const sat = view.axes.includes('concurrency')
      ? seriesList(view).flatMap((series) => {
          const sample = view.cells.find((x) => seriesKey(view, x.axes) === series)
          const want: Axes = { ...fixed, concurrency: valuesOf(view, 'concurrency')[0] ?? 1 }
          for (const a of seriesAxes(view)) if (sample) want[a] = sample.axes[a]
          const v = find(view, want)?.values.saturation_concurrency
          return v === undefined ? [] : [`${series || view.entry} c=${formatValue(v)}`]
        })
      : []
    const invalid = view.cells.filter((c) => c.invalid).length
    return [
      `Sweep ${escapeMarkdown(view.entry, { maxLength: 80 })}: ${view.cells.length} cells`,
      sat.length ? `saturation ${escapeMarkdown(sat.join(', '), { maxLength: 300 })}` : null,
      invalid ? `${invalid} invalid (not gated)` : null
    ]
      .filter(Boolean)
      .join(' · ')
  })
}
