import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { explainApiError } from '../../src/github/errors.js'
import type { Identity } from '../../src/github/identity.js'
import { upsertLedger } from '../../src/github/ledger-comment.js'
import { hopMarker, renderLedger } from '../../src/report/ledger.js'
import { GitHubStandin } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { report } from '../report/helpers.js'

/*
 * Defects the reliability suite's fault matrix found (npm run bench:reliability): each test is the
 * smallest reproduction of one row that used to give a misleading message.
 */

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin().start()
  gh.addPull({ number: 2, headSha: 'e'.repeat(40) })
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const pr = { owner: 'Codertocat', repo: 'Hello-World', pull_number: 2 }
const bot: Identity = { login: 'github-actions[bot]', source: 'check run' }

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected the request to fail')
}

describe('fault matrix regressions', () => {
  it('a secondary rate limit quotes its retry-after, not the hourly window an hour away', async () => {
    gh.inject(
      'pulls/get',
      { kind: 'rate-limit', type: 'secondary', status: 403, retryAfterSeconds: 2 },
      8
    )
    const e = explainApiError(await failure(standinClient(gh).rest.pulls.get(pr)), 'reading #2')
    expect((e as Error).message).toMatch(
      /^reading #2: GitHub's rate limit is exhausted for the next 2 s \(403 You have exceeded a secondary rate limit/
    )
    expect((e as Error).message).not.toMatch(/until \d\d:\d\d UTC/)
  })

  it('a ledger comment GitHub keeps refusing to create is reported as that, not as a race', async () => {
    gh.inject('issues/create-comment', { kind: 'status', status: 500 }, 50)
    const r = report({ runId: '300.1' })
    const e = await failure(
      upsertLedger(
        standinClient(gh),
        { owner: 'Codertocat', repo: 'Hello-World', number: 2 },
        { render: (existing) => renderLedger(existing, r), proof: hopMarker('300.1') },
        { identity: bot, settleMs: 1 }
      )
    )
    expect((e as Error).message).toBe(
      'creating the ledger comment on #2: GitHub failed (500 Server Error) and kept failing after retries.'
    )
    expect(gh.comments).toHaveLength(0)
  })
})
