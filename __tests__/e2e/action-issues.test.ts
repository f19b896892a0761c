import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { addChain } from '../helpers/github-standin-compare.js'
import { runAction, webhook, workspace, type RunnerEvent } from '../helpers/github-standin-run.js'
import { lognormal, mulberry32, resultSet } from '../helpers/results.js'

/*
 * `open-issues` through the built action against the GitHub stand-in: a stored series with a 15 %
 * step opens one issue labelled perf-regression, a second run opens none and updates it, and a
 * later step back to the old level comments "recovered at …" and closes it.
 */

let gh: GitHubStandin
let commits: string[]
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ issues: 'write', contents: 'read' }),
      'ghs-noissues': installationToken({ contents: 'read' })
    }
  }).start()
  // The default branch: a baseline on every other commit, so each range holds two commits.
  commits = addChain(gh, null, 80, 'main', 'main')
  gh.addPull({
    number: 7,
    headSha: 'f'.repeat(40),
    state: 'closed',
    title: 'Switch the tokenizer to a regex',
    mergedAt: '2026-10-08T12:00:00Z',
    mergeCommitSha: commits[12] ?? ''
  })
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const rng = mulberry32(5)
let recorded = 0

/** Stores baselines of testbed `ci` (work/time, seconds) at these levels, one per level. */
async function record(ws: string, levels: number[]): Promise<void> {
  const store = new LocalBaselineStore(path.join(ws, '.perf-gate/baselines'))
  for (const level of levels) {
    const i = recorded++
    await store.write(
      resultSet(
        [
          {
            name: 'work',
            metrics: [
              {
                name: 'time',
                unit: 's',
                direction: 'lower',
                class: 'non-critical',
                samples: lognormal(rng, 8, level, 0.01)
              }
            ]
          }
        ],
        {
          testbed: 'ci',
          commit: { sha: commits[2 * i + 1] ?? null },
          createdAt: new Date(Date.UTC(2024, 0, 1 + i, 3)).toISOString()
        }
      )
    )
  }
}

function dispatch(): RunnerEvent {
  const p = webhook('workflow_dispatch')
  p.repository.full_name = 'Codertocat/Hello-World'
  return {
    name: 'workflow_dispatch',
    payload: p,
    ref: `refs/heads/${p.repository.default_branch}`,
    sha: commits.at(-1) ?? ''
  }
}

const history = (ws: string, event = dispatch(), token = 'ghs-write') =>
  runAction({
    ws,
    event,
    gh,
    inputs: { mode: 'history', 'open-issues': 'true', 'github-token': token }
  })

const sha7 = (i: number) => (commits[i] ?? '').slice(0, 7)

