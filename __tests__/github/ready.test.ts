import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GitHubApiError } from '../../src/github/errors.js'
import { markReadyForReview } from '../../src/github/ready.js'
import { getPull } from '../../src/github/pulls.js'
import { forkToken, GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'

/*
 * Draft → ready through GraphQL, against the stand-in, which holds every document to GitHub's
 * published GraphQL schema before it answers.
 */

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ pull_requests: 'write', issues: 'write' }),
      'ghs-read': installationToken({ pull_requests: 'read', issues: 'write' }),
      'ghs-fork': forkToken()
    }
  }).start()
  gh.addPull({ number: 2, headSha: 'e'.repeat(40), draft: true })
})
afterEach(async () => {
  await gh.close()
})

async function post(body: unknown, token = 'ghs-write'): Promise<{ status: number; json: any }> {
  const res = await fetch(`${gh.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: res.status, json: await res.json() }
}

const repo = { owner: 'Codertocat', repo: 'Hello-World' }

describe('the stand-in holds GraphQL to GitHub’s schema', () => {
  it('rejects a malformed query as GitHub does: 200 with errors, and records the violation', async () => {
    const r = await post({
      query: 'query { repository(owner: "Codertocat", name: "Hello-World") {'
    })
    expect(r.status).toBe(200)
    expect(r.json.data).toBeUndefined()
    expect(r.json.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^Syntax Error: Expected Name, found <EOF>/),
        locations: [expect.objectContaining({ line: 1 })]
      })
    ])
    expect(gh.violations).toEqual([expect.stringMatching(/^graphql: Syntax Error/)])
    gh.violations.splice(0)
  })

  it('rejects a field the schema does not have, and a variable of the wrong type', async () => {
    const unknown = await post({ query: '{ viewer { login favouriteColour } }' })
    expect(unknown.json.errors[0].message).toBe(
      'Cannot query field "favouriteColour" on type "User".'
    )
    const wrongType = await post({
      query:
        'mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }',
      variables: { id: { not: 'an id' } }
    })
    expect(wrongType.json.errors[0].message).toMatch(/Variable "\$id" got invalid value/)
    expect(gh.pulls.get(2)?.draft).toBe(true)
    expect(gh.violations).toHaveLength(2)
    gh.violations.splice(0)
  })

  it('answers a valid query from its state', async () => {
    const r = await post({
      query:
        'query($n: Int!) { repository(owner: "Codertocat", name: "Hello-World") { pullRequest(number: $n) { number isDraft } } }',
      variables: { n: 2 }
    })
    expect(r.json).toEqual({ data: { repository: { pullRequest: { number: 2, isDraft: true } } } })
    expect(gh.violations).toEqual([])
  })
})

describe('markReadyForReview', () => {
  it('marks the draft ready, through the node id the REST API gives', async () => {
    const client = standinClient(gh)
    const pull = await getPull(client, repo, 2)
    expect(pull.draft).toBe(true)
    await markReadyForReview(client, pull)
    expect(gh.pulls.get(2)?.draft).toBe(false)
    expect(gh.readyForReview).toEqual([2])
    expect(gh.graphqlCalls.map((c) => c.fields)).toEqual([['markPullRequestReadyForReview']])
    expect(gh.violations).toEqual([])
  })

  it('a token without pull-requests: write gets one sentence naming the permission', async () => {
    const pull = await getPull(standinClient(gh), repo, 2)
    const e = await markReadyForReview(standinClient(gh, 'ghs-read'), pull).catch((x) => x)
    expect(e).toBeInstanceOf(GitHubApiError)
    expect(e.kind).toBe('permission')
    expect(e.message).toBe(
      'promoting #2 to ready for review: the token may not do this (Resource not accessible by integration). Add `permissions: pull-requests: write` to the job.'
    )
    expect(gh.pulls.get(2)?.draft).toBe(true)
    expect(gh.violations).toEqual([])
  })

  it('an unknown node id is not found', async () => {
    const e = await markReadyForReview(standinClient(gh), { number: 9, nodeId: 'PR_9' }).catch(
      (x) => x
    )
    expect(e.kind).toBe('not-found')
  })
})
