import { createHash } from 'node:crypto'
import type { GitHubStandin, Handler, HandlerContext } from './github-standin.js'
import { StandinError } from './github-standin.js'

/*
 * The Git Data API part of the stand-in (blobs, trees, commits, refs), enough for a baseline store
 * kept on a branch: content-addressed objects, and refs that move only by fast-forward unless
 * forced, answering 422 "Update is not a fast forward" as GitHub does when a writer lost a race.
 */

interface TreeEntry {
  path: string
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
}

interface Commit {
  sha: string
  tree: string
  parents: string[]
  message: string
}

export class GitStore {
  readonly blobs = new Map<string, string>()
  /** Trees are stored flat: full paths to blob entries. */
  readonly trees = new Map<string, TreeEntry[]>()
  readonly commits = new Map<string, Commit>()
  readonly refs = new Map<string, string>()

  /** True when `ancestor` is reachable from `sha` through parents. */
  reaches(sha: string, ancestor: string): boolean {
    const seen = new Set<string>()
    const stack = [sha]
    while (stack.length > 0) {
      const s = stack.pop() ?? ''
      if (s === ancestor) return true
      if (seen.has(s)) continue
      seen.add(s)
      stack.push(...(this.commits.get(s)?.parents ?? []))
    }
    return false
  }

  /** The files of the commit a branch points at (empty when the branch does not exist). */
  branchFiles(branch: string): Record<string, string> {
    const sha = this.refs.get(`refs/heads/${branch}`)
    return sha ? this.files(sha) : {}
  }

  /**
   * Roughly what a clone of the branch holds: every object reachable from it, counted once, in
   * git's loose encoding before compression (blob bytes, one tree record per entry, the commit
   * text). Trees are stored flat here, so tree bytes approximate git's nested trees.
   */
  reachableBytes(branch: string): { bytes: number; commits: number; blobs: number } {
    const start = this.refs.get(`refs/heads/${branch}`)
    const seen = new Set<string>()
    const blobs = new Set<string>()
    let bytes = 0
    let commits = 0
    const stack = start ? [start] : []
    while (stack.length > 0) {
      const c = this.commits.get(stack.pop() ?? '')
      if (!c || seen.has(c.sha)) continue
      seen.add(c.sha)
      commits++
      bytes += 200 + Buffer.byteLength(c.message) + 48 * c.parents.length
      if (!seen.has(c.tree)) {
        seen.add(c.tree)
        for (const e of this.trees.get(c.tree) ?? []) {
          bytes += e.mode.length + Buffer.byteLength(e.path) + 22
          if (e.type === 'blob' && !blobs.has(e.sha)) {
            blobs.add(e.sha)
            bytes += Buffer.byteLength(this.blobs.get(e.sha) ?? '')
          }
        }
      }
      stack.push(...c.parents)
    }
    return { bytes, commits, blobs: blobs.size }
  }

  /** The files of a commit, path to content, for assertions. */
  files(commitSha: string): Record<string, string> {
    const commit = this.commits.get(commitSha)
    const out: Record<string, string> = {}
    for (const e of (commit && this.trees.get(commit.tree)) ?? []) {
      if (e.type === 'blob') out[e.path] = this.blobs.get(e.sha) ?? ''
    }
    return out
  }
}

function sha1(kind: string, text: string): string {
  return createHash('sha1').update(`${kind}\0${text}`).digest('hex')
}

function api(s: GitHubStandin, p: string): string {
  return `${s.url}/repos/${s.owner}/${s.repo}/git/${p}`
}

function refJson(s: GitHubStandin, ref: string, sha: string): Record<string, unknown> {
  return {
    ref,
    node_id: `REF_${sha1('ref', ref).slice(0, 12)}`,
    url: api(s, ref),
    object: { type: 'commit', sha, url: api(s, `commits/${sha}`) }
  }
}

function commitJson(s: GitHubStandin, c: Commit): Record<string, unknown> {
  const who = {
    name: 'github-actions[bot]',
    email: 'bot@example.invalid',
    date: '2026-11-22T10:00:00Z'
  }
  return {
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 12)}`,
    url: api(s, `commits/${c.sha}`),
    html_url: `https://github.com/${s.owner}/${s.repo}/commit/${c.sha}`,
    author: who,
    committer: who,
    message: c.message,
    tree: { sha: c.tree, url: api(s, `trees/${c.tree}`) },
    parents: c.parents.map((p) => ({
      sha: p,
      url: api(s, `commits/${p}`),
      html_url: `https://github.com/${s.owner}/${s.repo}/commit/${p}`
    })),
    verification: {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null
    }
  }
}

function treeJson(s: GitHubStandin, sha: string, entries: TreeEntry[]): Record<string, unknown> {
  return {
    sha,
    url: api(s, `trees/${sha}`),
    truncated: false,
    tree: entries.map((e) => ({ ...e, url: api(s, `${e.type}s/${e.sha}`) }))
  }
}

function fullRef(ctx: HandlerContext): string {
  const ref = ctx.route.params.ref ?? ''
  return ref.startsWith('refs/') ? ref : `refs/${ref}`
}

