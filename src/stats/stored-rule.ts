import { compareMetric, type CompareInput } from './compare.js'
import {
  DEFAULT_RUNNER_DRIFT,
  compareHistory,
  type HistoryCompareInput,
  type HistoryComparison
} from './history-rule.js'
import type { HistoryFacts, MetricComparison } from './types.js'

/*
 * A metric judged against stored baselines, by whichever rule applies: the history-aware rule when
 * stored jobs speak for it (its input carries their summaries), the two-sample rule against the
 * chosen baseline's runs otherwise. The gate and the adaptive looks both judge through here, so a
 * look and the final comparison always read the same.
 */

/** The history-aware rule's input, with what the stored series looked like before it was cut. */
export type StoredHistoryInput = HistoryCompareInput & {
  /** Stored jobs that had the metric, before the change-point cut and the cap. */
  found?: number
  /** Jobs left out because a change point in the stored series came after them. */
  beforeChangePoint?: number
}

export type StoredInput = CompareInput | StoredHistoryInput

export function isHistoryInput(input: StoredInput): input is StoredHistoryInput {
  return 'history' in input
}

/** A history-aware comparison in the shared shape, its rule's own facts under `history`. */
export function withHistoryFacts(
  c: HistoryComparison,
  facts: { found: number; beforeChangePoint: number; runnerDrift: number }
): MetricComparison {
  const { jobs, tau, tauHat, df, resolution, budgetBelowResolution, priorOnly, ...shared } = c
  const history: HistoryFacts = {
    jobs,
    found: facts.found,
    beforeChangePoint: facts.beforeChangePoint,
    runnerDrift: facts.runnerDrift,
    tau,
    tauHat,
    df,
    resolution,
    budgetBelowResolution,
    priorOnly
  }
  return { ...shared, history }
}

export function compareStored(input: StoredInput): MetricComparison {
  if (!isHistoryInput(input)) return compareMetric(input)
  const { found, beforeChangePoint, ...rule } = input
  return withHistoryFacts(compareHistory(rule), {
    found: found ?? input.history.length,
    beforeChangePoint: beforeChangePoint ?? 0,
    runnerDrift: input.runnerDrift ?? DEFAULT_RUNNER_DRIFT
  })
}
