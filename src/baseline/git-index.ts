import { createHash } from 'node:crypto'
import { z } from 'zod'
import { safeSegment } from './local-store.js'

/*
 * The index of a baseline branch: one small JSON file at the root listing every stored baseline,
 * so listing a testbed is one read instead of a walk over trees. The functions here are pure; the
 * store reads and writes the file.
 */

export const INDEX_PATH = 'index.json'

const IndexEntry = z.object({
  testbed: z.string().min(1),
  sha: z.string().nullable(),
  createdAt: z.string(),
  /** Path of the baseline file in the branch; also the entry's id. */
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  /** Git blob sha of the file, so a read needs no tree walk. */
  blob: z.string().regex(/^[0-9a-f]{40}$/)
})
export type IndexEntry = z.infer<typeof IndexEntry>

const GitIndex = z.object({
  version: z.literal(1),
  /** Commits since the last snapshot (the branch's root); drives compaction. */
  depth: z.number().int().nonnegative(),
  entries: z.array(IndexEntry)
})
export type GitIndex = z.infer<typeof GitIndex>

export const EMPTY_INDEX: GitIndex = { version: 1, depth: 0, entries: [] }

export function parseIndex(text: string): GitIndex {
  return GitIndex.parse(JSON.parse(text))
}

/** Compact, and entries in a stable order so identical content gives an identical blob. */
export function serializeIndex(index: GitIndex): string {
  return JSON.stringify({ ...index, entries: [...index.entries].sort(byTestbedThenTime) })
}

function byTestbedThenTime(a: IndexEntry, b: IndexEntry): number {
  if (a.testbed !== b.testbed) return a.testbed < b.testbed ? -1 : 1
  return byTime(a, b)
}

function byTime(a: IndexEntry, b: IndexEntry): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
}

/** A testbed's entries, oldest first. */
export function entriesOf(index: GitIndex, testbed: string): IndexEntry[] {
  return index.entries.filter((e) => e.testbed === testbed).sort(byTime)
}

/**
 * `baselines/<testbed>-<hash>/<time>_<sha12>.json`. The readable part of the folder is escaped for
 * paths; the hash of the exact name keeps `a/b` and `a_b` apart. Several baselines of one commit
 * (a re-run) differ by time.
 */
export function entryPath(testbed: string, createdAt: string, sha: string | null): string {
  const folder = `${safeSegment(testbed).slice(0, 60)}-${createHash('sha1').update(testbed).digest('hex').slice(0, 8)}`
  const time = createdAt.replace(/[-:.]/g, '')
  return `baselines/${folder}/${safeSegment(time)}_${(sha ?? 'nosha').slice(0, 12)}.json`
}

/**
 * The index after adding `entry` (replacing one at the same path) and keeping only the newest
 * `keep` of its testbed; `removed` are the paths to delete from the tree.
 */
export function addEntry(
  index: GitIndex,
  entry: IndexEntry,
  keep: number
): { index: GitIndex; removed: string[] } {
  const others = index.entries.filter((e) => e.path !== entry.path)
  const mine = [...others.filter((e) => e.testbed === entry.testbed), entry].sort(byTime)
  const dropped = mine.slice(0, Math.max(0, mine.length - keep))
  const gone = new Set(dropped.map((e) => e.path))
  return {
    index: {
      version: 1,
      depth: index.depth + 1,
      entries: [...others, entry].filter((e) => !gone.has(e.path))
    },
    removed: [...gone].filter((p) => p !== entry.path)
  }
}

/** True when the index holds exactly this file (our write landed, or is still there). */
export function holds(index: GitIndex, entry: IndexEntry): boolean {
  return index.entries.some((e) => e.path === entry.path && e.blob === entry.blob)
}
