import { describe, expect, it } from '@jest/globals'
import { baselineWriteDecision } from '../../src/baseline/trust.js'

const main = { onGitHub: true, ref: 'refs/heads/main', defaultBranch: 'main', fromFork: false }

describe('baselineWriteDecision', () => {
  it.each(['push', 'workflow_dispatch'])('allows %s on the default branch', (eventName) => {
    expect(baselineWriteDecision({ ...main, eventName }).allowed).toBe(true)
  })

  it.each([
    'pull_request',
    'pull_request_target',
    'workflow_run',
    'schedule',
    'issue_comment',
    'merge_group',
    'release'
  ])('refuses %s, naming the event', (eventName) => {
    const d = baselineWriteDecision({ ...main, eventName })
    expect(d.allowed).toBe(false)
    expect(d.reason).toContain(`'${eventName}'`)
  })

  it('refuses a push to another branch', () => {
    const d = baselineWriteDecision({ ...main, eventName: 'push', ref: 'refs/heads/feature' })
    expect(d).toEqual({ allowed: false, reason: expect.stringContaining('refs/heads/feature') })
  })

  it('refuses a tag push named like the default branch', () => {
    expect(
      baselineWriteDecision({ ...main, eventName: 'push', ref: 'refs/tags/main' }).allowed
    ).toBe(false)
  })

  it('refuses code from a fork and an unknown default branch', () => {
    expect(baselineWriteDecision({ ...main, eventName: 'push', fromFork: true }).allowed).toBe(
      false
    )
    expect(
      baselineWriteDecision({ onGitHub: true, eventName: 'push', ref: 'refs/heads/main' }).allowed
    ).toBe(false)
  })

  it('lets a local user write their own store', () => {
    expect(baselineWriteDecision({ onGitHub: false }).allowed).toBe(true)
  })

  it("never lets a local run write the team's store, which a trusted CI run still writes", () => {
    const shared = { shared: true }
    expect(baselineWriteDecision({ onGitHub: false }, shared)).toEqual({
      allowed: false,
      reason: expect.stringMatching(/^a git: store holds the team's baselines/)
    })
    expect(baselineWriteDecision({ ...main, eventName: 'push' }, shared).allowed).toBe(true)
    expect(
      baselineWriteDecision(
        { ...main, eventName: 'pull_request', ref: 'refs/pull/1/merge' },
        shared
      ).allowed
    ).toBe(false)
  })
})
