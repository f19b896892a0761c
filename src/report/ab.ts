import { plural, shortSha } from '../shared/text.js'
import type { MetricComparison } from '../stats/types.js'
import type { AbRun, GateReport } from '../types/report.js'
import { escapeMarkdown, sanitizeText } from './escape.js'
import { formatValue } from './format.js'
import { sortBySignificance } from './tables.js'

/*
 * What an A/B run tells its reader, in every report: which commits were measured against each
 * other in this job, how many interleaved pairs in what order (with the seed that replays it), and
 * what was not compared pair by pair, and the head arm's own medians (the table's Current is the
 * base's median moved by the paired Δ). The same sentences in markdown and as plain terminal text.
 */

interface Style {
  code(text: string): string
  text(text: string): string
}

const MARKDOWN: Style = {
  code: (t) => `\`${t}\``,
  text: (t) => escapeMarkdown(t, { maxLength: 120 })
}

const PLAIN: Style = {
  code: (t) => t,
  text: (t) => sanitizeText(t, { maxLength: 120 })
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function list(names: readonly string[], s: Style, max = 5): string {
  const shown = names.slice(0, max).map((n) => s.text(n))
  return names.length > max
    ? `${shown.join(', ')} and ${names.length - max} more`
    : shown.join(', ')
}

function pairsPhrase(ab: AbRun): string {
  const counts = ab.benchmarks.map((b) => b.pairs)
  if (counts.length === 0) return 'no interleaved pairs'
  const lo = Math.min(...counts)
  const hi = Math.max(...counts)
  return lo === hi
    ? `${plural(lo, 'interleaved pair')}`
    : `${lo} to ${hi} interleaved pairs per benchmark`
}

/**
 * "The head's own medians over its visits (10 per arm): work/wall-time 105 ms, …": the arm the
 * table does not show as measured, for the most significant paired rows. The visits of each arm
 * are named once when every row has the same, else per row.
 */
function headArms(comparisons: readonly MetricComparison[], s: Style, max = 4): string | null {
  const rows = sortBySignificance(comparisons.filter((c) => c.pairs !== undefined))
    .map((c) => ({ c, base: c.baseline, head: c.current }))
    .flatMap(({ c, base, head }) => (base && head ? [{ c, base, head }] : []))
  if (rows.length === 0) return null
  const counts = new Set(rows.flatMap((r) => [r.base.n, r.head.n]))
  const same = counts.size === 1 ? rows[0]?.head.n : undefined
  const shown = rows.slice(0, max).map(({ c, base, head }) => {
    const value = formatValue(head.median, s.text(c.unit))
    const n = same === undefined ? ` (visits: base ${base.n}, head ${head.n})` : ''
    return `${s.text(`${c.benchmark}/${c.metric}`)} ${value}${n}`
  })
  const more = rows.length > max ? ` and ${rows.length - max} more` : ''
  const per = same === undefined ? '' : ` (${same} per arm)`
  const medians = rows.length === 1 ? 'median' : 'medians'
  return `The head's own ${medians} over its visits${per}: ${shown.join(', ')}${more}.`
}

/**
 * The sentences about an A/B run. `stored` says what the stored baseline of the `file` benchmarks
 * was (the caller words it), or null when there was none.
 */
function sentences(
  ab: AbRun,
  stored: string | null,
  s: Style,
  comparisons: readonly MetricComparison[]
): string[] {
  const base = s.code(shortSha(ab.base.sha) ?? 'unknown')
  const head = ab.head.sha ? s.code(shortSha(ab.head.sha) ?? 'unknown') : 'this tree'
  const dirty = ab.head.dirty ? ' with uncommitted changes' : ''
  const order = ab.order === 'abba' ? 'ABBA blocks, ' : ''
  const out = [
    `A/B in this job: base ${base} vs head ${head}${dirty}, ${pairsPhrase(ab)} (${order}seed ${ab.seed}).`
  ]
  if (ab.benchmarks.length > 0) {
    out.push(
      "Baseline is the base's median over its visits; Current is that moved by the paired Δ."
    )
    const arms = headArms(comparisons, s)
    if (arms) out.push(arms)
  }
  if (ab.budgetChanges.length > 0) {
    const what = ab.budgetChanges.map((c) => s.text(c)).join(', ')
    const budget =
      ab.budgetChanges.length === 1 ? "the base's budget was" : "the base's budgets were"
    out.push(`This PR changes ${what}; ${budget} used.`)
  }
  if (ab.stored.length > 0) {
    out.push(
      stored
        ? `Compared with the stored baseline, not A/B (kind: file cannot be re-run): ${list(ab.stored, s)}. ${stored}`
        : `Not compared (kind: file cannot be re-run, and there is no stored baseline): ${list(ab.stored, s)}.`
    )
  }
  if (ab.added.length > 0) out.push(`New in this tree, not gated: ${list(ab.added, s)}.`)
  if (ab.removed.length > 0) out.push(`Only in the base, not gated: ${list(ab.removed, s)}.`)
  const all = (tree: 'base' | 'head'): number =>
    ab.builds.filter((b) => b.tree === tree).reduce((t, b) => t + b.ms, 0)
  if (ab.builds.length > 0) {
    const parts = (['base', 'head'] as const)
      .filter((t) => ab.builds.some((b) => b.tree === t))
      .map((t) => `${t} ${seconds(all(t))}`)
    out.push(`Build time (not gated): ${parts.join(', ')}.`)
  }
  return out
}

/** The A/B paragraph in markdown; `stored` is the stored baseline's note, already markdown. */
export function abNote(report: GateReport, stored: string | null): string | null {
  return report.ab
    ? sentences(report.ab, stored, MARKDOWN, report.outcome.comparisons).join(' ')
    : null
}

/** The same as plain text for a terminal. */
export function abText(report: GateReport): string | null {
  if (!report.ab) return null
  const b = report.baselineUsed
  const stored = b ? `Stored baseline: ${shortSha(b.commit) ?? 'unknown'} (${b.how}).` : null
  return sentences(report.ab, stored, PLAIN, report.outcome.comparisons).join(' ')
}