export const gitRoutes: Record<string, Handler> = {
  'git/create-blob': (ctx) => {
    const content: string =
      ctx.body.encoding === 'base64'
        ? Buffer.from(ctx.body.content, 'base64').toString('utf8')
        : ctx.body.content
    const sha = sha1('blob', content)
    ctx.standin.git.blobs.set(sha, content)
    return { status: 201, body: { sha, url: api(ctx.standin, `blobs/${sha}`) } }
  },

  'git/get-blob': (ctx) => {
    const sha = ctx.route.params.file_sha ?? ''
    const content = ctx.standin.git.blobs.get(sha)
    if (content === undefined) throw new StandinError(404, 'Not Found')
    return {
      status: 200,
      body: {
        sha,
        node_id: `B_${sha.slice(0, 12)}`,
        url: api(ctx.standin, `blobs/${sha}`),
        size: Buffer.byteLength(content),
        content: Buffer.from(content).toString('base64'),
        encoding: 'base64'
      }
    }
  },

  'git/create-tree': (ctx) => {
    const git = ctx.standin.git
    const base = ctx.body.base_tree ? git.trees.get(ctx.body.base_tree) : []
    if (!base) throw new StandinError(422, 'Invalid tree info')
    const entries = new Map(base.map((e) => [e.path, e]))
    for (const e of ctx.body.tree as Array<Record<string, any>>) {
      if (e.sha === null) {
        entries.delete(e.path)
        continue
      }
      let sha: string = e.sha
      if (typeof e.content === 'string') {
        sha = sha1('blob', e.content)
        git.blobs.set(sha, e.content)
      } else if (!git.blobs.has(sha)) throw new StandinError(422, 'tree.sha is not a valid blob')
      entries.set(e.path, { path: e.path, mode: e.mode, type: e.type ?? 'blob', sha })
    }
    const list = [...entries.values()].sort((a, b) => a.path.localeCompare(b.path))
    const sha = sha1('tree', JSON.stringify(list))
    git.trees.set(sha, list)
    return { status: 201, body: treeJson(ctx.standin, sha, list) }
  },

  'git/get-tree': (ctx) => {
    const sha = ctx.route.params.tree_sha ?? ''
    const entries = ctx.standin.git.trees.get(sha)
    if (!entries) throw new StandinError(404, 'Not Found')
    return { status: 200, body: treeJson(ctx.standin, sha, entries) }
  },

  'git/create-commit': (ctx) => {
    const git = ctx.standin.git
    if (!git.trees.has(ctx.body.tree)) throw new StandinError(422, 'Tree SHA does not exist')
    const parents: string[] = ctx.body.parents ?? []
    for (const p of parents) {
      if (!git.commits.has(p))
        throw new StandinError(422, 'Parent SHA does not exist or is not a commit object')
    }
    const commit: Commit = {
      sha: sha1(
        'commit',
        JSON.stringify([ctx.body.tree, parents, ctx.body.message, ctx.standin.now()])
      ),
      tree: ctx.body.tree,
      parents,
      message: ctx.body.message
    }
    git.commits.set(commit.sha, commit)
    return { status: 201, body: commitJson(ctx.standin, commit) }
  },

  'git/get-commit': (ctx) => {
    const c = ctx.standin.git.commits.get(ctx.route.params.commit_sha ?? '')
    if (!c) throw new StandinError(404, 'Not Found')
    return { status: 200, body: commitJson(ctx.standin, c) }
  },

  'git/get-ref': (ctx) => {
    const ref = fullRef(ctx)
    const sha = ctx.standin.git.refs.get(ref)
    if (!sha) throw new StandinError(404, 'Not Found')
    return { status: 200, body: refJson(ctx.standin, ref, sha) }
  },

  'git/create-ref': (ctx) => {
    const git = ctx.standin.git
    const ref: string = ctx.body.ref
    if (!/^refs\/[^/]+\/.+/.test(ref))
      throw new StandinError(
        422,
        'Reference name must start with refs/ and have at least two slashes'
      )
    if (git.refs.has(ref)) throw new StandinError(422, 'Reference already exists')
    if (!git.commits.has(ctx.body.sha)) throw new StandinError(422, 'Object does not exist')
    git.refs.set(ref, ctx.body.sha)
    return { status: 201, body: refJson(ctx.standin, ref, ctx.body.sha) }
  },

  'git/list-matching-refs': (ctx) => {
    const prefix = fullRef(ctx)
    const s = ctx.standin
    const found = [...s.git.refs.entries()]
      .filter(([ref]) => ref.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([ref, sha]) => refJson(s, ref, sha))
    return { status: 200, body: found }
  },

  'git/delete-ref': (ctx) => {
    const ref = fullRef(ctx)
    // GitHub answers 422 "Reference does not exist" for a ref that is not there.
    if (!ctx.standin.git.refs.delete(ref)) throw new StandinError(422, 'Reference does not exist')
    return { status: 204 }
  },

  'git/update-ref': (ctx) => {
    const git = ctx.standin.git
    const ref = fullRef(ctx)
    const current = git.refs.get(ref)
    if (!current) throw new StandinError(422, 'Reference does not exist')
    if (!git.commits.has(ctx.body.sha)) throw new StandinError(422, 'Object does not exist')
    if (!ctx.body.force && !git.reaches(ctx.body.sha, current)) {
      throw new StandinError(422, 'Update is not a fast forward')
    }
    git.refs.set(ref, ctx.body.sha)
    return { status: 200, body: refJson(ctx.standin, ref, ctx.body.sha) }
  }
}
