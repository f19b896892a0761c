import { UserError, errorMessage } from '../errors.js'
import type { GitHubClient } from '../github/client.js'
import { makeInput, parseResultSet } from '../importers/index.js'
import type { ResultSet } from '../results/model.js'
import { GitApi, isFatal, status, type Repo } from './git-api.js'
import {
  addEntry,
  EMPTY_INDEX,
  entriesOf,
  entryPath,
  holds,
  INDEX_PATH,
  parseIndex,
  serializeIndex,
  type GitIndex,
  type IndexEntry
} from './git-index.js'
import type { BaselineEntry, BaselineStore, StoredBaseline } from './store.js'

export const DEFAULT_BRANCH = 'perf-gate-data'

export interface GitStoreOptions {
  branch: string
  /** Baselines kept per testbed; older ones leave the branch's tree. */
  keep?: number
  /**
   * Commits after which the branch is squashed into one root commit, so the history (which keeps
   * every pruned baseline reachable) stays bounded. 0 turns this off.
   */
  compactEvery?: number
  /** Write attempts when other runs keep winning the race for the branch. */
  attempts?: number
  /** Multiplies every backoff wait (tests shrink it). */
  timeScale?: number
  /**
   * A compaction lock older than this belongs to a run that died, and waiters remove it; a
   * compaction that has not forced the branch within half of it gives up. Real time, not scaled.
   */
  lockLeaseMs?: number
  /** Uniform on [0, 1): the jitter of the backoff (tests seed it). */
  random?: () => number
  onWarning?: (message: string) => void
}

interface Head {
  commit: string
  tree: string
  index: GitIndex
}

const MAX_BACKOFF_MS = 8_000
const LOCK_LEASE_MS = 120_000

/**
 * Baselines on a branch of the repository, written through the Git Data API:
 * `baselines/<testbed>-<hash>/<time>_<sha>.json` plus `index.json` listing them.
 *
 * A write is blob, tree (on the head's tree), commit, then a fast-forward-only ref update: either
 * the branch moves to a commit holding everything it held plus the new baseline, or nothing
 * changes. A lost race (GitHub's 422 "not a fast forward") re-reads the head, merges again and
 * retries after a jittered backoff, a bounded number of times.
 *
 * Retention drops old baselines from the tree, but history keeps them reachable, so every
 * `compactEvery` commits the branch is replaced by a single root commit with the same tree. That
 * replacement needs a forced ref update, which GitHub cannot make conditional; a ref lock (a
 * `<branch>--compacting` branch, created atomically) brackets it, and every writer, after its own
 * update, waits out a lock it sees and then checks its baseline is still on the branch, writing
 * again if a compaction dropped it. See docs/github-workflows.md, "Baselines on a branch".
 */
export class GitBaselineStore implements BaselineStore {
  readonly location: string
  readonly shared = true
  private readonly api: GitApi
  private readonly lockName: string
  private readonly keep: number
  private readonly compactEvery: number
  private readonly attempts: number
  private readonly timeScale: number
  private readonly random: () => number
  private readonly leaseMs: number
  /** The head as this run last saw it: reads within one run are served from it. */
  private head: Promise<Head | null> | null = null
  /** Blobs never change, so their text is cached by sha. */
  private readonly blobs = new Map<string, Promise<string>>()

  constructor(
    gh: GitHubClient,
    readonly repo: Repo,
    private readonly opts: GitStoreOptions
  ) {
    this.location = `git:${opts.branch}`
    this.api = new GitApi(gh, repo, opts.branch)
    this.lockName = `${opts.branch}--compacting`
    this.keep = Math.max(1, opts.keep ?? 100)
    this.compactEvery = opts.compactEvery ?? 50
    this.attempts = Math.max(1, opts.attempts ?? 8)
    this.timeScale = opts.timeScale ?? 1
    this.random = opts.random ?? Math.random
    this.leaseMs = opts.lockLeaseMs ?? LOCK_LEASE_MS
  }

  async testbeds(): Promise<string[]> {
    const head = await this.cachedHead()
    return [...new Set(head?.index.entries.map((e) => e.testbed) ?? [])].sort()
  }

  async list(testbed: string): Promise<BaselineEntry[]> {
    const head = await this.cachedHead()
    return head ? entriesOf(head.index, testbed).map(toEntry) : []
  }

  async read(entry: BaselineEntry): Promise<StoredBaseline | null> {
    const head = await this.cachedHead()
    const found = head?.index.entries.find((e) => e.path === entry.id)
    if (!found) {
      this.warn(`skipping baseline ${entry.id}: it is no longer on branch '${this.opts.branch}'`)
      return null
    }
    return this.load(found)
  }

