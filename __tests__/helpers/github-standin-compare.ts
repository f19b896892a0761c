import { createHash } from 'node:crypto'
import type { GitHubStandin, Handler, HandlerContext } from './github-standin.js'
import { StandinError } from './github-standin.js'

/*
 * The history part of the stand-in: `GET /compare/{base}...{head}` (its `merge_base_commit`) and
 * `GET /commits?sha=` (a commit and its ancestors, newest first, paginated with Link headers), over
 * the commit graph the Git Data routes keep. Branch names resolve through `refs/heads/*`.
 */

const EMPTY_TREE = createHash('sha1').update('tree\0[]').digest('hex')

/** Adds a commit with these parents straight to the graph, as if pushed; returns its sha. */
export function addCommit(gh: GitHubStandin, parents: string[], message: string): string {
  const git = gh.git
  if (!git.trees.has(EMPTY_TREE)) git.trees.set(EMPTY_TREE, [])
  const sha = createHash('sha1')
    .update(`commit\0${JSON.stringify([parents, message])}`)
    .digest('hex')
  git.commits.set(sha, { sha, tree: EMPTY_TREE, parents, message })
  return sha
}

/** `n` commits on top of `from` (none: a root commit), oldest first; the branch ref follows. */
export function addChain(
  gh: GitHubStandin,
  from: string | null,
  n: number,
  label: string,
  branch?: string
): string[] {
  const shas: string[] = []
  let parent = from
  for (let i = 0; i < n; i++) {
    parent = addCommit(gh, parent ? [parent] : [], `${label} ${i + 1}`)
    shas.push(parent)
  }
  if (branch && parent) gh.git.refs.set(`refs/heads/${branch}`, parent)
  return shas
}

function resolve(gh: GitHubStandin, ref: string): string | null {
  if (gh.git.commits.has(ref)) return ref
  return gh.git.refs.get(`refs/heads/${ref}`) ?? null
}

function ancestry(gh: GitHubStandin, sha: string): Set<string> {
  const seen = new Set<string>()
  const stack = [sha]
  while (stack.length > 0) {
    const s = stack.pop() ?? ''
    if (seen.has(s) || !gh.git.commits.has(s)) continue
    seen.add(s)
    stack.push(...(gh.git.commits.get(s)?.parents ?? []))
  }
  return seen
}

/** `sha` and its ancestors, every commit before its parents; newer commits first on ties. */
function history(gh: GitHubStandin, sha: string): string[] {
  const reach = ancestry(gh, sha)
  const order = [...gh.git.commits.keys()].filter((s) => reach.has(s))
  const children = new Map<string, number>()
  for (const s of order)
    for (const p of gh.git.commits.get(s)?.parents ?? [])
      children.set(p, (children.get(p) ?? 0) + 1)
  const out: string[] = []
  const ready = order.filter((s) => !children.get(s))
  while (ready.length > 0) {
    ready.sort((a, b) => order.indexOf(b) - order.indexOf(a))
    const s = ready.shift() ?? ''
    out.push(s)
    for (const p of gh.git.commits.get(s)?.parents ?? []) {
      const left = (children.get(p) ?? 0) - 1
      children.set(p, left)
      if (left === 0) ready.push(p)
    }
  }
  return out
}

/** The common ancestors of a and b that no other common ancestor descends from. */
function mergeBase(gh: GitHubStandin, a: string, b: string): string | null {
  const ofB = ancestry(gh, b)
  const common = [...ancestry(gh, a)].filter((s) => ofB.has(s))
  const best = common.filter((c) => !common.some((o) => o !== c && ancestry(gh, o).has(c)))
  return best[0] ?? null
}

function commitJson(gh: GitHubStandin, sha: string): Record<string, unknown> {
  const c = gh.git.commits.get(sha)
  if (!c) throw new StandinError(404, 'Not Found')
  const api = `${gh.url}/repos/${gh.owner}/${gh.repo}`
  const html = `https://github.com/${gh.owner}/${gh.repo}`
  const who = { name: 'Codertocat', email: 'octocat@github.com', date: '2026-11-22T09:00:00Z' }
  return {
    url: `${api}/commits/${sha}`,
    sha,
    node_id: `C_${sha.slice(0, 12)}`,
    html_url: `${html}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: {
      url: `${api}/git/commits/${sha}`,
      author: who,
      committer: who,
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null
      }
    },
    author: null,
    committer: null,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${html}/commit/${p}`
    }))
  }
}

function page(ctx: HandlerContext): { perPage: number; page: number } {
  return {
    perPage: Math.min(Number(ctx.query.get('per_page') ?? 30) || 30, 100),
    page: Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1)
  }
}

export const compareRoutes: Record<string, Handler> = {
  'repos/compare-commits-with-basehead': (ctx) => {
    const gh = ctx.standin
    const basehead = ctx.route.params.basehead ?? ''
    const m = /^(.+?)\.\.\.(.+)$/.exec(decodeURIComponent(basehead))
    if (!m?.[1] || !m[2]) throw new StandinError(404, 'Not Found')
    const base = resolve(gh, m[1])
    const head = resolve(gh, m[2])
    if (!base || !head) throw new StandinError(404, 'Not Found')
    const mb = mergeBase(gh, base, head)
    if (!mb) throw new StandinError(404, `No common ancestor between ${m[1]} and ${m[2]}.`)
    const ahead = history(gh, head).filter((s) => !ancestry(gh, base).has(s))
    const behind = history(gh, base).filter((s) => !ancestry(gh, head).has(s))
    const { perPage, page: p } = page(ctx)
    const html = `https://github.com/${gh.owner}/${gh.repo}/compare/${basehead}`
    return {
      status: 200,
      body: {
        url: `${gh.url}/repos/${gh.owner}/${gh.repo}/compare/${basehead}`,
        html_url: html,
        permalink_url: html,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        base_commit: commitJson(gh, base),
        merge_base_commit: commitJson(gh, mb),
        status:
          ahead.length && behind.length
            ? 'diverged'
            : ahead.length
              ? 'ahead'
              : behind.length
                ? 'behind'
                : 'identical',
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: [...ahead]
          .reverse()
          .slice((p - 1) * perPage, p * perPage)
          .map((s) => commitJson(gh, s)),
        files: []
      }
    }
  },

  'repos/list-commits': (ctx) => {
    const gh = ctx.standin
    const ref = ctx.query.get('sha') ?? gh.defaultBranch
    const start = resolve(gh, ref)
    if (!start) throw new StandinError(404, `No commit found for SHA: ${ref}`)
    const all = history(gh, start)
    const { perPage, page: p } = page(ctx)
    const last = Math.max(Math.ceil(all.length / perPage), 1)
    const link = (n: number, rel: string): string => {
      const q = new URLSearchParams(ctx.query)
      q.set('per_page', String(perPage))
      q.set('page', String(n))
      return `<${gh.url}/repos/${gh.owner}/${gh.repo}/commits?${q.toString()}>; rel="${rel}"`
    }
    const links: string[] = []
    if (p > 1) links.push(link(p - 1, 'prev'), link(1, 'first'))
    if (p < last) links.push(link(p + 1, 'next'), link(last, 'last'))
    const headers: Record<string, string> = links.length ? { link: links.join(', ') } : {}
    return {
      status: 200,
      body: all.slice((p - 1) * perPage, p * perPage).map((s) => commitJson(gh, s)),
      headers
    }
  }
}
