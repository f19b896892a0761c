import { CHECK_RUN_NAME, type CheckRunPayload } from '../report/check-run.js'
import { ANNOTATIONS_PER_REQUEST, type Annotation } from './annotations.js'
import type { GitHubClient } from './client.js'
import { explainApiError, mayHaveLanded } from './errors.js'

/*
 * The `review:gate:perf` check run: created in progress on the PR head when the benchmarks start,
 * completed with the verdict when they end. `external_id` names the workflow run and attempt, so a
 * create that failed ambiguously is looked up before it is sent again.
 */

export interface RepoRef {
  owner: string
  repo: string
}

export interface CheckRunRef {
  id: number
  url: string
  /** The app that owns the run: the identity the token acts as. */
  appSlug: string | null
}

export interface CheckRunStart {
  headSha: string
  externalId: string
  detailsUrl?: string
  startedAt: string
}

async function findExisting(
  client: GitHubClient,
  repo: RepoRef,
  headSha: string,
  externalId: string
): Promise<CheckRunRef | null> {
  const { data } = await client.rest.checks.listForRef({
    ...repo,
    ref: headSha,
    check_name: CHECK_RUN_NAME,
    filter: 'all',
    per_page: 100
  })
  const run = data.check_runs.find((r) => r.external_id === externalId)
  return run ? { id: run.id, url: run.html_url ?? run.url, appSlug: run.app?.slug ?? null } : null
}

type CreateParams = Parameters<GitHubClient['rest']['checks']['create']>[0]

interface CreateBody {
  name: string
  head_sha: string
  external_id: string
  status?: 'in_progress' | 'completed'
  conclusion?: string
  started_at?: string
  completed_at?: string
  details_url?: string
  output: { title: string; summary: string; text?: string; annotations?: Annotation[] }
}

async function createOnce(
  client: GitHubClient,
  repo: RepoRef,
  body: CreateBody,
  log: (m: string) => void
): Promise<CheckRunRef> {
  for (let attempt = 1; ; attempt++) {
    try {
      const params = { ...repo, ...body, request: { retries: 0 } }
      const { data } = await client.rest.checks.create(params as unknown as CreateParams)
      return { id: data.id, url: data.html_url ?? data.url, appSlug: data.app?.slug ?? null }
    } catch (e) {
      if (!mayHaveLanded(e) || attempt >= 3) throw explainApiError(e, 'creating the check run')
      log(`Creating the check run failed (${(e as Error).message}); looking whether it landed.`)
      const found = await findExisting(client, repo, body.head_sha, body.external_id).catch(
        () => null
      )
      if (found) return found
    }
  }
}

export async function startCheckRun(
  client: GitHubClient,
  repo: RepoRef,
  start: CheckRunStart,
  log: (m: string) => void = () => undefined
): Promise<CheckRunRef> {
  return createOnce(
    client,
    repo,
    {
      name: CHECK_RUN_NAME,
      head_sha: start.headSha,
      status: 'in_progress',
      started_at: start.startedAt,
      external_id: start.externalId,
      ...(start.detailsUrl ? { details_url: start.detailsUrl } : {}),
      output: {
        title: 'perf: running',
        summary: 'The benchmarks are running; the verdict follows when they finish.'
      }
    },
    log
  )
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Completes `existing` (or creates the run completed, when starting it failed or was skipped) with
 * the verdict, then sends the annotations beyond the first 50 in further updates, which append.
 */
export async function completeCheckRun(
  client: GitHubClient,
  repo: RepoRef,
  existing: CheckRunRef | null,
  payload: CheckRunPayload & { head_sha: string },
  opts: { externalId: string; annotations?: Annotation[]; log?: (m: string) => void }
): Promise<CheckRunRef> {
  const log = opts.log ?? (() => undefined)
  const [first = [], ...rest] = batches(opts.annotations ?? [], ANNOTATIONS_PER_REQUEST)
  const output = { ...payload.output, ...(first.length ? { annotations: first } : {}) }
  let ref: CheckRunRef
  if (existing) {
    try {
      await client.rest.checks.update({
        ...repo,
        check_run_id: existing.id,
        status: 'completed',
        conclusion: payload.conclusion,
        completed_at: payload.completed_at,
        ...(payload.details_url ? { details_url: payload.details_url } : {}),
        output
      })
    } catch (e) {
      throw explainApiError(e, 'completing the check run')
    }
    ref = existing
  } else {
    ref = await createOnce(client, repo, { ...payload, external_id: opts.externalId, output }, log)
  }
  for (const batch of rest) {
    try {
      await client.rest.checks.update({
        ...repo,
        check_run_id: ref.id,
        output: { title: payload.output.title, summary: payload.output.summary, annotations: batch }
      })
    } catch (e) {
      throw explainApiError(e, 'adding annotations to the check run')
    }
  }
  return ref
}
