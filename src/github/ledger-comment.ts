import { isLedger } from '../report/ledger.js'
import type { GitHubClient } from './client.js'
import { explainApiError, GitHubApiError, mayHaveLanded } from './errors.js'
import type { Identity } from './identity.js'
import { mergeHopEntries } from './ledger-merge.js'

/*
 * The one Ledger comment of a pull request. GitHub has no conditional write for comments, so the
 * upsert converges instead of locking: read every page, keep the oldest ledger of ours, merge our
 * part into it, write, wait a moment, read back twice, and start over if a concurrent run's write
 * dropped our hop entry. Duplicates from two runs creating at once are folded into the oldest and
 * deleted once it holds their entries.
 */

export interface IssueRef {
  owner: string
  repo: string
  number: number
}

interface Comment {
  id: number
  body: string
  login: string | null
  url: string
}

export interface LedgerWrite {
  /** The new body given the current one (null: there is none yet). Pure, and a no-op when reapplied. */
  render: (existing: string | null) => string
  /** Text only our entry of this run carries: its presence proves the write survived. */
  proof: string | null
}

export interface LedgerOptions {
  identity: Identity
  /** Wait before reading back, in ms, so that a concurrent writer's PATCH has landed. */
  settleMs: number
  maxAttempts?: number
  log?: (message: string) => void
  sleep?: (ms: number) => Promise<void>
}

export interface LedgerResult {
  commentId: number
  url: string
  created: boolean
  attempts: number
  /** Duplicate ledgers of ours that were folded in and deleted. */
  removed: number[]
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

async function listComments(client: GitHubClient, issue: IssueRef): Promise<Comment[]> {
  const out: Comment[] = []
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    per_page: 100
  })
  for await (const page of pages) {
    for (const c of page.data) {
      out.push({ id: c.id, body: c.body ?? '', login: c.user?.login ?? null, url: c.html_url })
    }
  }
  return out
}

/** Our ledgers, oldest first. Anchors in anyone else's comment are not ours to adopt or edit. */
function ours(all: Comment[], identity: Identity, warned: Set<number>, log: (m: string) => void) {
  const ledgers = all.filter((c) => isLedger(c.body))
  for (const c of ledgers) {
    if (c.login !== identity.login && !warned.has(c.id)) {
      warned.add(c.id)
      log(
        `Comment ${c.id} by ${c.login ?? 'a deleted user'} looks like a ledger but is not by ${identity.login}; it is left alone.`
      )
    }
  }
  return ledgers.filter((c) => c.login === identity.login).sort((a, b) => a.id - b.id)
}

/** The body of our ledger on the pull request, or null when there is none yet. */
export async function readLedger(
  client: GitHubClient,
  issue: IssueRef,
  identity: Identity
): Promise<string | null> {
  let all: Comment[]
  try {
    all = await listComments(client, issue)
  } catch (e) {
    throw explainApiError(e, `reading the comments of #${issue.number}`)
  }
  return ours(all, identity, new Set(), () => undefined)[0]?.body ?? null
}

export async function upsertLedger(
  client: GitHubClient,
  issue: IssueRef,
  write: LedgerWrite,
  opts: LedgerOptions
): Promise<LedgerResult> {
  const log = opts.log ?? (() => undefined)
  const sleep = opts.sleep ?? defaultSleep
  const maxAttempts = opts.maxAttempts ?? 5
  const settle = () => sleep(opts.settleMs * (1 + Math.random()))
  const warned = new Set<number>()
  const repo = { owner: issue.owner, repo: issue.repo }
  let created = false
  // Set while the latest round failed to create the comment, so giving up names that failure.
  let createFailure: unknown = null

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let all: Comment[]
    try {
      all = await listComments(client, issue)
    } catch (e) {
      throw explainApiError(e, `reading the comments of #${issue.number}`)
    }
    const [canonical, ...extras] = ours(all, opts.identity, warned, log)

    if (!canonical) {
      createFailure = null
      try {
        // Never retried blindly: after a 5xx the comment may exist, and the next round looks first.
        await client.rest.issues.createComment({
          ...repo,
          issue_number: issue.number,
          body: write.render(null),
          request: { retries: 0 }
        })
        created = true
      } catch (e) {
        if (!mayHaveLanded(e))
          throw explainApiError(e, `creating the ledger comment on #${issue.number}`)
        createFailure = e
        log(
          `Creating the ledger comment failed (${(e as Error).message}); looking whether it landed.`
        )
      }
      await settle()
      continue
    }

    createFailure = null
    let body = write.render(canonical.body)
    for (const extra of extras) body = mergeHopEntries(body, extra.body)
    // Unchanged means the listing (taken after the last settle) already shows our part.
    const wrote = body !== canonical.body
    /** The comment's body once a settle has passed, for a writer that lost a race to show. */
    const readBack = async (): Promise<string> => {
      await settle()
      const { data } = await client.rest.issues.getComment({ ...repo, comment_id: canonical.id })
      return data.body ?? ''
    }
    let current = canonical.body
    if (wrote) {
      try {
        await client.rest.issues.updateComment({ ...repo, comment_id: canonical.id, body })
        current = await readBack()
      } catch (e) {
        throw explainApiError(e, `updating the ledger comment ${canonical.id}`)
      }
    }
    const landed = (text: string): boolean =>
      write.proof ? text.includes(write.proof) : write.render(text) === text
    const extrasKept = extras.every((x) => mergeHopEntries(current, x.body) === current)
    if (!landed(current) || !extrasKept) {
      log(`The ledger changed under us (attempt ${attempt}); merging again.`)
      continue
    }
    if (wrote) {
      // A run that read the body before our write may still be writing its own, without our
      // entry: look once more after another settle. (Without a conditional write this narrows
      // the window to a run whose read and write straddle two settles; it cannot close it.)
      try {
        current = await readBack()
      } catch (e) {
        throw explainApiError(e, `reading back the ledger comment ${canonical.id}`)
      }
      if (!landed(current)) {
        log(`The ledger was overwritten after our write (attempt ${attempt}); merging again.`)
        continue
      }
    }

    const removed: number[] = []
    for (const extra of extras) {
      try {
        await client.rest.issues.deleteComment({ ...repo, comment_id: extra.id })
        removed.push(extra.id)
      } catch (e) {
        // Another run may have deleted it first; anything else only leaves a duplicate behind.
        log(`Could not delete the duplicate ledger ${extra.id}: ${(e as Error).message}`)
      }
    }
    return { commentId: canonical.id, url: canonical.url, created, attempts: attempt, removed }
  }
  if (createFailure !== null) {
    throw explainApiError(createFailure, `creating the ledger comment on #${issue.number}`)
  }
  throw new GitHubApiError(
    'conflict',
    `updating the ledger comment on #${issue.number}: it kept changing under concurrent runs after ${maxAttempts} attempts`,
    undefined
  )
}
