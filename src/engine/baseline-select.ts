import type { BaselineTarget, CommitGraph } from '../types/lineage.js'
import type { BaselineEntry, BaselineStore, StoredBaseline } from '../baseline/store.js'
import { errorMessage } from '../errors.js'
import { shortSha } from '../shared/text.js'

/*
 * Which stored baseline a run is compared with. For a pull request it is the baseline of the
 * merge-base with the base branch: the newest baseline on `main` may already contain commits the PR
 * has not seen, and comparing with it would charge the PR for (or credit it with) their effect.
 * When the merge-base has no baseline, its nearest ancestor that has one is taken, within a bounded
 * walk; beyond that the run is neutral rather than compared with something unrelated.
 *
 * The history-aware rule needs more than one job: asked for up to `historyJobs`, the choice also
 * carries the baselines recorded on the chosen one's own history (its commit and ancestors, or for
 * `latest` the testbed's newest), since a runner's drift from job to job only shows across jobs.
 */

export type BaselineHow = 'merge-base' | 'ancestor' | 'latest'

export interface BaselineChoice {
  stored: StoredBaseline | null
  /** null when no baseline was chosen. */
  how: BaselineHow | null
  /** Commits between the baseline's commit and where the walk started (0: that commit itself). */
  distance: number | null
  /** Where the walk started: the merge-base for a PR, the run's commit for a push. */
  walkedFrom: { kind: 'merge-base' | 'commit'; sha: string } | null
  /** The baseline's commit. */
  commit: string | null
  /** When the baseline was recorded (ISO). */
  date: string | null
  /** Age of the baseline at `now`, in milliseconds. */
  ageMs: number | null
  testbed: string
  /**
   * Why there is no baseline (the neutral verdict's reason), or how the choice fell back to the
   * latest one; empty when the choice needs no explaining.
   */
  reason: string
  /**
   * With `historyJobs` > 1: the stored baselines on the chosen one's history, oldest first, ending
   * with `stored` itself, at most `historyJobs`. Absent when not asked for or nothing was chosen.
   */
  history?: StoredBaseline[]
}

export interface SelectOptions {
  graph: CommitGraph | null
  target: BaselineTarget
  /** How many ancestors of the starting commit are searched (input `baseline-max-distance`). */
  maxDistance: number
  now: Date
  /**
   * Stored jobs the history-aware rule may use; above 1 the choice carries `history`. Default 1
   * (only the chosen baseline, and no history walk).
   */
  historyJobs?: number
}

export const DEFAULT_MAX_DISTANCE = 50
/**
 * Commits searched behind the chosen baseline for older ones: a branch that records a baseline on
 * every merge reaches 30 jobs well within it, and it is one page of the GitHub commit list.
 */
export const HISTORY_DEPTH = 100
const KEY_LENGTH = 12

export async function selectBaseline(
  store: BaselineStore,
  testbed: string,
  opts: SelectOptions
): Promise<BaselineChoice> {
  const jobs = Math.max(1, Math.floor(opts.historyJobs ?? 1))
  const choice = await choose(store, testbed, opts)
  if (jobs <= 1 || !choice.stored) return choice
  return { ...choice, history: await historyOf(store, testbed, choice, opts.graph, jobs) }
}

/** The choice when there is no stored baseline to compare with, and why. */
export function noBaseline(testbed: string, reason: string): BaselineChoice {
  return {
    stored: null,
    how: null,
    distance: null,
    walkedFrom: null,
    commit: null,
    date: null,
    ageMs: null,
    testbed,
    reason
  }
}

