import { metricKey } from '../results/model.js'
import type { MetricComparison } from '../stats/types.js'
import type { GateReport } from '../types/report.js'
import { escapeMarkdown } from './escape.js'
import { detectChangePoints, type ChangePoint } from '../stats/change-points.js'
import { formatPercent, formatValue } from './format.js'
import { shortSha } from '../shared/text.js'
import { byMagnitude } from './tables.js'

/*
 * A mermaid `xychart-beta` trend of the metric that moved most. GitHub renders mermaid from the raw
 * comment, so every label is reduced to an allow-list: quotes, brackets, commas, `%%` directives,
 * `#…;` entities, backticks (which would close the fence) and `<` are all gone.
 */

const MAX_LABEL = 60

export function mermaidLabel(text: string, fallback = ''): string {
  const safe = text
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._/+:-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return Array.from(safe).slice(0, MAX_LABEL).join('').trim() || fallback
}

// Mermaid's number grammar has no exponent form, so very small or large values are spelled out.
export function mermaidNumber(v: number): string {
  const s = String(Number(v.toPrecision(6)))
  return /e/i.test(s) ? v.toFixed(12).replace(/\.?0+$/, '') : s
}

/**
 * A fenced mermaid `xychart-beta` of one or more lines over the same labels (already made safe
 * by the caller's `mermaidLabel`), its y axis padded around every line. Bars, if any, are drawn
 * first, under the lines: mermaid colours every series from one palette in the order they are
 * declared, so `palette` lists the bars' colours, then the lines'. A bar series reaches down to
 * 0, so with bars the axis starts at 0 (a bar of 0 drawn on an axis above 0 would have a
 * negative height, which SVG does not draw).
 */
export function xyChart(opts: {
  title: string
  labels: string[]
  unit: string
  lines: number[][]
  bars?: number[][]
  /** Colours of the bars, then the lines, in order (`#rrggbb`), so a legend in text can name them. */
  palette?: string[]
}): string {
  const bars = opts.bars ?? []
  const all = [...opts.lines.flat(), ...bars.flat()]
  const lo = Math.min(...all)
  const hi = Math.max(...all)
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.05 || 1
  // A throughput or latency axis reads best from zero's side, so padding never crosses it.
  const min = lo >= 0 ? Math.max(0, lo - pad) : lo - pad
  const palette = (opts.palette ?? []).filter((c) => /^#[0-9a-f]{6}$/i.test(c))
  return [
    '```mermaid',
    ...(palette.length
      ? [
          `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette.join(', ')}"}}}}%%`
        ]
      : []),
    'xychart-beta',
    `    title "${opts.title}"`,
    `    x-axis [${opts.labels.map((l) => `"${l}"`).join(', ')}]`,
    `    y-axis "${opts.unit}" ${mermaidNumber(min)} --> ${mermaidNumber(hi + pad)}`,
    ...bars.map((bar) => `    bar [${bar.map(mermaidNumber).join(', ')}]`),
    ...opts.lines.map((line) => `    line [${line.map(mermaidNumber).join(', ')}]`),
    '```'
  ].join('\n')
}

/**
 * The level of each point: the geometric mean of its segment between the steps (indices of the
 * first point of each new level). Drawn beside the values, it shows where the level moved.
 */
export function stepLevels(values: readonly number[], steps: readonly number[]): number[] {
  const bounds = [0, ...[...steps].sort((a, b) => a - b), values.length]
  const out: number[] = []
  for (let s = 0; s + 1 < bounds.length; s++) {
    const seg = values.slice(bounds[s], bounds[s + 1])
    const level = Math.exp(seg.reduce((sum, v) => sum + Math.log(v), 0) / seg.length)
    for (let i = 0; i < seg.length; i++) out.push(level)
  }
  return out
}

/** Steps in a trend's level (stats/change-points.ts), where there are enough positive points. */
function trendSteps(values: readonly number[]): ChangePoint[] {
  if (values.length < 6 || !values.every((v) => Number.isFinite(v) && v > 0)) return []
  return detectChangePoints(values)
}

/** The trend points of one metric, looked up under either key form the history may use. */
function series(report: GateReport, c: MetricComparison): Array<{ label: string; value: number }> {
  const keys = [`${c.benchmark} / ${c.metric}`, metricKey(c.benchmark, c.metric)]
  const points: Array<{ label: string; value: number }> = []
  ;(report.history ?? []).forEach((point, i) => {
    const key = keys.find((k) => Object.hasOwn(point.values, k))
    const value = key === undefined ? undefined : point.values[key]
    if (value === undefined || !Number.isFinite(value)) return
    points.push({ label: shortSha(point.sha) ?? `run ${i + 1}`, value })
  })
  return points
}

/** A fenced mermaid block, or null when the history has fewer than two points to draw. */
export function renderTrendChart(report: GateReport): string | null {
  return trendBlocks(report, 1)[0]?.mermaid ?? null
}

interface TrendBlock {
  mermaid: string
  text: string
}

function trendBlocks(report: GateReport, max: number): TrendBlock[] {
  const blocks: TrendBlock[] = []
  for (const c of byMagnitude(report.outcome.comparisons)) {
    if (blocks.length >= max) break
    const points = series(report, c)
    if (points.length < 2) continue
    const values = points.map((p) => p.value)
    const steps = trendSteps(values)
    const mermaid = xyChart({
      title: mermaidLabel(`${c.benchmark} / ${c.metric}`, 'trend'),
      labels: points.map((p) => mermaidLabel(p.label, '?')),
      unit: mermaidLabel(c.unit, 'value'),
      lines: steps.length
        ? [
            values,
            stepLevels(
              values,
              steps.map((x) => x.index)
            )
          ]
        : [values]
    })
    // Mermaid does not render everywhere (mail notifications, some viewers): the same points as text.
    const name = escapeMarkdown(`${c.benchmark} / ${c.metric}`, { maxLength: 80 })
    const unitText = escapeMarkdown(c.unit, { maxLength: 20 })
    const stepText = steps.map(
      (x) => `at ${points[x.index]?.label ?? '?'} ${formatPercent(x.change)}`
    )
    const text =
      `Trend of ${name}${unitText ? ` (${unitText})` : ''}, oldest first, last is this run: ` +
      points.map((p) => `${p.label} ${formatValue(p.value)}`).join(' → ') +
      (steps.length
        ? `. The level line steps ${stepText.join(', ')} (change points of the series).`
        : '')
    blocks.push({ mermaid, text })
  }
  return blocks
}

/**
 * Trend charts of the `max` most-changed metrics, each followed by the same points as text, or
 * null when no metric has two points to draw.
 */
export function renderTrendCharts(report: GateReport, opts: { max?: number } = {}): string | null {
  const blocks = trendBlocks(report, opts.max ?? 3)
  if (blocks.length === 0) return null
  return blocks.map((b) => `${b.mermaid}\n\n${b.text}`).join('\n\n')
}
