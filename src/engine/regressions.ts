import type { Direction, Metric } from '../results/model.js'
import type { HistoryReport } from '../report/history.js'
import type { RegressionFinding } from '../report/regression-issue.js'
import type { ThresholdsFor } from '../stats/compare-sets.js'

export type { RegressionFinding } from '../report/regression-issue.js'

/*
 * Which change points of the history are regressions worth an issue: a step that makes the metric
 * worse by more than its fail budget (the same budget a pull request is gated with). A later step
 * that brings the level back within the warn budget of where it was is its recovery.
 */

/** A level change as a fraction of badness: positive is worse, in either direction. */
export function badness(before: number, after: number, direction: Direction): number {
  return direction === 'lower' ? after / before - 1 : 1 - after / before
}

export function findRegressions(
  report: HistoryReport,
  thresholdsFor: ThresholdsFor
): RegressionFinding[] {
  const out: RegressionFinding[] = []
  for (const m of report.metrics) {
    const probe: Metric = {
      name: m.metric,
      unit: m.unit,
      direction: m.direction,
      class: m.class,
      samples: []
    }
    const { warn, fail } = thresholdsFor(m.benchmark, probe)
    if (fail === null) continue
    for (const step of m.steps) {
      const worseBy = badness(step.before, step.after, m.direction)
      if (!step.worse || !(worseBy > fail)) continue
      const recovery =
        m.steps.find(
          (later) =>
            later.index > step.index &&
            !later.worse &&
            badness(step.before, later.after, m.direction) <= warn
        ) ?? null
      out.push({
        testbed: report.testbed,
        metric: m,
        step,
        previous: m.points[step.index - 1] ?? null,
        worseBy,
        fail,
        warn,
        recovery
      })
    }
  }
  return out
}
