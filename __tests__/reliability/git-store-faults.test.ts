import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GitBaselineStore } from '../../src/baseline/git-store.js'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { mulberry32 } from '../helpers/random.js'
import { resultSet, timeBench } from '../helpers/results.js'

/*
 * Found by the reliability suite's git-store fault matrix: when GitHub failed to serve the index
 * blob (5xx, rate limit, timeout), the store said the index was damaged and told the user to
 * restore it or delete the branch: destructive advice for a transient failure.
 */

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: { 'ghs-write': installationToken({ contents: 'write' }) }
  }).start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const store = (seed: number) =>
  new GitBaselineStore(
    standinClient(gh),
    { owner: gh.owner, repo: gh.repo },
    { branch: 'perf-gate-data', timeScale: 0.001, random: mulberry32(seed), attempts: 2 }
  )

const baseline = (minute: number, sha: string) =>
  resultSet([timeBench('b', [minute + 1, minute + 2])], {
    testbed: 'ci',
    createdAt: `2026-11-22T10:0${minute}:00.000Z`,
    commit: { sha }
  })

describe('git store: GitHub failing to serve the index', () => {
  it('is not reported as a damaged index, and the branch keeps its baseline', async () => {
    await store(1).write(baseline(0, '0'.repeat(40)))
    gh.inject('git/get-blob', { kind: 'status', status: 500 }, 100)
    let message = ''
    try {
      await store(2).write(baseline(1, '1'.repeat(40)))
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).not.toBe('')
    expect(message).not.toMatch(/not a valid baseline index|delete the branch/)
    gh.clearFaults()
    expect((await store(3).latest('ci'))?.results.commit.sha).toBe('0'.repeat(40))
  })
})
