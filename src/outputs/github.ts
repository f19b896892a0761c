import type { DecidedJob } from '../engine/job.js'
import { CHECK_RUN_NAME } from '../report/check-run.js'
import { checkRunPayload } from './check-run-payload.js'
import {
  hopMarker,
  otherGateRows,
  PROMOTED_TEXT,
  renderLedger,
  wasPromoted
} from '../report/ledger.js'
import type { Acceptance } from '../types/report.js'
import type { GateOutcome } from '../stats/types.js'
import { acceptOutcome, checkAcceptance } from '../github/accept.js'
import { completeCheckRun, startCheckRun, type CheckRunRef } from '../github/check-run.js'
import type { GitHubClient } from '../github/client.js'
import type { RepoRef } from '../github/context.js'
import { GitHubApiError, explainApiError } from '../github/errors.js'
import { identityOfApp, resolveIdentity, type Identity } from '../github/identity.js'
import { readLedger, upsertLedger } from '../github/ledger-comment.js'
import { getPull, labeledBy, type PullState } from '../github/pulls.js'
import { markedReadyBefore, markReadyForReview, type PromoteDraft } from '../github/ready.js'
import type { Delivered, Output } from './output.js'
import { shortSha } from '../shared/text.js'

/*
 * Everything the action posts to GitHub for one run, in the order a reviewer needs it: the check
 * run in progress before the benchmarks, the acceptance read off the PR, then the completed check
 * and the ledger. Posting never changes the verdict; what could not be posted is collected as
 * problems, each an actionable sentence, and the caller decides whether they fail the step.
 */

export interface Logger {
  info(message: string): void
  warning(message: string): void
}

export interface PublishTarget {
  repo: RepoRef
  /** The commit the check run goes on: the PR head, never the merge commit. */
  headSha: string | null
  pullNumber: number | null
  /** `run_id.attempt`: keys the hop entry and the check run's external_id. */
  runKey: string | null
  detailsUrl?: string
}

export interface PublishSettings {
  comment: boolean
  checkRun: boolean
  acceptLabel: string
  /** The config file as the repository names it, for annotations. */
  configPath: string
  settleMs: number
  /** Draft → ready for review after a passing gate (input `promote-draft`). */
  promoteDraft?: PromoteDraft
}

export class Publisher implements Output {
  private checkRun: CheckRunRef | null = null
  private pull: PullState | null = null
  private accepter: string | null = null
  private identity: Identity | null = null
  private tokenRejected = false
  private readonly problems: string[] = []

  constructor(
    private readonly client: GitHubClient,
    private readonly target: PublishTarget,
    private readonly settings: PublishSettings,
    private readonly log: Logger
  ) {}

  private problem(e: unknown, what: string): void {
    const err = explainApiError(e, what)
    if (!(err instanceof GitHubApiError)) throw err
    if (err.kind === 'token') this.tokenRejected = true
    this.problems.push(err.message)
    this.log.warning(err.message)
  }

  private get externalId(): string {
    return `perf-gate:${this.target.runKey ?? this.target.headSha ?? 'local'}`
  }

  /** Before the benchmarks: the check run goes in progress and the PR is read for acceptance. */
  async start(): Promise<void> {
    const { target, settings } = this
    if (settings.checkRun && target.headSha) {
      try {
        this.checkRun = await startCheckRun(
          this.client,
          target.repo,
          {
            headSha: target.headSha,
            externalId: this.externalId,
            startedAt: new Date().toISOString(),
            ...(target.detailsUrl ? { detailsUrl: target.detailsUrl } : {})
          },
          (m) => this.log.info(m)
        )
        if (this.checkRun.appSlug) this.identity = identityOfApp(this.checkRun.appSlug)
        this.log.info(`check run ${this.checkRun.id} is in progress on ${target.headSha}`)
      } catch (e) {
        this.problem(e, 'creating the check run')
      }
    }
    if (target.pullNumber !== null && !this.tokenRejected) {
      try {
        this.pull = await getPull(this.client, target.repo, target.pullNumber)
        if (this.pull.labels.includes(settings.acceptLabel)) {
          this.accepter = await labeledBy(
            this.client,
            target.repo,
            target.pullNumber,
            settings.acceptLabel
          ).catch(() => null)
        }
      } catch (e) {
        this.problem(e, `reading pull request #${target.pullNumber}`)
      }
    }
  }

  /** Route B: a regression accepted with the label and a written reason becomes neutral. */
  review = (outcome: GateOutcome): { outcome: GateOutcome; acceptance: Acceptance } | null => {
    if (!this.pull || (outcome.verdict !== 'fail' && outcome.verdict !== 'warn')) return null
    const check = checkAcceptance(this.pull, this.settings.acceptLabel)
    switch (check.kind) {
      case 'not-requested':
        return null
      case 'no-reason':
        this.log.warning(`perf-gate: ${check.message}.`)
        return null
      case 'accepted':
        return acceptOutcome(outcome, {
          label: this.settings.acceptLabel,
          by: this.accepter,
          reason: check.reason
        })
    }
  }

  /** After the benchmarks: the check run completes, the ledger is upserted. */
  async deliver(job: DecidedJob, before: Delivered): Promise<Delivered> {
    if (!this.tokenRejected) await this.completeCheck(job)
    const promoted = this.tokenRejected ? false : await this.promote(job)
    const comment =
      this.tokenRejected || !this.settings.comment ? null : await this.postLedger(job, promoted)
    return {
      ...before,
      published: {
        commentId: comment?.commentId ?? null,
        commentUrl: comment?.url ?? null,
        checkRunId: this.checkRun?.id ?? null,
        checkRunUrl: this.checkRun?.url ?? null,
        promoted,
        problems: this.problems
      }
    }
  }

