import { markdownTable } from 'markdown-table'
import type { ResultSet } from '../results/model.js'
import { comparatives, type ComparativeRow } from './comparatives.js'
import { escapeMarkdown } from './escape.js'
import { formatValue } from './format.js'
import { cellLabel } from './scaling.js'
import { sweepViews } from './sweep-view.js'

/*
 * Matrix cells side by side along the model and host axes, without a `comparisons:` entry: each
 * cell of the axis' first value against the same cell of every other value (Q4 against Q5 at each
 * concurrency and depth), speed as ratios with their 90 % CI and accuracy as the two shares.
 */

const AXES = ['model', 'host']
const RATIOS = [
  { metric: 'decode_tps', title: 'Decode B/A' },
  { metric: 'aggregate_tps', title: 'Aggregate B/A' },
  { metric: 'ttft_p95_ms', title: 'TTFT p95 B/A' }
]

function ratioCell(row: ComparativeRow | undefined): string {
  if (!row) return ''
  const ci = row.ci ? ` (${row.ci[0].toFixed(2)} … ${row.ci[1].toFixed(2)})` : ''
  return `${row.ratio.toFixed(2)}×${ci}`
}

function share(set: ResultSet, bench: string): number | undefined {
  const m = set.benchmarks.find((b) => b.name === bench)?.metrics.find((x) => x.name === 'accuracy')
  return m ? m.samples.reduce((a, b) => a + b, 0) / m.samples.length : undefined
}

export function renderSweepComparatives(set: ResultSet): string | null {
  const blocks: string[] = []
  for (const view of sweepViews(set)) {
    for (const axis of AXES.filter((a) => view.axes.includes(a))) {
      const values = [...new Set(view.cells.map((c) => String(c.axes[axis])))]
      const a = values[0]
      if (a === undefined) continue
      const rows: string[][] = []
      for (const cellA of view.cells.filter((c) => String(c.axes[axis]) === a)) {
        for (const b of values.slice(1)) {
          const cellB = view.cells.find((c) =>
            Object.entries({ ...cellA.axes, [axis]: b }).every(
              ([k, v]) => String(c.axes[k]) === String(v)
            )
          )
          if (!cellB) continue
          const [cmp] = comparatives(set, [
            { name: `${axis} ${b} vs ${a}`, a: cellA.benchmark, b: cellB.benchmark }
          ])
          const byMetric = new Map((cmp?.rows ?? []).map((r) => [r.metric, r]))
          const decode = byMetric.get('decode_tps')
          const accA = share(set, cellA.benchmark)
          const accB = share(set, cellB.benchmark)
          rows.push([
            escapeMarkdown(cellLabel(view, cellA.axes, [axis]), { maxLength: 120 }),
            escapeMarkdown(b, { maxLength: 80 }),
            ...RATIOS.map((r) => ratioCell(byMetric.get(r.metric))),
            accA !== undefined && accB !== undefined
              ? `${formatValue(accB)} vs ${formatValue(accA)}`
              : '',
            decode?.phrase ? `${escapeMarkdown(b, { maxLength: 80 })} ${decode.phrase}` : ''
          ])
        }
      }
      if (rows.length === 0) continue
      blocks.push(
        [
          `### ${escapeMarkdown(view.entry, { maxLength: 80 })}: each ${axis} against ${escapeMarkdown(a, { maxLength: 80 })} (A)`,
          '',
          markdownTable(
            [
              [
                'Cell',
                `B (${axis})`,
                ...RATIOS.map((r) => `${r.title} (90 % CI)`),
                'Accuracy B vs A',
                'Reading'
              ],
              ...rows
            ],
            { alignDelimiters: false }
          )
        ].join('\n')
      )
    }
  }
  return blocks.length ? blocks.join('\n\n') : null
}