describe('open-issues with mode: history', () => {
  beforeEach(() => {
    recorded = 0
  })

  it('opens one issue for a 15 % step, updates it on a rerun, and closes it on recovery', async () => {
    const ws = workspace()
    await record(ws, [...Array(6).fill(1.0), ...Array(6).fill(1.15)])

    const first = await history(ws)
    expect(first.code).toBe(0)
    expect(first.outputs['change-points']).toBe('1')
    expect([...gh.issues.values()]).toHaveLength(1)
    const issue = [...gh.issues.values()][0]
    expect(issue).toMatchObject({ state: 'open', labels: ['perf-regression'] })
    expect(gh.labels.get('perf-regression')).toMatchObject({ color: 'd73a4a' })
    expect(issue.title).toMatch(/^perf regression: work \/ time \+1\d\.\d% worse on ci$/)
    const body = issue.body ?? ''
    expect(body).toMatch(/^<!-- perf-gate:regression series=[0-9a-f]{16} at=[0-9a-f]{40} -->$/m)
    // The step lies between baseline 6 (commit 11) and baseline 7 (commit 13).
    expect(body).toContain(
      `[\`${sha7(11)}…${sha7(13)}\`](https://github.com/Codertocat/Hello-World/compare/${commits[11]}...${commits[13]})`
    )
    expect(body).toContain(
      `- First commit after the last baseline before the step: [\`${sha7(12)}\`](https://github.com/Codertocat/Hello-World/commit/${commits[12]}) main 13`
    )
    expect(body).toContain(
      '- Pull requests merged in the range (2 commits):\n  - [#7](https://github.com/Codertocat/Hello-World/pull/7) Switch the tokenizer to a regex by @\u200BCodertocat'
    )
    expect(body).toContain('```mermaid\nxychart-beta')
    expect(first.stdout).toContain(
      '1 regression past the fail budget in the history: 1 issue(s) opened'
    )

    // A second run, one baseline later: no second issue, the same one updated.
    await record(ws, [1.15])
    const second = await history(ws)
    expect(second.code).toBe(0)
    expect([...gh.issues.keys()]).toEqual([issue.number])
    expect(gh.requests.filter((r) => r.operationId === 'issues/create')).toHaveLength(1)
    expect(gh.issueUpdates.map((u) => u.number)).toEqual([issue.number])
    expect(issue.body).not.toBe(body)

    // Nothing new: nothing written.
    const writes = gh.writes().length
    await history(ws)
    expect(gh.writes()).toHaveLength(writes)

    // Back to the old level (as many baselines as the change point search needs to see the
    // plateau between two steps): "recovered at" the first baseline back, and closed.
    await record(ws, Array(20).fill(1.0))
    const third = await history(ws)
    expect(third.code).toBe(0)
    expect(issue.state).toBe('closed')
    expect(issue.stateReason).toBe('completed')
    const comments = gh.commentsOn(issue.number)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toMatch(new RegExp(`^recovered at \`${sha7(2 * 13 + 1)}\``))
    expect([...gh.issues.values()]).toHaveLength(1)
  })

  it('a step within the fail budget opens nothing', async () => {
    const ws = workspace()
    await record(ws, [...Array(6).fill(1.0), ...Array(6).fill(1.06)])
    const r = await history(ws)
    expect(r.outputs['change-points']).toBe('1')
    expect(gh.issues.size).toBe(0)
    expect(gh.writes()).toEqual([])
  })

  it('an untrusted event never opens an issue, whatever the workflow says', async () => {
    const ws = workspace()
    await record(ws, [...Array(6).fill(1.0), ...Array(6).fill(1.15)])
    const payload = webhook('pull_request', (e) => e.action === 'opened')
    const r = await history(ws, {
      name: 'pull_request',
      payload,
      ref: `refs/pull/${payload.number}/merge`,
      sha: '9'.repeat(40)
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      "open-issues: no issues opened: issues are opened only by push, schedule or workflow_dispatch runs of the default branch; this run is a 'pull_request' event"
    )
    expect(gh.requests).toEqual([])
  })

  it('a scheduled run opens issues; a token without issues: write gets one warning', async () => {
    const ws = workspace()
    await record(ws, [...Array(6).fill(1.0), ...Array(6).fill(1.15)])
    const schedule: RunnerEvent = {
      name: 'schedule',
      payload: { schedule: '17 3 * * *' },
      ref: 'refs/heads/main',
      sha: commits.at(-1) ?? ''
    }
    const denied = await history(ws, schedule, 'ghs-noissues')
    expect(denied.code).toBe(0)
    expect(denied.stdout).toMatch(
      /::warning::perf-gate: open-issues: the token may not write issues \(.*\)\. Add `permissions: issues: write` to the job\./
    )
    expect(gh.issues.size).toBe(0)
    const allowed = await history(ws, schedule)
    expect(allowed.code).toBe(0)
    expect(gh.issues.size).toBe(1)
  })
})

describe('open-issues with mode: baseline', () => {
  beforeEach(() => {
    recorded = 0
  })

  it('the push whose baseline completes a 15 % step opens the issue', async () => {
    const ws = workspace()
    await record(ws, [...Array(6).fill(1.0), ...Array(5).fill(1.15)])
    // This push's own results: a perf-gate results document at the new level.
    const current = resultSet(
      [
        {
          name: 'work',
          metrics: [
            {
              name: 'time',
              unit: 's',
              direction: 'lower',
              class: 'non-critical',
              samples: lognormal(rng, 8, 1.15, 0.01)
            }
          ]
        }
      ],
      { testbed: 'ci' }
    )
    writeFileSync(path.join(ws, 'results', 'work.json'), JSON.stringify(current))
    const p = webhook('push')
    p.repository.full_name = 'Codertocat/Hello-World'
    const r = await runAction({
      ws,
      event: {
        name: 'push',
        payload: p,
        ref: `refs/heads/${p.repository.default_branch}`,
        sha: commits[2 * 11 + 1] ?? ''
      },
      gh,
      inputs: {
        mode: 'baseline',
        results: 'results/*.json',
        'open-issues': 'true',
        'github-token': 'ghs-write'
      }
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      '1 regression past the fail budget in the history: 1 issue(s) opened'
    )
    expect([...gh.issues.values()]).toEqual([
      expect.objectContaining({ state: 'open', labels: ['perf-regression'] })
    ])
  })
})