  async forCommit(testbed: string, sha: string): Promise<StoredBaseline | null> {
    const head = await this.cachedHead()
    const newestFirst = head ? entriesOf(head.index, testbed).reverse() : []
    for (const e of newestFirst.filter((x) => x.sha === sha)) {
      const loaded = await this.load(e)
      if (loaded) return loaded
    }
    return null
  }

  async latest(testbed: string): Promise<StoredBaseline | null> {
    const head = await this.cachedHead()
    for (const e of head ? entriesOf(head.index, testbed).reverse() : []) {
      const loaded = await this.load(e)
      if (loaded) return loaded
    }
    return null
  }

  async history(testbed: string, limit: number): Promise<StoredBaseline[]> {
    const head = await this.cachedHead()
    const entries = head ? entriesOf(head.index, testbed).slice(-limit) : []
    const loaded = await Promise.all(entries.map((e) => this.load(e)))
    return loaded.filter((x): x is StoredBaseline => x !== null)
  }

  async write(results: ResultSet): Promise<BaselineEntry> {
    let text: string
    try {
      text = JSON.stringify(results)
    } catch (e) {
      throw new UserError(
        `could not serialise the baseline (${errorMessage(e)}); nothing was written to branch '${this.opts.branch}'`
      )
    }
    const sha = results.commit.sha
    const path = entryPath(results.testbed, results.createdAt, sha)
    let blob: string | null = null
    let problem = ''
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.backoffMs(attempt))
      try {
        // The first attempt may build on what this run already read; a stale head only costs a
        // lost race, after which the head is read afresh.
        const [head, blobSha]: [Head | null, string] = await Promise.all([
          attempt === 1 && this.head ? this.head : this.freshHead(),
          blob ?? this.api.createBlob(text)
        ])
        blob = blobSha
        const entry: IndexEntry = {
          testbed: results.testbed,
          sha,
          createdAt: results.createdAt,
          path,
          bytes: Buffer.byteLength(text),
          blob: blobSha
        }
        // A retry after a 5xx whose update did land, or a re-run writing identical results.
        if (head && holds(head.index, entry)) return toEntry(entry)
        const next = addEntry(head?.index ?? EMPTY_INDEX, entry, this.keep)
        if (!holds(next.index, entry)) {
          this.warn(
            `baseline ${path} is older than the ${this.keep} kept for testbed '${results.testbed}'; not stored`
          )
          return toEntry(entry)
        }
        const tree = await this.api.createTree(head?.tree, [
          { path, sha: blob },
          { path: INDEX_PATH, content: serializeIndex(next.index) },
          ...next.removed.map((p) => ({ path: p, sha: null }))
        ])
        const message = `perf-gate: baseline ${results.testbed} ${(sha ?? 'nosha').slice(0, 12)} ${results.createdAt}`
        const commit = await this.api.createCommit(tree, head ? [head.commit] : [], message)
        const moved = head
          ? await this.api.moveRef(this.opts.branch, commit, false)
          : await this.api.createRef(this.opts.branch, commit)
        if (!moved) {
          problem = 'another run updated the branch first'
          this.head = null
          continue
        }
        this.head = Promise.resolve({ commit, tree, index: next.index })
        if (await this.settle(commit, entry, next.index.depth)) return toEntry(entry)
        problem = 'a compaction of the branch dropped it'
        // The blob may be unreachable now; create it again rather than trust it survived.
        blob = null
      } catch (e) {
        this.head = null
        if (isFatal(e)) throw this.api.explain(e, 'write')
        problem = errorMessage(e)
        // Whatever failed, the next attempt starts from nothing it cannot re-create.
        blob = null
      }
    }
    throw new UserError(
      `could not write the baseline to branch '${this.opts.branch}' of ${this.repo.owner}/${this.repo.repo} after ${this.attempts} attempts (last: ${problem}); nothing was written and the previous baseline is unchanged`
    )
  }

  /**
   * After our update landed: compact if it is due, then make sure our baseline survived any
   * compaction that read the branch before our update and forced it after.
   */
  private async settle(commit: string, entry: IndexEntry, depth: number): Promise<boolean> {
    if (this.compactEvery > 0 && depth >= this.compactEvery) await this.compact(commit)
    let waitStart = Date.now()
    let holder: string | null = null
    for (let poll = 1; ; poll++) {
      const refs = await this.api.refs(this.lockName)
      if (!refs.lock) {
        if (refs.branch === commit) return true
        const head = await this.freshHead()
        return head !== null && holds(head.index, entry)
      }
      // The lease runs from when this holder's lock was first seen, not from an earlier holder's.
      if (refs.lock !== holder) {
        holder = refs.lock
        waitStart = Date.now()
      }
      if (Date.now() - waitStart > this.leaseMs) {
        this.warn(
          `removing the compaction lock '${this.lockName}', held for over ${this.leaseMs / 1000} s by a run that seems to have died`
        )
        await this.api.deleteRef(this.lockName)
        continue
      }
      await this.sleep(this.backoffMs(Math.min(poll + 1, 5)))
    }
  }

  /** Replaces the branch by one root commit with the same files, under the lock. */
  private async compact(ours: string): Promise<void> {
    const started = Date.now()
    // Taking the lock is atomic (creating a ref that exists fails); if it is held, someone else
    // is compacting and our update will be checked against theirs.
    if (!(await this.api.createRef(this.lockName, ours))) return
    try {
      // Read after locking: every update that landed before the lock is in this head, and every
      // later one is checked by its writer once the lock is gone.
      const head = await this.freshHead()
      if (!head) return
      const index: GitIndex = { ...head.index, depth: 0 }
      const tree = await this.api.createTree(head.tree, [
        { path: INDEX_PATH, content: serializeIndex(index) }
      ])
      const root = await this.api.createCommit(
        tree,
        [],
        `perf-gate: snapshot of ${index.entries.length} baselines (history squashed to bound the branch size)`
      )
      if (Date.now() - started > this.leaseMs / 2) {
        this.warn('skipping the compaction of the baseline branch: it took too long to prepare')
        return
      }
      await this.api.moveRef(this.opts.branch, root, true)
      this.head = Promise.resolve({ commit: root, tree, index })
    } catch (e) {
      // Compaction only saves space; the baseline itself is written already.
      this.warn(`could not compact branch '${this.opts.branch}': ${errorMessage(e)}`)
    } finally {
      await this.api.deleteRef(this.lockName).catch((e: unknown) => {
        this.warn(`could not remove the compaction lock '${this.lockName}': ${errorMessage(e)}`)
      })
    }
  }

  private cachedHead(): Promise<Head | null> {
    this.head ??= this.readHead().catch((e: unknown) => {
      this.head = null
      throw this.api.explain(e, 'read')
    })
    return this.head
  }

  private freshHead(): Promise<Head | null> {
    this.head = null
    return this.cachedHead()
  }

  private async readHead(): Promise<Head | null> {
    const commit = await this.api.refSha(this.opts.branch)
    if (!commit) return null
    const tree = await this.api.commitTree(commit)
    const indexBlob = await this.api.fileInTree(tree, INDEX_PATH)
    if (!indexBlob) {
      // Writing here would mix baselines into someone's code branch.
      throw new UserError(
        `branch '${this.opts.branch}' exists but has no ${INDEX_PATH}, so it is not a perf-gate baseline branch; set baseline-store to another branch (the default is git:${DEFAULT_BRANCH})`
      )
    }
    // Fetched outside the try: a failed request is GitHub's trouble, to retry or explain, never a
    // reason to tell the user their index is damaged and the branch should go.
    const text = await this.blobText(indexBlob)
    try {
      return { commit, tree, index: parseIndex(text) }
    } catch (e) {
      throw new UserError(
        `${INDEX_PATH} on branch '${this.opts.branch}' is not a valid baseline index (${errorMessage(e)}); restore it from the branch history or delete the branch to start over`
      )
    }
  }

  private blobText(sha: string): Promise<string> {
    let text = this.blobs.get(sha)
    if (!text) {
      text = this.api.blob(sha)
      text.catch(() => this.blobs.delete(sha))
      this.blobs.set(sha, text)
    }
    return text
  }

  private async load(e: IndexEntry): Promise<StoredBaseline | null> {
    try {
      const results = parseResultSet(
        makeInput(`${this.location}:${e.path}`, await this.blobText(e.blob))
      )
      return { entry: toEntry(e), results }
    } catch (err) {
      // A blob missing (404) after the index was readable is damage, not a permission problem.
      const s = status(err)
      if ((s === 401 || s === 403) && isFatal(err)) throw this.api.explain(err, 'read')
      // One damaged file must not hide the older baselines.
      this.warn(`skipping unreadable baseline: ${errorMessage(err)}`)
      return null
    }
  }

  private backoffMs(attempt: number): number {
    const base = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (attempt - 1))
    return base * (0.5 + this.random()) * this.timeScale
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms))
  }

  private warn(message: string): void {
    this.opts.onWarning?.(message)
  }
}

function toEntry(e: IndexEntry): BaselineEntry {
  return { testbed: e.testbed, sha: e.sha, createdAt: e.createdAt, id: e.path }
}
