import type { GateOutcome, MetricComparison } from '../stats/types.js'
import { sanitizeText } from './escape.js'
import { resolutionLine } from './resolution.js'
import { countsPhrase, formatCi, formatPercent, formatValue } from './format.js'
import {
  currentCell,
  disagreementNotes,
  inconclusiveNote,
  shownCentres,
  sortBySignificance,
  valueCi,
  valueDelta
} from './tables.js'

/*
 * The `compare` command's table. A terminal renders no markdown, but it does obey control
 * sequences and bidi overrides, so names are still cleaned.
 */

const HEADER = ['Benchmark', 'Metric', 'Baseline', 'Current', 'Δ', 'CI (90 %)', 'Verdict']
const RIGHT_ALIGNED = new Set([2, 3, 4, 5])

function width(text: string): number {
  return Array.from(text).length
}

function cells(c: MetricComparison): string[] {
  const unit = sanitizeText(c.unit, { maxLength: 20 })
  const notes = [
    c.inconclusive ? inconclusiveNote(c) : null,
    c.improved ? 'improved' : null
  ].filter(Boolean)
  return [
    sanitizeText(c.benchmark, { maxLength: 40 }),
    sanitizeText(c.metric, { maxLength: 30 }),
    formatValue(shownCentres(c).baseline, unit),
    currentCell(c, unit),
    formatPercent(valueDelta(c)),
    formatCi(valueCi(c)),
    c.verdict + (notes.length ? ` (${notes.join(', ')})` : '')
  ]
}

export function renderTerminalTable(outcome: GateOutcome): string {
  const rows = [HEADER, ...sortBySignificance(outcome.comparisons).map(cells)]
  const widths = HEADER.map((_, col) => Math.max(...rows.map((r) => width(r[col] ?? ''))))
  const line = (row: string[]): string =>
    row
      .map((cell, col) => {
        const pad = ' '.repeat((widths[col] ?? 0) - width(cell))
        return RIGHT_ALIGNED.has(col) ? pad + cell : cell + pad
      })
      .join('  ')
      .trimEnd()
  const table =
    outcome.comparisons.length === 0
      ? ['No metrics were compared.']
      : [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)]
  const notes = disagreementNotes(outcome.comparisons, (t, maxLength) =>
    sanitizeText(t, { maxLength })
  )
  const resolution = resolutionLine(outcome.comparisons)
  return [
    ...table,
    ...(notes.length > 0 ? ['', ...notes] : []),
    ...(resolution ? ['', resolution] : []),
    '',
    `reason: ${sanitizeText(outcome.reason, { maxLength: 500 })}`,
    `verdict: ${outcome.verdict} (${countsPhrase(outcome)})`,
    ''
  ].join('\n')
}
