import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { Annotation } from '../../src/github/annotations.js'
import { completeCheckRun, startCheckRun } from '../../src/github/check-run.js'
import { resolveIdentity } from '../../src/github/identity.js'
import { renderCheckRun } from '../../src/report/check-run.js'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { report } from '../report/helpers.js'

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ checks: 'write', issues: 'write' }),
      'ghs-app': installationToken(
        { checks: 'write' },
        { login: 'perf-bot[bot]', id: 7, type: 'Bot' },
        'perf-bot'
      ),
      'ghs-nochecks': installationToken({ issues: 'write' }),
      'ghp-user': {
        account: { login: 'octocat', id: 1, type: 'User' },
        kind: 'user',
        permissions: { issues: 'write', checks: 'write' }
      }
    }
  }).start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const repo = { owner: 'Codertocat', repo: 'Hello-World' }
const head = 'e'.repeat(40)
const start = { headSha: head, externalId: 'perf-gate:42.1', startedAt: '2026-11-22T10:00:00Z' }
const payload = () => ({ ...renderCheckRun(report(), { headSha: head }), head_sha: head })
const annotation = (i: number): Annotation => ({
  path: 'perf-gate.yml',
  start_line: i + 1,
  end_line: i + 1,
  annotation_level: 'failure',
  title: `b${i}`,
  message: 'slower'
})

describe('the review:gate:perf check run', () => {
  it('goes in progress on the head sha, then completes with the verdict', async () => {
    const client = standinClient(gh)
    const ref = await startCheckRun(client, repo, start)
    expect(gh.checkRuns[0]).toMatchObject({
      name: 'review:gate:perf',
      headSha: head,
      status: 'in_progress',
      externalId: 'perf-gate:42.1'
    })
    await completeCheckRun(client, repo, ref, payload(), { externalId: start.externalId })
    expect(gh.checkRuns).toHaveLength(1)
    expect(gh.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' })
    expect(gh.checkRuns[0]?.output.title).toBe('perf: 2 regressions (fail)')
  })

  it('sends 120 annotations 50 at a time, and GitHub keeps all of them', async () => {
    const client = standinClient(gh)
    const ref = await startCheckRun(client, repo, start)
    const annotations = Array.from({ length: 120 }, (_, i) => annotation(i))
    await completeCheckRun(client, repo, ref, payload(), { externalId: 'x', annotations })
    const sizes = gh.checkRuns[0]?.updates.map((u: any) => u.output?.annotations?.length ?? 0)
    expect(sizes).toEqual([0, 50, 50, 20])
    expect(gh.checkRuns[0]?.annotations).toHaveLength(120)
    expect(gh.checkRuns[0]?.conclusion).toBe('failure')
  })

  it('creates the run completed when starting it had failed', async () => {
    await completeCheckRun(standinClient(gh), repo, null, payload(), {
      externalId: 'perf-gate:1.1'
    })
    expect(gh.checkRuns).toHaveLength(1)
    expect(gh.checkRuns[0]).toMatchObject({ status: 'completed', externalId: 'perf-gate:1.1' })
  })

  it('looks up its run by external_id after a 502 instead of creating a second one', async () => {
    gh.inject('checks/create', { kind: 'after', status: 502 })
    const ref = await startCheckRun(standinClient(gh), repo, start)
    expect(gh.checkRuns).toHaveLength(1)
    expect(ref.id).toBe(gh.checkRuns[0]?.id)
    expect(gh.requests.map((r) => r.operationId)).toEqual(['checks/create', 'checks/list-for-ref'])
  })

  it('names the missing checks: write permission', async () => {
    await expect(startCheckRun(standinClient(gh, 'ghs-nochecks'), repo, start)).rejects.toThrow(
      /creating the check run: the token may not do this .* Add `permissions: checks: write` to the job/
    )
  })

  it('tells a personal access token that check runs need an app token', async () => {
    await expect(startCheckRun(standinClient(gh, 'ghp-user'), repo, start)).rejects.toThrow(
      /only a GitHub App token \(such as GITHUB_TOKEN\) may create check runs/
    )
  })
})

describe('who the token comments as', () => {
  it('is the check run app: a custom app comments as <slug>[bot]', async () => {
    const ref = await startCheckRun(standinClient(gh, 'ghs-app'), repo, start)
    expect(ref.appSlug).toBe('perf-bot')
  })

  it('asks GET /user for a personal token, and assumes github-actions[bot] when refused', async () => {
    expect(await resolveIdentity(standinClient(gh, 'ghp-user'), null)).toEqual({
      login: 'octocat',
      source: 'GET /user'
    })
    expect(await resolveIdentity(standinClient(gh), null)).toEqual({
      login: 'github-actions[bot]',
      source: 'default'
    })
  })
})
