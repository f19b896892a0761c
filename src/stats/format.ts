/** Number formatting shared by the reasons of `compareMetric` and `gate`. */

/** A signed percentage number without the unit: 0.1234 → "+12.3", −Infinity → "-∞". */
export function signedPct(x: number): string {
  if (x === Infinity) return '+∞'
  if (x === -Infinity) return '-∞'
  const s = (Math.abs(x) * 100).toFixed(1)
  // "-0.0" and "+0.0" would both claim a direction that rounding erased.
  if (s === '0.0') return '0.0'
  return `${x < 0 ? '-' : '+'}${s}`
}

/** A budget fraction as a plain percentage: 0.05 → "5 %", 0.125 → "12.5 %". */
export function budgetPct(x: number): string {
  return `${Number((x * 100).toFixed(2))} %`
}

/** "Δ +12.3 % (90 % CI +9.8 … +14.9 %)". */
export function changeWithCi(change: number, ci: [number, number], confidence: number): string {
  const level = Number((confidence * 100).toFixed(1))
  return `Δ ${signedPct(change)} % (${level} % CI ${signedPct(ci[0])} … ${signedPct(ci[1])} %)`
}

/** A change in the metric's own unit: (0, 1, "allocs/op") → "+1 allocs/op". */
export function signedAmount(x: number, unit: string): string {
  const abs = Math.abs(x)
  const n =
    abs >= 100 ? Math.round(abs).toLocaleString('en-US') : String(Number(abs.toPrecision(3)))
  return `${x < 0 ? '-' : '+'}${n}${unit ? ` ${unit}` : ''}`
}
