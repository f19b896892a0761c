import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { UpstreamRun } from '../../src/github/context.js'
import { findPullForRun, labeledBy } from '../../src/github/pulls.js'
import { artifactFiles } from '../../src/github/report-mode.js'
import { GitHubStandin } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin().start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const repo = { owner: 'Codertocat', repo: 'Hello-World' }
const sha = 'c'.repeat(40)
const forkRun = (over: Partial<UpstreamRun> = {}): UpstreamRun => ({
  id: 77,
  attempt: 1,
  event: 'pull_request',
  headSha: sha,
  headBranch: 'main',
  headRepo: 'mallory/Hello-World',
  htmlUrl: null,
  pullRequests: [],
  ...over
})
const forkPull = (number: number, headSha = sha) =>
  gh.addPull({
    number,
    headSha,
    head: { sha: headSha, ref: 'main', repoFullName: 'mallory/Hello-World' }
  })

describe('finding the PR of a measured run (mode report)', () => {
  it("finds a fork's PR from the event's head, though GitHub lists no pull_requests", async () => {
    gh.addPull({ number: 3, headSha: sha }) // same sha, but the base repository's branch
    forkPull(9)
    const found = await findPullForRun(standinClient(gh), repo, forkRun())
    expect(found.pull?.number).toBe(9)
    const list = gh.requests.find((r) => r.operationId === 'pulls/list')
    expect(list?.query).toMatchObject({ state: 'open', head: 'mallory:main' })
  })

  it('reads the branch the PR merges into, which the event does not carry', async () => {
    forkPull(9).base = { sha: 'e'.repeat(40), ref: 'release/2.x' }
    const found = await findPullForRun(standinClient(gh), repo, forkRun())
    expect(found.pull?.baseRef).toBe('release/2.x')
  })

  it('posts nowhere when the PR moved on since the measured commit', async () => {
    forkPull(9, 'd'.repeat(40))
    const found = await findPullForRun(standinClient(gh), repo, forkRun())
    expect(found.pull).toBeNull()
    expect(found.why).toMatch(/head moved on \(#9 is at ddddddd\) since ccccccc was measured/)
  })

  it('posts nowhere when the PR was closed', async () => {
    forkPull(9).state = 'closed'
    const found = await findPullForRun(standinClient(gh), repo, forkRun())
    expect(found.pull).toBeNull()
    expect(found.why).toMatch(/no open pull request has head ccccccc/)
  })

  it('checks a PR GitHub did list against the head sha too', async () => {
    gh.addPull({ number: 4, headSha: 'd'.repeat(40) })
    const found = await findPullForRun(
      standinClient(gh),
      repo,
      forkRun({ headRepo: 'Codertocat/Hello-World', headBranch: 'changes', pullRequests: [4] })
    )
    expect(found.pull).toBeNull()
  })
})

describe('who applied the accept label', () => {
  it('is the last to label it, unless it was removed since', async () => {
    gh.addPull({ number: 2, headSha: sha, labels: ['perf-gate:accept'] })
    const alice = { login: 'alice', id: 2, type: 'User' as const }
    const bob = { login: 'bob', id: 3, type: 'User' as const }
    gh.issueEvents.push(
      { issue: 2, label: 'perf-gate:accept', actor: bob, event: 'labeled' },
      { issue: 2, label: 'perf-gate:accept', actor: bob, event: 'unlabeled' },
      { issue: 2, label: 'perf-gate:accept', actor: alice, event: 'labeled' },
      { issue: 2, label: 'bug', actor: bob, event: 'labeled' }
    )
    expect(await labeledBy(standinClient(gh), repo, 2, 'perf-gate:accept')).toBe('alice')
  })
})

describe('the downloaded artifact', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'pg-artifact-'))

  it('yields its JSON files, nested ones included', async () => {
    const d = dir()
    mkdirSync(path.join(d, 'raw'))
    writeFileSync(path.join(d, 'raw', 'a.json'), '{}')
    writeFileSync(path.join(d, 'notes.txt'), 'x')
    expect(await artifactFiles(d)).toEqual([path.join(d, 'raw', 'a.json')])
    expect(await artifactFiles(path.join(d, 'missing'))).toBeNull()
  })

  it('refuses a symbolic link, which could point anywhere on the runner', async () => {
    const d = dir()
    symlinkSync('/etc/hostname', path.join(d, 'results.json'))
    await expect(artifactFiles(d)).rejects.toThrow(/holds a symbolic link/)
  })
})
