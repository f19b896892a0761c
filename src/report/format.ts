import { plural } from '../shared/text.js'
import type { GateOutcome, Verdict } from '../stats/types.js'

/*
 * Number and label formatting shared by every renderer. Negative numbers use the ASCII hyphen, not
 * U+2212, so values pasted from a comment into a terminal or a spreadsheet still parse.
 */

const NOT_AVAILABLE = 'n/a'

function signedNumber(x: number, digits: number): string {
  if (Number.isNaN(x)) return NOT_AVAILABLE
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '-∞'
  const fixed = Math.abs(x).toFixed(digits)
  // A change that rounds to zero reads as "+0.0", never "-0.0".
  const negative = x < 0 && Number(fixed) !== 0
  return (negative ? '-' : '+') + fixed
}

/**
 * A relative change given as a fraction (0.123) as a signed percentage: "+12.3 %", "-4.0 %".
 * `compact` drops the space ("-8.9%"), as the ledger's evidence grammar spells it.
 */
export function formatPercent(
  x: number | null,
  digits = 1,
  opts: { compact?: boolean } = {}
): string {
  if (x === null || Number.isNaN(x)) return NOT_AVAILABLE
  return signedNumber(x * 100, digits) + (opts.compact ? '%' : ' %')
}

/** A fraction as an unsigned percentage as precise as a resolution is worth: "14 %", "0.8 %". */
export function formatRoughPercent(x: number): string {
  const pct = x * 100
  return `${Math.abs(pct) >= 10 ? Math.round(pct) : Number(pct.toFixed(1))} %`
}

/** A confidence interval of a relative change: "+9.8 … +14.9 %", "-2.0 … +∞ %". */
export function formatCi(ci: readonly [number, number] | null, digits = 1): string {
  if (ci === null || Number.isNaN(ci[0]) || Number.isNaN(ci[1])) return NOT_AVAILABLE
  return `${signedNumber(ci[0] * 100, digits)} … ${signedNumber(ci[1] * 100, digits)} %`
}

/**
 * A measured value with three significant digits ("41.2", "0.00123") and whole numbers from 100 on
 * ("12,345"), where more digits would only show noise.
 */
export function formatValue(v: number | null | undefined, unit = ''): string {
  let num: string
  if (v === null || v === undefined || Number.isNaN(v)) num = NOT_AVAILABLE
  else if (!Number.isFinite(v)) num = v > 0 ? '∞' : '-∞'
  else if (Math.abs(v) >= 100) num = Math.round(v).toLocaleString('en-US')
  else num = String(Number(v.toPrecision(3)))
  return unit && num !== NOT_AVAILABLE ? `${num} ${unit}` : num
}

const ICONS: Record<Verdict, string> = { pass: '✅', warn: '⚠️', fail: '❌', neutral: '⚪' }

export function verdictIcon(verdict: Verdict): string {
  return ICONS[verdict]
}

/** "❌ fail" */
export function verdictLabel(verdict: Verdict): string {
  return `${ICONS[verdict]} ${verdict}`
}

/** "2 regressions, 14 unchanged, 1 improvement" */
export function countsPhrase(outcome: GateOutcome): string {
  return [
    plural(outcome.regressions, 'regression'),
    `${outcome.unchanged} unchanged`,
    plural(outcome.improvements, 'improvement')
  ].join(', ')
}

function isoParts(iso: string): string[] | null {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return null
  return (
    d
      .toISOString()
      .match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/)
      ?.slice(1) ?? null
  )
}

/** "2026-11-22 10:01 UTC"; an unparseable input keeps only its safe characters. */
export function formatTimestamp(iso: string): string {
  const parts = isoParts(iso)
  return parts ? `${parts[0]} ${parts[1]} UTC` : iso.replace(/[^0-9A-Za-z:.+ -]/g, '').slice(0, 40)
}

/** "2026-11-22" */
export function formatDate(iso: string): string {
  const parts = isoParts(iso)
  return parts ? parts[0] : formatTimestamp(iso)
}
