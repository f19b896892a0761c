/*
 * The repository's history as baseline selection sees it; adapters exist for the GitHub API
 * (src/github/commit-graph.ts) and local git (src/engine/git-commit-graph.ts).
 */

/** A view of the repository's history; adapters exist for the GitHub API and local git. */
export interface CommitGraph {
  /** Where the history comes from, for messages ("the GitHub API", "git"). */
  readonly source: string
  /** The best common ancestor of two commits (shas or branch names), or null when there is none. */
  mergeBase(base: string, head: string): Promise<string | null>
  /** `sha` itself and then its ancestors, nearest first, at most `limit` commits. */
  ancestors(sha: string, limit: number): Promise<string[]>
}

export type BaselineTarget =
  /** A pull request: the baseline of merge-base(base branch, head). */
  | { kind: 'pull'; base: string; head: string }
  /** A push or dispatch: the nearest baseline on this commit's own ancestry. */
  | { kind: 'commit'; sha: string }
  /** No history to go by (no git, no API): the testbed's newest baseline. */
  | { kind: 'latest' }
