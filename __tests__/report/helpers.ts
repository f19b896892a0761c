import type { MetricComparison, Verdict } from '../../src/stats/types.js'
import type { GateReport } from '../../src/types/report.js'

/** A comparison with plausible numbers; `valueChange` drives baseline/current medians. */
export function comparison(over: Partial<MetricComparison> = {}): MetricComparison {
  const valueChange = over.valueChange === undefined ? -0.089 : over.valueChange
  const baselineMedian = 45.2
  // `change` and `ci` count "worse" as positive, as the stats engine does.
  const worse =
    valueChange === null
      ? null
      : (over.direction ?? 'higher') === 'higher'
        ? -valueChange
        : valueChange
  const base: MetricComparison = {
    benchmark: 'inference',
    metric: 'decode',
    unit: 'tokens/sec',
    direction: 'higher',
    class: 'core',
    thresholds: { warn: 0.05, fail: 0.05 },
    verdict: 'fail',
    reason: 'CI lower bound +6.8 % is past the 5 % budget',
    change: worse,
    ci: worse === null ? null : [worse - 0.021, worse + 0.021],
    valueChange,
    pFail: 0.01,
    pWarn: 0.001,
    inconclusive: false,
    improved: false,
    baseline: { n: 10, median: baselineMedian, dropped: [], cv: 0.01 },
    current: {
      n: 10,
      median: valueChange === null ? baselineMedian : baselineMedian * (1 + valueChange),
      dropped: [],
      cv: 0.01
    }
  }
  return { ...base, ...over }
}

export function report(
  over: Partial<GateReport> = {},
  comparisons?: MetricComparison[]
): GateReport {
  const comps = comparisons ?? [
    comparison(),
    comparison({
      metric: 'ttft',
      unit: 'ms',
      direction: 'lower',
      verdict: 'warn',
      valueChange: 0.06
    }),
    comparison({ metric: 'prompt', verdict: 'pass', valueChange: 0.01 }),
    comparison({
      metric: 'e2e',
      unit: 'ms',
      direction: 'lower',
      verdict: 'pass',
      valueChange: -0.12,
      improved: true
    })
  ]
  const count = (v: Verdict): number => comps.filter((c) => c.verdict === v).length
  const regressions = count('fail') + count('warn')
  const improvements = comps.filter((c) => c.improved).length
  const worst: Verdict = count('fail')
    ? 'fail'
    : count('warn')
      ? 'warn'
      : count('pass')
        ? 'pass'
        : 'neutral'
  return {
    outcome: {
      verdict: worst,
      route: worst === 'fail' ? 'A' : worst === 'neutral' ? 'none' : 'B',
      reason: 'inference/decode is confidently past its 5 % budget',
      comparisons: comps,
      regressions,
      improvements,
      unchanged: comps.length - regressions - improvements
    },
    testbed: 'gpu-2x',
    current: { sha: 'abc1234def5678abc1234def5678abc1234def56', createdAt: '2026-11-22T10:01:00Z' },
    baseline: {
      sha: '0123456789abcdef0123456789abcdef01234567',
      createdAt: '2026-11-20T08:00:00Z'
    },
    runId: '123-1',
    runUrl: 'https://github.com/o/r/actions/runs/123/attempts/1',
    timestamp: '2026-11-22T10:01:30Z',
    ...over
  }
}

/** The cells of one GFM table row, split on unescaped pipes as GitHub does. */
export function tableCells(row: string): string[] {
  const cells: string[] = []
  let cell = ''
  const body = row.trim().replace(/^\|/, '')
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]
    if (ch === '\\' && i + 1 < body.length) {
      cell += ch + body[i + 1]
      i++
    } else if (ch === '|') {
      cells.push(cell.trim())
      cell = ''
    } else {
      cell += ch
    }
  }
  if (cell.trim() !== '') cells.push(cell.trim())
  return cells
}

export function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1
}
