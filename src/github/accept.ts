import type { Acceptance } from '../types/report.js'
import type { GateOutcome } from '../stats/types.js'

/*
 * Route B with a written justification: a reviewer puts the acceptance label on the pull request
 * and its description says why the regression is worth it, on a line of its own:
 *
 *     perf-gate-accept: the new tokenizer is 3 % slower and fixes #123, see the benchmark notes
 *
 * The label is the decision (applying it takes triage access, and GitHub records who did); the
 * line is the reason. A label without a reason accepts nothing, so the ledger never records an
 * acceptance nobody explained.
 */

export const JUSTIFICATION_KEY = 'perf-gate-accept'
const MIN_REASON_LENGTH = 10
const LINE = /^[ \t]*(?:[-*][ \t]+)?perf-gate-accept[ \t]*:[ \t]*(.*)$/im

/** The justification from a PR body: the key's line and the lines under it up to a blank one. */
export function readJustification(body: string): string | null {
  const lines = body.replace(/\r\n?/g, '\n').split('\n')
  const at = lines.findIndex((l) => LINE.test(l))
  if (at < 0) return null
  const parts = [LINE.exec(lines[at] ?? '')?.[1] ?? '']
  for (const l of lines.slice(at + 1)) {
    if (l.trim() === '' || /^\s*(#|```|<!--)/.test(l)) break
    parts.push(l.trim())
  }
  const reason = parts.join(' ').replace(/\s+/g, ' ').trim()
  return reason.length >= MIN_REASON_LENGTH ? reason : null
}

export type AcceptanceCheck =
  | { kind: 'not-requested' }
  | { kind: 'no-reason'; message: string }
  | { kind: 'accepted'; reason: string }

/** Whether the PR asks to accept a regression, and whether it says why. */
export function checkAcceptance(
  pr: { labels: string[]; body: string },
  label: string
): AcceptanceCheck {
  if (!pr.labels.includes(label)) return { kind: 'not-requested' }
  const reason = readJustification(pr.body)
  if (reason) return { kind: 'accepted', reason }
  return {
    kind: 'no-reason',
    message: `the pull request has the label '${label}' but its description has no '${JUSTIFICATION_KEY}: <why>' line (at least ${MIN_REASON_LENGTH} characters), so the regression is not accepted`
  }
}

/**
 * A failing or warning outcome turned neutral on Route B. Passing and neutral outcomes have
 * nothing to accept and are returned as they are.
 */
export function acceptOutcome(
  outcome: GateOutcome,
  acceptance: Omit<Acceptance, 'was'>
): { outcome: GateOutcome; acceptance: Acceptance } | null {
  if (outcome.verdict !== 'fail' && outcome.verdict !== 'warn') return null
  const who = acceptance.by ? `@${acceptance.by}` : 'a reviewer'
  return {
    outcome: {
      ...outcome,
      verdict: 'neutral',
      route: 'B',
      reason: `accepted by ${who} with the label '${acceptance.label}': ${outcome.reason}`
    },
    acceptance: { ...acceptance, was: outcome.verdict }
  }
}
