import type { ResultSet } from '../results/model.js'

export interface BaselineEntry {
  testbed: string
  sha: string | null
  createdAt: string
  /** Store-specific id (a file name, a blob path). */
  id: string
}

export interface StoredBaseline {
  entry: BaselineEntry
  results: ResultSet
}

/**
 * Where baselines live. Every store keeps history (newest last is the baseline) and writes all or
 * nothing: a reader sees the previous baseline or the new one, never a mix.
 */
export interface BaselineStore {
  /** Human-readable location, e.g. `local:.perf-gate/baselines`. */
  readonly location: string
  /** The testbeds that have baselines, by the exact names they record, sorted. */
  testbeds(): Promise<string[]>
  /** The team's store (a branch of the repository), not the user's: local runs never write it. */
  readonly shared?: boolean
  /** Every baseline of a testbed, oldest first, without loading the results. */
  list(testbed: string): Promise<BaselineEntry[]>
  /** Loads one listed baseline; null when it is unreadable (the store warns). */
  read(entry: BaselineEntry): Promise<StoredBaseline | null>
  /** The newest baseline recorded for this commit, or null. */
  forCommit(testbed: string, sha: string): Promise<StoredBaseline | null>
  latest(testbed: string): Promise<StoredBaseline | null>
  /** Up to `limit` most recent baselines, oldest first. */
  history(testbed: string, limit: number): Promise<StoredBaseline[]>
  write(results: ResultSet): Promise<BaselineEntry>
}
