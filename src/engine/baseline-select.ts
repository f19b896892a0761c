import type { BaselineTarget, CommitGraph } from '../types/lineage.js'
import type { BaselineEntry, BaselineStore, StoredBaseline } from '../baseline/store.js'
import { errorMessage } from '../errors.js'

/*
 * Which stored baseline a run is compared with. For a pull request it is the baseline of the
 * merge-base with the base branch: the newest baseline on `main` may already contain commits the PR
 * has not seen, and comparing with it would charge the PR for (or credit it with) their effect.
 * When the merge-base has no baseline, its nearest ancestor that has one is taken, within a bounded
 * walk; beyond that the run is neutral rather than compared with something unrelated.
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
}

export interface SelectOptions {
  graph: CommitGraph | null
  target: BaselineTarget
  /** How many ancestors of the starting commit are searched (input `baseline-max-distance`). */
  maxDistance: number
  now: Date
}

export const DEFAULT_MAX_DISTANCE = 50
const KEY_LENGTH = 12

function short(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha
}

export async function selectBaseline(
  store: BaselineStore,
  testbed: string,
  opts: SelectOptions
): Promise<BaselineChoice> {
  const none = (reason: string): BaselineChoice => ({
    stored: null,
    how: null,
    distance: null,
    walkedFrom: null,
    commit: null,
    date: null,
    ageMs: null,
    testbed,
    reason
  })
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
        `the history of ${short(target.sha)} could not be read from ${graph.source} (${errorMessage(e)}), so the latest baseline was used`
      )
    }
    for (const [i, sha] of line.entries()) {
      const stored = await at(sha)
      if (stored) return found(stored, 'ancestor', i, { kind: 'commit', sha: target.sha })
    }
    return latest(
      `no baseline on ${short(target.sha)} or its ${maxDistance} nearest ancestors, so the latest baseline was used`
    )
  }

  const head = short(target.head)
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
      `the merge-base ${short(mergeBase)} has no baseline and its history could not be read from ${graph.source} (${errorMessage(e)}), so the latest baseline was used`
    )
  }
  for (const [i, sha] of line.entries()) {
    if (sha.toLowerCase() === mergeBase.toLowerCase()) continue
    const stored = await at(sha)
    if (stored) return found(stored, 'ancestor', i, from)
  }
  return none(
    `no baseline for testbed '${testbed}' at the merge-base ${short(mergeBase)} of ${target.base} and ${head}, ` +
      `nor at its ${maxDistance} nearest ancestors (baseline-max-distance); ` +
      `record one on ${target.base} (mode baseline) to gate this pull request`
  )
}
