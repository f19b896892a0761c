import type { RunContext } from '../types/run-context.js'

/*
 * Who may write a baseline. A baseline written by a pull request would let any PR lower the bar
 * for every later one, so only a push or a manual dispatch on the default branch of the repository
 * itself may write, on GitHub. Off GitHub (a laptop) the user owns the store.
 */

export interface TrustDecision {
  allowed: boolean
  reason: string
}

const TRUSTED_EVENTS = new Set(['push', 'workflow_dispatch'])

/**
 * `store.shared`: the store holds the team's baselines (a `git:` branch of the repository), which
 * a local run never writes: the CLI may read them, and writes only as a trusted CI run.
 */
export function baselineWriteDecision(
  ctx: RunContext,
  store: { shared?: boolean } = {}
): TrustDecision {
  if (!ctx.onGitHub) {
    if (store.shared) {
      return {
        allowed: false,
        reason:
          "a git: store holds the team's baselines, which only a trusted CI run writes (push or workflow_dispatch on the default branch, on GitHub Actions); this is a local run, so it only reads them"
      }
    }
    return { allowed: true, reason: 'local run: the store belongs to the user' }
  }
  const event = ctx.eventName ?? '(unknown)'
  if (!TRUSTED_EVENTS.has(event)) {
    return {
      allowed: false,
      reason: `baselines are written only on push or workflow_dispatch to the default branch; this run is a '${event}' event`
    }
  }
  if (!ctx.defaultBranch) {
    return {
      allowed: false,
      reason:
        'the default branch is unknown (no repository in the event payload), so the baseline is not written'
    }
  }
  const expected = `refs/heads/${ctx.defaultBranch}`
  if (ctx.ref !== expected) {
    return {
      allowed: false,
      reason: `baselines are written only from the default branch (${expected}); this run is on ${ctx.ref ?? '(no ref)'}`
    }
  }
  if (ctx.fromFork)
    return {
      allowed: false,
      reason: 'the code comes from a fork; baselines are written only by the repository itself'
    }
  return { allowed: true, reason: `${event} on ${expected}` }
}
