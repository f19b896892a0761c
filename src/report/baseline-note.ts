import type { BaselineUsed, FingerprintDifference } from '../types/report.js'
import type { GateReport } from '../types/report.js'
import { escapeMarkdown } from './escape.js'
import { formatDate } from './format.js'
import { plural, shortSha } from '../shared/text.js'
import { baselineLine } from './tables.js'
import { abNote } from './ab.js'

/*
 * Which baseline a run was compared with and why that one, and what differs between its machine
 * and this run's. Pure functions of the report; every value from a result file is escaped.
 */

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** "45 min", "5 h", "3 days": how old a baseline is, to the precision a reviewer cares about. */
export function formatAge(ms: number): string {
  if (ms < HOUR) return `${Math.max(0, Math.round(ms / 60_000))} min`
  if (ms < 2 * DAY) return `${Math.round(ms / HOUR)} h`
  return plural(Math.round(ms / DAY), 'day')
}

function commitCode(sha: string | null): string {
  const s = shortSha(sha)
  return s ? `\`${s}\`` : 'an unknown commit'
}

function howPhrase(b: BaselineUsed): string {
  const d = b.distance ?? 0
  const back = plural(d, 'commit')
  switch (b.how) {
    case 'merge-base':
      return 'the merge-base'
    case 'ancestor':
      if (b.walkedFrom?.kind === 'merge-base') {
        return `${back} before the merge-base ${commitCode(b.walkedFrom.sha)}`
      }
      return d === 0 ? 'this commit' : `${back} back`
    case 'latest':
      return 'the latest on the testbed'
  }
}

/**
 * The short form for the gate row, hop log and check-run title when nothing was compared: an
 * empty store ("no baseline yet") reads differently from baselines that exist but none on this
 * pull request's history, which a maintainer fixes by recording one on the base branch.
 */
export function missingBaselineLabel(report: GateReport): string {
  const why = report.baselineMissing
  return !why || why.startsWith('no baseline yet')
    ? 'no baseline yet'
    : 'no baseline on this history'
}

/**
 * "Baseline: `abc1234` (merge-base), recorded 2026-11-20, 2 days old, testbed dual-5090." Without a
 * recorded choice it says what `baselineLine` always said.
 */
export function baselineNote(report: GateReport): string {
  // An A/B run's baseline is its base arm; a stored baseline only judged its `file` benchmarks.
  const ab = abNote(report, report.baselineUsed ? storedNote(report.baselineUsed) : null)
  if (ab) return ab
  const b = report.baselineUsed
  if (!report.baseline || !b) {
    if (!report.baseline && report.baselineMissing) {
      return `${capitalize(escapeMarkdown(report.baselineMissing, { maxLength: 400 }))}.`
    }
    return baselineLine(report)
  }
  return storedNote(b)
}

function storedNote(b: BaselineUsed): string {
  const parts = [
    `Baseline: ${commitCode(b.commit)} (${howPhrase(b)})`,
    `recorded ${formatDate(b.recordedAt)}`,
    ...(b.ageMs !== null ? [`${formatAge(b.ageMs)} old`] : []),
    `testbed ${escapeMarkdown(b.testbed, { maxLength: 80 })}`
  ]
  const note = b.note ? ` ${capitalize(escapeMarkdown(b.note, { maxLength: 300 }))}.` : ''
  return `${parts.join(', ')}.${note}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** "gpu.driver 570 → 575" (values escaped). */
export function differencePhrase(d: FingerprintDifference): string {
  const v = (x: string | null): string =>
    x === null ? 'not recorded' : escapeMarkdown(x, { maxLength: 80 })
  return `${escapeMarkdown(d.key, { maxLength: 120 })} ${v(d.baseline)} → ${v(d.current)}`
}

/**
 * The environment differences as a short list: what kept benchmarks from being compared, what was
 * allowed, and what is only worth knowing. null when nothing differs.
 */
export function fingerprintNote(report: GateReport): string | null {
  const diffs = report.fingerprint ?? []
  if (diffs.length === 0) return null
  const blocked = diffs.filter((d) => d.effect === 'block' && !d.allowed)
  const allowed = diffs.filter((d) => d.effect === 'block' && d.allowed)
  const notes = diffs.filter((d) => d.effect === 'note')
  const scope = (d: FingerprintDifference): string =>
    d.benchmark !== null
      ? `benchmark ${escapeMarkdown(d.benchmark, { maxLength: 80 })}`
      : d.format !== undefined
        ? `every ${escapeMarkdown(d.format, { maxLength: 40 })} benchmark`
        : 'every benchmark'
  const lines = ['**Environment differs from the baseline:**']
  for (const d of blocked) lines.push(`- ${differencePhrase(d)}: ${scope(d)} not compared`)
  for (const d of allowed) lines.push(`- ${differencePhrase(d)}: allowed, compared anyway`)
  for (const d of notes) lines.push(`- ${differencePhrase(d)} (for information)`)
  return lines.join('\n')
}