  /**
   * Draft → ready for review, once, on a passing gate of the PR's current head. Never on warn,
   * fail or neutral (an accepted regression is neutral), never for a fork's PR, never on one that
   * is not a draft, and never again once perf-gate did it (an author who turned it back into a
   * draft meant it). GitHub's issue events record who marked it ready, with or without a ledger
   * (`comment: false` posts none); the ledger's marker is also honoured, for a run under another
   * identity than the one that promoted. A refusal is one warning; the verdict stands.
   */
  private async promote(job: DecidedJob): Promise<boolean> {
    const mode = this.settings.promoteDraft ?? 'false'
    const number = this.target.pullNumber
    if (mode === 'false' || number === null || job.outcome.verdict !== 'pass') return false
    const { repo } = this.target
    const what = `promoting #${number} to ready for review`
    try {
      const pull = await getPull(this.client, repo, number)
      if (!pull.open || !pull.draft) return false
      if (pull.headRepo !== `${repo.owner}/${repo.repo}`) {
        this.log.info(
          `#${number} comes from a fork (${pull.headRepo ?? 'deleted'}); perf-gate never marks a fork's pull request ready for review.`
        )
        return false
      }
      if (pull.headSha !== this.target.headSha) {
        this.log.info(
          `#${number} has moved on to ${shortSha(pull.headSha) ?? '?'}; a pass of an older commit does not mark it ready for review.`
        )
        return false
      }
      this.identity = await resolveIdentity(this.client, this.identity)
      const ledger = await readLedger(this.client, { ...repo, number }, this.identity)
      if (
        (ledger !== null && wasPromoted(ledger)) ||
        (await markedReadyBefore(this.client, repo, number, this.identity.login))
      ) {
        this.log.info(
          `#${number} is a draft again after perf-gate marked it ready for review once; it stays as its author left it.`
        )
        return false
      }
      if (mode === 'when-all-gates-pass') {
        const open = otherGateRows(ledger ?? '').filter((g) => !g.passed)
        if (open.length > 0) {
          this.log.info(
            `#${number} stays a draft: ${open.map((g) => `${g.gate} (${g.status})`).join(', ')} of the ledger ${open.length === 1 ? 'has' : 'have'} not passed.`
          )
          return false
        }
      }
      await markReadyForReview(this.client, pull)
      this.log.info(`#${number} ${PROMOTED_TEXT}.`)
      return true
    } catch (e) {
      const err = explainApiError(e, what)
      if (!(err instanceof GitHubApiError)) throw err
      if (err.kind === 'token') this.tokenRejected = true
      this.log.warning(
        `${err.message} The gate's verdict is unchanged; the pull request stays a draft.`
      )
      return false
    }
  }

  /** The run ended in an error: a check run left in progress would block the PR forever. */
  async abort(message: string): Promise<void> {
    if (!this.checkRun || this.tokenRejected || !this.target.headSha) return
    try {
      await completeCheckRun(
        this.client,
        this.target.repo,
        this.checkRun,
        {
          name: CHECK_RUN_NAME,
          head_sha: this.target.headSha,
          status: 'completed',
          conclusion: 'failure',
          completed_at: new Date().toISOString(),
          output: {
            title: 'perf: the gate could not run',
            summary: message.slice(0, 4000),
            text: ''
          }
        },
        { externalId: this.externalId }
      )
    } catch (e) {
      this.problem(e, 'completing the check run after the error')
    }
  }

  private async completeCheck(job: DecidedJob): Promise<void> {
    const headSha = this.target.headSha
    if (!this.settings.checkRun || !headSha) return
    const full = checkRunPayload(job, { headSha, configPath: this.settings.configPath })
    const { annotations, ...output } = full.output
    const payload = { ...full, output }
    try {
      this.checkRun = await completeCheckRun(
        this.client,
        this.target.repo,
        this.checkRun,
        { ...payload, head_sha: headSha },
        { externalId: this.externalId, annotations, log: (m) => this.log.info(m) }
      )
      if (this.checkRun.appSlug) this.identity = identityOfApp(this.checkRun.appSlug)
      this.log.info(`check run ${this.checkRun.id}: ${payload.conclusion}`)
    } catch (e) {
      this.problem(e, 'completing the check run')
    }
  }

  private async postLedger(job: DecidedJob, promoted: boolean) {
    const number = this.target.pullNumber
    if (number === null) return null
    const what = `posting the ledger on #${number}`
    try {
      // Read again: the PR may have been closed, or moved on, while the benchmarks ran.
      const pull = await getPull(this.client, this.target.repo, number)
      if (!pull.open) {
        const msg = `Pull request #${number} was closed while the gate ran; the ledger was not updated (the verdict is in the job summary and the check run).`
        this.problems.push(msg)
        this.log.warning(msg)
        return null
      }
      const current = pull.headSha === this.target.headSha
      if (!current) {
        this.log.info(
          `#${number} has moved on to ${shortSha(pull.headSha) ?? '?'}; only the hop log records this run of ${shortSha(this.target.headSha) ?? '?'}.`
        )
      }
      this.identity = await resolveIdentity(this.client, this.identity)
      const posted = await upsertLedger(
        this.client,
        { ...this.target.repo, number },
        {
          render: (existing) =>
            renderLedger(existing, job.report, { updateRow: current, promoted }),
          proof: hopMarker(job.report.runId)
        },
        {
          identity: this.identity,
          settleMs: this.settings.settleMs,
          log: (m) => this.log.info(m)
        }
      )
      this.log.info(
        `ledger comment ${posted.commentId} ${posted.created ? 'created' : 'updated'} (${posted.url})`
      )
      return posted
    } catch (e) {
      this.problem(e, what)
      return null
    }
  }
}
