import { UserError, errorMessage } from '../errors.js'
import type { GitHubClient } from '../github/client.js'

/*
 * The few Git Data API calls the branch store makes, with GitHub's answers turned into what the
 * store decides on: a missing ref is null, a lost race is false, a missing permission is one
 * actionable line.
 */

export interface Repo {
  owner: string
  repo: string
}

export interface TreeChange {
  path: string
  /** A blob sha, null to delete the path, or omitted when `content` is given. */
  sha?: string | null
  content?: string
}

export function status(e: unknown): number | undefined {
  const s = (e as { status?: unknown }).status
  return typeof s === 'number' ? s : undefined
}

function isRateLimit(e: unknown): boolean {
  const headers = (e as { response?: { headers?: Record<string, string | undefined> } }).response
    ?.headers
  return headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(errorMessage(e))
}

/** Errors no retry can fix: the token, its permissions, or the repository. */
export function isFatal(e: unknown): boolean {
  const s = status(e)
  return e instanceof UserError || s === 401 || ((s === 403 || s === 404) && !isRateLimit(e))
}

export class GitApi {
  constructor(
    private readonly gh: GitHubClient,
    readonly repo: Repo,
    readonly branch: string
  ) {}

  private get where(): string {
    return `branch '${this.branch}' of ${this.repo.owner}/${this.repo.repo}`
  }

  /** What the user must change, for an error no retry can fix; the error itself otherwise. */
  explain(e: unknown, access: 'read' | 'write'): Error {
    if (e instanceof UserError) return e
    const s = status(e)
    if (s === 401) {
      return new UserError(
        `GitHub refused the token (401 Bad credentials) while accessing the baselines on ${this.where}; check the github-token input (CLI: GITHUB_TOKEN or GH_TOKEN)`
      )
    }
    if ((s === 403 || s === 404) && !isRateLimit(e)) {
      const nothing = access === 'write' ? '; nothing was written' : ''
      return new UserError(
        `cannot ${access} the baselines on ${this.where} (${s} ${errorMessage(e)}): the token needs the permission 'contents: ${access}' (add it under 'permissions:' in the workflow)${nothing}`
      )
    }
    return e instanceof Error ? e : new Error(String(e))
  }

  /** The commit a ref points at, or null when the ref does not exist. */
  async refSha(name: string): Promise<string | null> {
    try {
      const r = await this.gh.rest.git.getRef({ ...this.repo, ref: `heads/${name}` })
      return r.data.object.sha
    } catch (e) {
      if (status(e) === 404) return null
      throw e
    }
  }

  /** The branch and its compaction lock, read in one request so they are one snapshot. */
  async refs(lock: string): Promise<{ branch: string | null; lock: string | null }> {
    const r = await this.gh.rest.git.listMatchingRefs({ ...this.repo, ref: `heads/${this.branch}` })
    const sha = (name: string) => r.data.find((x) => x.ref === `refs/heads/${name}`)?.object.sha
    return { branch: sha(this.branch) ?? null, lock: sha(lock) ?? null }
  }

  async commitTree(commit: string): Promise<string> {
    return (await this.gh.rest.git.getCommit({ ...this.repo, commit_sha: commit })).data.tree.sha
  }

  /** The blob sha of a top-level file of a tree, or null. */
  async fileInTree(tree: string, path: string): Promise<string | null> {
    const r = await this.gh.rest.git.getTree({ ...this.repo, tree_sha: tree })
    return r.data.tree.find((e) => e.path === path && e.type === 'blob')?.sha ?? null
  }

  async blob(sha: string): Promise<string> {
    const r = await this.gh.rest.git.getBlob({ ...this.repo, file_sha: sha })
    return Buffer.from(r.data.content, r.data.encoding === 'base64' ? 'base64' : 'utf8').toString(
      'utf8'
    )
  }

  async createBlob(content: string): Promise<string> {
    const r = await this.gh.rest.git.createBlob({ ...this.repo, content, encoding: 'utf-8' })
    return r.data.sha
  }

  async createTree(base: string | undefined, changes: TreeChange[]): Promise<string> {
    const r = await this.gh.rest.git.createTree({
      ...this.repo,
      ...(base ? { base_tree: base } : {}),
      tree: changes.map((c) => ({
        path: c.path,
        mode: '100644' as const,
        type: 'blob' as const,
        ...(c.content !== undefined ? { content: c.content } : { sha: c.sha ?? null })
      }))
    })
    return r.data.sha
  }

  async createCommit(tree: string, parents: string[], message: string): Promise<string> {
    const r = await this.gh.rest.git.createCommit({ ...this.repo, tree, parents, message })
    return r.data.sha
  }

  /** Moves a branch; false when GitHub refuses because it moved first (not a fast forward). */
  async moveRef(name: string, sha: string, force: boolean): Promise<boolean> {
    try {
      // A forced update is never sent again: resent after a timeout it could land after the
      // compaction lock's lease, over writes whose runs already checked them (git-store.ts).
      await this.gh.rest.git.updateRef({
        ...this.repo,
        ref: `heads/${name}`,
        sha,
        force,
        ...(force ? { request: { retries: 0 } } : {})
      })
      return true
    } catch (e) {
      if (status(e) === 422 || status(e) === 409) return false
      throw e
    }
  }

  /** Creates a branch; false when it already exists (someone else created it first). */
  async createRef(name: string, sha: string): Promise<boolean> {
    try {
      await this.gh.rest.git.createRef({ ...this.repo, ref: `refs/heads/${name}`, sha })
      return true
    } catch (e) {
      if (status(e) === 422 || status(e) === 409) return false
      throw e
    }
  }

  async deleteRef(name: string): Promise<void> {
    try {
      await this.gh.rest.git.deleteRef({ ...this.repo, ref: `heads/${name}` })
    } catch (e) {
      // Already gone is what we wanted.
      if (status(e) !== 422 && status(e) !== 404) throw e
    }
  }
}
