import type { GitHubClient } from './client.js'
import { explainApiError, GitHubApiError } from './errors.js'

/*
 * Draft → ready for review. GitHub offers this only through GraphQL
 * (`markPullRequestReadyForReview`); REST's `draft` field is read-only. GraphQL refusals arrive as
 * 200 with an `errors` list, which Octokit throws as a GraphqlResponseError; they are turned into
 * the same actionable sentences as REST's.
 */

/** Input `promote-draft`: never, on a passing perf gate, or only when every gate of the ledger passes. */
export const PROMOTE_DRAFT = ['false', 'true', 'when-all-gates-pass'] as const
export type PromoteDraft = (typeof PROMOTE_DRAFT)[number]

const MARK_READY = `mutation perfGateMarkReady($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) {
    pullRequest { number isDraft }
  }
}`

interface MarkReadyAnswer {
  markPullRequestReadyForReview: { pullRequest: { number: number; isDraft: boolean } | null } | null
}

interface GraphqlErrorLike {
  name?: string
  errors?: Array<{ type?: string; message?: string }>
}

function graphqlErrors(e: unknown): Array<{ type?: string; message?: string }> | null {
  const err = e as GraphqlErrorLike | null
  return err?.name === 'GraphqlResponseError' && Array.isArray(err.errors) ? err.errors : null
}

/** A GraphQL failure of `what` as one actionable sentence; HTTP failures as for REST. */
export function explainGraphqlError(e: unknown, what: string, permission: string): unknown {
  const errors = graphqlErrors(e)
  if (!errors) return explainApiError(e, what)
  const message = errors.map((x) => x.message ?? '').join('; ') || 'no message'
  if (errors.some((x) => x.type === 'FORBIDDEN')) {
    return new GitHubApiError(
      'permission',
      `${what}: the token may not do this (${message}). Add \`permissions: ${permission}\` to the job.`,
      403
    )
  }
  if (errors.some((x) => x.type === 'NOT_FOUND')) {
    return new GitHubApiError('not-found', `${what}: not found (${message}).`, 404)
  }
  if (errors.some((x) => x.type === 'RATE_LIMITED')) {
    return new GitHubApiError(
      'rate-limit',
      `${what}: GitHub's rate limit is exhausted (${message}).`,
      403
    )
  }
  return new GitHubApiError(
    'invalid',
    `${what}: GitHub refused the request (${message}).`,
    undefined
  )
}

/** Marks the pull request (by its GraphQL node id) ready for review. */
export async function markReadyForReview(
  client: GitHubClient,
  pull: { number: number; nodeId: string }
): Promise<void> {
  const what = `promoting #${pull.number} to ready for review`
  let answer: MarkReadyAnswer
  try {
    answer = await client.graphql<MarkReadyAnswer>(MARK_READY, { id: pull.nodeId })
  } catch (e) {
    throw explainGraphqlError(e, what, 'pull-requests: write')
  }
  if (answer.markPullRequestReadyForReview?.pullRequest?.isDraft !== false) {
    throw new GitHubApiError(
      'invalid',
      `${what}: GitHub answered, but the pull request is still a draft.`,
      undefined
    )
  }
}

/**
 * True when `login` has marked this pull request ready for review before, by GitHub's own record:
 * the issue events (`ready_for_review`, with the account that did it as its actor). It holds
 * whether or not a ledger comment was ever posted, so "never twice" does not depend on `comment`.
 */
export async function markedReadyBefore(
  client: GitHubClient,
  repo: { owner: string; repo: string },
  number: number,
  login: string
): Promise<boolean> {
  try {
    const pages = client.paginate.iterator(client.rest.issues.listEvents, {
      ...repo,
      issue_number: number,
      per_page: 100
    })
    for await (const page of pages) {
      if (page.data.some((ev) => ev.event === 'ready_for_review' && ev.actor?.login === login)) {
        return true
      }
    }
    return false
  } catch (e) {
    throw explainApiError(e, `reading the events of #${number}`)
  }
}
