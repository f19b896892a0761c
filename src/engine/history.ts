import type { ResultSet } from '../results/model.js'
import { median } from 'simple-statistics'

/** Medians per `benchmark / metric` for each stored run, oldest first, for the trend chart. */
export function trendHistory(
  baselines: ResultSet[],
  current: ResultSet | null
): Array<{ sha: string | null; createdAt: string; values: Record<string, number> }> {
  const sets = current ? [...baselines, current] : baselines
  return sets.map((s) => {
    const values: Record<string, number> = {}
    for (const b of s.benchmarks)
      for (const m of b.metrics)
        if (m.samples.length) values[`${b.name} / ${m.name}`] = median(m.samples)
    return { sha: s.commit.sha, createdAt: s.createdAt, values }
  })
}