async function choose(
  store: BaselineStore,
  testbed: string,
  opts: SelectOptions
): Promise<BaselineChoice> {
  const none = (reason: string): BaselineChoice => noBaseline(testbed, reason)
  const found = (
    stored: StoredBaseline,
    how: BaselineHow,
    distance: number | null,
    walkedFrom: BaselineChoice['walkedFrom'],
    reason = ''
  ): BaselineChoice => {
    const recorded = Date.parse(stored.results.createdAt)
    return {
      stored,
      how,
      distance,
      walkedFrom,
      commit: stored.results.commit.sha ?? stored.entry.sha,
      date: stored.results.createdAt,
      ageMs: Number.isFinite(recorded) ? Math.max(0, opts.now.getTime() - recorded) : null,
      testbed,
      reason
    }
  }
  const latest = async (why: string): Promise<BaselineChoice> => {
    const stored = await store.latest(testbed)
    return stored
      ? found(stored, 'latest', null, null, why)
      : none(`no baseline yet for testbed '${testbed}' in ${store.location}`)
  }

  const entries = await store.list(testbed)
  if (entries.length === 0)
    return none(`no baseline yet for testbed '${testbed}' in ${store.location}`)
  const { graph, target } = opts
  if (target.kind === 'latest' || graph === null) return latest('')

  // Stores may list a shortened sha (the local store keeps 12 digits in its file names), so
  // entries are found by prefix and confirmed by the full sha in the loaded results.
  const key = (sha: string): string => sha.slice(0, KEY_LENGTH).toLowerCase()
  const byCommit = new Map<string, BaselineEntry[]>()
  for (const e of entries) {
    if (e.sha === null) continue
    byCommit.set(key(e.sha), [...(byCommit.get(key(e.sha)) ?? []), e])
  }
  // The newest readable baseline of a commit; an unreadable one (the store warns) is skipped.
  const at = async (sha: string): Promise<StoredBaseline | null> => {
    for (const e of [...(byCommit.get(key(sha)) ?? [])].reverse()) {
      if (!sha.toLowerCase().startsWith(e.sha?.toLowerCase() ?? '\0')) continue
      const stored = await store.read(e)
      const full = stored?.results.commit.sha?.toLowerCase()
      if (stored && (!full || full === sha.toLowerCase())) return stored
    }
    return null
  }
  const maxDistance = Math.max(0, Math.floor(opts.maxDistance))

  if (target.kind === 'commit') {
    let line: string[]
    try {
      line = await graph.ancestors(target.sha, maxDistance + 1)
    } catch (e) {
      return latest(
        `the history of ${shortSha(target.sha) ?? ''} could not be read from ${graph.source} (${errorMessage(e)}), so the latest baseline was used`
      )
    }
    for (const [i, sha] of line.entries()) {
      const stored = await at(sha)
      if (stored) return found(stored, 'ancestor', i, { kind: 'commit', sha: target.sha })
    }
    return latest(
      `no baseline on ${shortSha(target.sha) ?? ''} or its ${maxDistance} nearest ancestors, so the latest baseline was used`
    )
  }

  const head = shortSha(target.head) ?? ''
  let mergeBase: string | null
  try {
    mergeBase = await graph.mergeBase(target.base, target.head)
  } catch (e) {
    // Not knowing the history (a token without `contents: read`, an outage) is not a reason to
    // stop gating: the latest baseline is what perf-gate used before, and the note says so.
    return latest(
      `the merge-base of ${target.base} and ${head} could not be found through ${graph.source} (${errorMessage(e)}), so the latest baseline was used`
    )
  }
  if (mergeBase === null) {
    return none(
      `${target.base} and ${head} share no history, so there is no baseline to compare with`
    )
  }
  const from = { kind: 'merge-base' as const, sha: mergeBase }
  // The merge-base itself is the usual case and costs no history walk.
  const direct = await at(mergeBase)
  if (direct) return found(direct, 'merge-base', 0, from)
  let line: string[]
  try {
    line = maxDistance > 0 ? await graph.ancestors(mergeBase, maxDistance + 1) : []
  } catch (e) {
    return latest(
      `the merge-base ${shortSha(mergeBase) ?? ''} has no baseline and its history could not be read from ${graph.source} (${errorMessage(e)}), so the latest baseline was used`
    )
  }
  for (const [i, sha] of line.entries()) {
    if (sha.toLowerCase() === mergeBase.toLowerCase()) continue
    const stored = await at(sha)
    if (stored) return found(stored, 'ancestor', i, from)
  }
  return none(
    `no baseline for testbed '${testbed}' at the merge-base ${shortSha(mergeBase) ?? ''} of ${target.base} and ${head}, ` +
      `nor at its ${maxDistance} nearest ancestors (baseline-max-distance); ` +
      `record one on ${target.base} (mode baseline) to gate this pull request`
  )
}

/**
 * The chosen baseline and the ones recorded before it on its history, oldest first, at most
 * `jobs`: for a choice made along the commit graph, every baseline of its commit and of its
 * ancestors (HISTORY_DEPTH commits); for `latest`, the testbed's newest. Several baselines of one
 * commit are several jobs of the same code, the best evidence of drift there is. A history that
 * cannot be read leaves the chosen baseline alone, which the rule then says it relied on.
 */
async function historyOf(
  store: BaselineStore,
  testbed: string,
  choice: BaselineChoice,
  graph: CommitGraph | null,
  jobs: number
): Promise<StoredBaseline[]> {
  const chosen = choice.stored as StoredBaseline
  const same = (a: BaselineEntry, b: BaselineEntry): boolean =>
    a.id === b.id && a.testbed === b.testbed
  if (choice.how === 'latest' || graph === null || choice.commit === null) {
    const newest = (await store.history(testbed, jobs)).filter((h) => !same(h.entry, chosen.entry))
    return [...newest.slice(Math.max(0, newest.length - (jobs - 1))), chosen]
  }
  const entries = (await store.list(testbed)).filter(
    (e) => e.sha !== null && !same(e, chosen.entry)
  )
  if (entries.length === 0) return [chosen]
  let line: string[]
  try {
    line = await graph.ancestors(choice.commit, HISTORY_DEPTH)
  } catch {
    return [chosen]
  }
  const key = (sha: string): string => sha.slice(0, KEY_LENGTH).toLowerCase()
  const byCommit = new Map<string, BaselineEntry[]>()
  for (const e of entries) {
    const k = key(e.sha ?? '')
    byCommit.set(k, [...(byCommit.get(k) ?? []), e])
  }
  const newestFirst: StoredBaseline[] = [chosen]
  for (const sha of line) {
    for (const e of [...(byCommit.get(key(sha)) ?? [])].reverse()) {
      if (newestFirst.length >= jobs) break
      if (!sha.toLowerCase().startsWith(e.sha?.toLowerCase() ?? '\0')) continue
      const stored = await store.read(e)
      const full = stored?.results.commit.sha?.toLowerCase()
      if (stored && (!full || full === sha.toLowerCase())) newestFirst.push(stored)
    }
    if (newestFirst.length >= jobs) break
  }
  return newestFirst.reverse()
}
