import GithubSlugger from 'github-slugger'
import type { Nodes } from 'mdast'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { toString } from 'mdast-util-to-string'
import path from 'node:path'

/*
 * Relative links in the README and docs/, checked the way GitHub renders them: a parsed markdown
 * tree rather than regular expressions, so links shown inside code blocks and code spans are not
 * taken for links, and heading anchors are GitHub's slugs (github-slugger), numbered when a
 * heading repeats.
 */

/** A link target as written in a document, and the line it is on. */
export interface LinkTarget {
  url: string
  line: number
}

export interface MarkdownLinks {
  /** Inline links and images, reference definitions, and `href`/`src` of HTML `<a>`/`<img>`. */
  targets: LinkTarget[]
  /** Heading slugs, plus `id`/`name` attributes of HTML elements. */
  anchors: Set<string>
}

/** The repository seen by the checker: paths are relative to its root, with `/` separators. */
export interface DocTree {
  /** Whether a file or folder exists at this path. */
  exists(file: string): boolean
  /** The text of a file that exists. */
  read(file: string): string
}

const HTML_LINK = /<(?:a|img)\b[^>]*?\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi
const HTML_ANCHOR = /<[a-z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi
/** Links the test cannot follow without a network; any other scheme is reported. */
const EXTERNAL = /^(?:https?:|mailto:)/i
const SCHEME = /^[a-z][a-z0-9+.-]*:/i

function linesBefore(text: string, index: number): number {
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++
  return n
}

export function readLinks(markdown: string): MarkdownLinks {
  const targets: LinkTarget[] = []
  const anchors = new Set<string>()
  const slugger = new GithubSlugger()
  const visit = (node: Nodes): void => {
    const line = node.position?.start.line ?? 0
    switch (node.type) {
      case 'link':
      case 'image':
      case 'definition':
        targets.push({ url: node.url, line })
        break
      case 'heading':
        anchors.add(slugger.slug(toString(node, { includeHtml: false })))
        break
      case 'html':
        for (const m of node.value.matchAll(HTML_LINK)) {
          targets.push({ url: m[1] ?? m[2] ?? '', line: line + linesBefore(node.value, m.index) })
        }
        for (const m of node.value.matchAll(HTML_ANCHOR)) anchors.add(m[1] ?? m[2] ?? '')
        break
      default:
        break
    }
    if ('children' in node) for (const child of node.children) visit(child)
  }
  visit(fromMarkdown(markdown))
  return { targets, anchors }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * Every relative link of `files` whose file, or whose `#anchor` in a markdown file, does not
 * exist, as `file:line: target: why`. Anchors into other kinds of file (`action.yml#L10`) are not
 * checked: GitHub makes those up from line numbers.
 */
export function brokenLinks(files: readonly string[], tree: DocTree): string[] {
  const parsed = new Map<string, MarkdownLinks>()
  const linksOf = (file: string): MarkdownLinks => {
    let links = parsed.get(file)
    if (!links) {
      links = readLinks(tree.read(file))
      parsed.set(file, links)
    }
    return links
  }
  const problems: string[] = []
  for (const file of files) {
    for (const { url, line } of linksOf(file).targets) {
      const say = (why: string): void => {
        problems.push(`${file}:${line}: ${url}: ${why}`)
      }
      if (EXTERNAL.test(url)) continue
      if (SCHEME.test(url)) {
        say('a link scheme this check cannot follow')
        continue
      }
      const hash = url.indexOf('#')
      const pathPart = (hash === -1 ? url : url.slice(0, hash)).replace(/\?.*$/, '')
      const fragment = hash === -1 ? null : decode(url.slice(hash + 1))
      let target = file
      if (pathPart !== '') {
        const joined = pathPart.startsWith('/')
          ? pathPart.slice(1)
          : path.posix.join(path.posix.dirname(file), decode(pathPart))
        target = path.posix.normalize(joined).replace(/\/$/, '')
        if (target === '..' || target.startsWith('../')) {
          say('leaves the repository')
          continue
        }
        if (!tree.exists(target)) {
          say(`no such file or folder (${target})`)
          continue
        }
      }
      if (fragment === null || !target.toLowerCase().endsWith('.md')) continue
      if (fragment === '') say('an empty anchor')
      else if (!linksOf(target).anchors.has(fragment)) say(`no heading #${fragment} in ${target}`)
    }
  }
  return problems
}
