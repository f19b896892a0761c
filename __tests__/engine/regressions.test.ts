import { describe, expect, it } from '@jest/globals'
import { thresholdsFromConfig } from '../../src/config/thresholds.js'
import { defaultConfig } from '../../src/config/defaults.js'
import { analyseHistory } from '../../src/engine/history-mode.js'
import { badness, findRegressions } from '../../src/engine/regressions.js'
import { issueWriteDecision } from '../../src/github/issues.js'
import {
  issueMarker,
  issueTitle,
  parseIssueMarker,
  renderIssueBody,
  renderRecoveryComment
} from '../../src/report/regression-issue.js'
import type { Direction } from '../../src/results/model.js'
import { lognormal, mulberry32, resultSet } from '../helpers/results.js'

/** One baseline per level, for a metric named `name` of benchmark `bench`. */
function history(levels: number[], direction: Direction = 'lower', bench = 'work', name = 'time') {
  const rng = mulberry32(3)
  const sets = levels.map((level, i) =>
    resultSet(
      [
        {
          name: bench,
          metrics: [
            {
              name,
              unit: 'ms',
              direction,
              class: 'non-critical',
              samples: lognormal(rng, 8, level, 0.01)
            }
          ]
        }
      ],
      {
        testbed: 'ci',
        commit: { sha: (i + 1).toString(16).padStart(40, 'a') },
        createdAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString()
      }
    )
  )
  return analyseHistory(sets, { testbed: 'ci', location: 'local:x' })
}

const budgets = thresholdsFromConfig(defaultConfig('perf-gate.yml', 'ci'))
const steps = (n: number, a: number, m: number, b: number) => [
  ...Array(n).fill(a),
  ...Array(m).fill(b)
]

describe('findRegressions', () => {
  it('takes a step worse than the fail budget (10 % by default), in either direction', () => {
    const slower = findRegressions(history(steps(6, 100, 6, 115)), budgets)
    expect(slower).toHaveLength(1)
    expect(slower[0]).toMatchObject({ fail: 0.1, recovery: null })
    expect(slower[0]?.worseBy).toBeCloseTo(0.15, 1)
    expect(slower[0]?.previous?.sha).toBe(slower[0]?.metric.points[5]?.sha)
    const lessThroughput = findRegressions(history(steps(6, 100, 6, 85), 'higher'), budgets)
    expect(lessThroughput[0]?.worseBy).toBeCloseTo(0.15, 1)
  })

  it('leaves out steps within the budget, and improvements', () => {
    expect(findRegressions(history(steps(6, 100, 6, 106)), budgets)).toEqual([])
    expect(findRegressions(history(steps(6, 115, 6, 100)), budgets)).toEqual([])
    expect(findRegressions(history(steps(6, 100, 6, 115), 'higher'), budgets)).toEqual([])
  })

  it('names the later step that brought the level back as its recovery', () => {
    const [f] = findRegressions(
      history([...steps(6, 100, 7, 115), ...Array(20).fill(100)]),
      budgets
    )
    expect(f?.recovery?.index).toBe(13)
    expect(badness(100, 115, 'lower')).toBeCloseTo(0.15)
    expect(badness(100, 85, 'higher')).toBeCloseTo(0.15)
  })
})

describe('the regression issue', () => {
  const hostile = history(steps(6, 100, 6, 115), 'lower', '@team <!-- x --> [a](b)', 'time`|')
  const [f] = findRegressions(hostile, budgets)
  const links = {
    compareUrl: 'https://github.com/o/r/compare/a...b',
    commitUrl: (s: string) => `https://github.com/o/r/commit/${s}`
  }

  it('carries a marker of hashes and a sha only, and finds it again', () => {
    const marker = issueMarker(f)
    expect(marker).toMatch(/^<!-- perf-gate:regression series=[0-9a-f]{16} at=[0-9a-f]{40} -->$/)
    expect(parseIssueMarker(`text\n${marker}\nmore`)).toEqual({
      series: marker.match(/series=(\w+)/)?.[1],
      sha: f.step.sha
    })
    expect(parseIssueMarker('<!-- perf-gate:regression series=zz at=1 -->')).toBeNull()
  })

  it('escapes names from result files in the body and cleans the title', () => {
    const body = renderIssueBody(f, null, links)
    expect(body.match(/<!--/g)).toHaveLength(1)
    expect(body).not.toMatch(/[^\u200B]@team/)
    expect(body).toContain('The commit range could not be read from the repository.')
    expect(issueTitle(f)).toMatch(
      /^perf regression: @team <!-- x --> \[a\]\(b\) \/ time`\| \+1\d\.\d% worse on ci$/
    )
  })

  it('the recovery comment starts with "recovered at" and the commit', () => {
    const [r] = findRegressions(
      history([...steps(6, 100, 7, 115), ...Array(20).fill(100)]),
      budgets
    )
    expect(renderRecoveryComment(r, links)).toMatch(
      /^recovered at `[0-9a-f]{7}` \(\[`[0-9a-f]{7}`\]/
    )
  })
})

describe('issueWriteDecision', () => {
  const main = { onGitHub: true, defaultBranch: 'main', ref: 'refs/heads/main' }
  it.each([
    [{ ...main, eventName: 'push' }, true],
    [{ ...main, eventName: 'workflow_dispatch' }, true],
    [{ onGitHub: true, eventName: 'schedule', ref: 'refs/heads/main' }, true],
    [{ ...main, eventName: 'pull_request', ref: 'refs/pull/2/merge' }, false],
    [{ ...main, eventName: 'pull_request_target' }, false],
    [{ ...main, eventName: 'workflow_run' }, false],
    [{ ...main, eventName: 'push', ref: 'refs/heads/feature' }, false],
    [{ ...main, eventName: 'push', fromFork: true }, false],
    [{ onGitHub: true, eventName: 'push', ref: 'refs/heads/main' }, false],
    [{ onGitHub: false }, false]
  ])('%j → %s', (ctx, allowed) => {
    expect(issueWriteDecision(ctx).allowed).toBe(allowed)
  })
})
