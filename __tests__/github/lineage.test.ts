import { describe, expect, it } from '@jest/globals'
import type { GitHubClient } from '../../src/github/client.js'
import { githubLineage } from '../../src/github/commit-graph.js'
import type { WorkflowRun } from '../../src/github/context.js'

/*
 * Which history a run's baseline is chosen on. The graph itself is exercised against the
 * stand-in elsewhere; here only the choice of target, which needs no request.
 */
const client = {} as GitHubClient
const sha = 'a'.repeat(40)
const run = (over: Partial<WorkflowRun> = {}): WorkflowRun => ({
  context: { onGitHub: true, eventName: 'workflow_run', defaultBranch: 'main' },
  commit: { sha, ref: 'main' },
  runId: '1',
  runUrl: undefined,
  pullRequest: undefined,
  repository: { owner: 'o', repo: 'r' },
  pull: null,
  upstream: null,
  actor: null,
  ...over
})
const lineage = (opts: Partial<Parameters<typeof githubLineage>[0]>, env = {}) =>
  githubLineage({ client, wf: run(), sha, aboutPull: false, maxDistance: 50, env, ...opts })

describe('githubLineage', () => {
  it('takes mode report’s PR base from the API, not the default branch', () => {
    expect(lineage({ aboutPull: true, pullBase: 'release/2.x' }).target).toEqual({
      kind: 'pull',
      base: 'release/2.x',
      head: sha
    })
    expect(lineage({ aboutPull: true }).target).toMatchObject({ kind: 'pull', base: 'main' })
  })

  it('takes a pull_request event’s base from GITHUB_BASE_REF', () => {
    const got = lineage(
      { wf: run({ pull: { number: 4, headSha: sha, headRepo: 'o/r' } as WorkflowRun['pull'] }) },
      { GITHUB_BASE_REF: 'develop' }
    )
    expect(got.target).toEqual({ kind: 'pull', base: 'develop', head: sha })
  })

  it('chooses a push by its own commit, and without a client the latest baseline', () => {
    expect(lineage({}).target).toEqual({ kind: 'commit', sha })
    expect(lineage({ client: null }).target).toEqual({ kind: 'latest' })
  })
})
