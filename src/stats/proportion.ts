import type { Metric } from '../results/model.js'
import { neutralComparison, type CompareInput } from './compare.js'
import { normalCdf } from './mann-whitney.js'
import { normalQuantile } from './student-t.js'
import type { ArmSummary, MetricComparison } from './types.js'
import { judgeShift, logBudget, withJudgement } from './verdict.js'

/*
 * The rule for fractions (accuracy, error_rate): each sample is one trial's share of successes, so
 * an arm is a proportion, and 0 is a value like any other where the log-scale rank rule needs
 * samples above 0. The shift is the log of the ratio of the two proportions, with Katz's normal CI
 * (Haldane's +½ when a count is 0 or n); the budgets are relative, as for every other metric, and
 * the verdict is the shared one (verdict.ts).
 */

/** Fractions are proportions; every other metric is compared by ranks on the log scale. */
export function isProportion(m: Pick<Metric, 'unit'>): boolean {
  return m.unit === 'fraction'
}

function arm(values: readonly number[]): ArmSummary {
  const p = values.reduce((a, b) => a + b, 0) / values.length
  // For a proportion the centre is its share of successes, shown where other metrics show a median.
  return { n: values.length, median: p, dropped: [], cv: null }
}

export function compareProportion(input: CompareInput): MetricComparison {
  const alpha = input.alpha ?? 0.05
  const failAlpha = input.failAlpha ?? alpha
  const minSamples = input.minSamples ?? 5
  const bad = [...input.current, ...input.baseline].find(
    (v) => !Number.isFinite(v) || v < 0 || v > 1
  )
  if (bad !== undefined) {
    return neutralComparison(input, `a sample is ${bad}: a fraction must lie between 0 and 1`)
  }
  const cur = arm(input.current)
  const base = arm(input.baseline)
  if (cur.n < minSamples || base.n < minSamples) {
    return neutralComparison(
      input,
      `need ≥ ${minSamples} samples per arm, have ${cur.n} (current) and ${base.n} (baseline)`,
      base,
      cur
    )
  }
  const count = (a: ArmSummary): { x: number; n: number } => {
    const x = a.median * a.n
    return x <= 0 || x >= a.n ? { x: x + 0.5, n: a.n + 1 } : { x, n: a.n }
  }
  const c = count(cur)
  const b = count(base)
  const sign = input.direction === 'lower' ? 1 : -1
  const theta = sign * (Math.log(c.x / c.n) - Math.log(b.x / b.n))
  const se = Math.sqrt(1 / c.x - 1 / c.n + 1 / b.x - 1 / b.n)
  const z = normalQuantile(1 - alpha)
  const zFail = normalQuantile(1 - failAlpha)
  const judged = judgeShift({
    direction: input.direction,
    thresholds: input.thresholds,
    alpha,
    estimate: theta,
    lo: theta - z * se,
    hi: theta + z * se,
    failLo: theta - zFail * se,
    advise(_tauWarn, tauFail) {
      // n per arm that would put the CI's edge at the estimate's distance from the fail budget.
      const gap = Math.abs(theta - tauFail)
      if (gap === 0 || !Number.isFinite(gap)) return { text: 'more runs would decide', runs: null }
      const runs = Math.ceil(((zFail * se) / gap) ** 2 * Math.max(cur.n, base.n))
      return { text: `about ${runs} runs per arm would decide`, runs }
    }
  })
  const tauWarn = logBudget(input.thresholds.warn, input.direction)
  return withJudgement(
    neutralComparison(input, judged.reason, base, cur),
    judged,
    1 - normalCdf((theta - tauWarn) / se),
    1 - normalCdf(theta / se)
  )
}
