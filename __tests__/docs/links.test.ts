import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { globSync } from 'tinyglobby'
import { brokenLinks, readLinks, type DocTree } from '../helpers/markdown-links.js'

// The tests run from the repository root, as the README's paths are written.
const ROOT = process.cwd()

const repository: DocTree = {
  exists: (file) => existsSync(path.join(ROOT, file)),
  read: (file) => readFileSync(path.join(ROOT, file), 'utf8')
}

const DOCS = globSync('docs/**/*.md', { cwd: ROOT }).sort()

/** An in-memory repository: its files, and the folders their paths imply. */
function memoryTree(files: Record<string, string>): DocTree {
  const has = (p: string): boolean =>
    Object.hasOwn(files, p) || Object.keys(files).some((f) => f.startsWith(`${p}/`))
  return {
    exists: has,
    read: (file) => {
      if (!Object.hasOwn(files, file)) throw new Error(`no file ${file}`)
      return files[file] ?? ''
    }
  }
}

describe('links in the README and docs/', () => {
  it('finds the pages to check', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['docs/configuration.md', 'docs/reports.md']))
  })

  it('resolve: every relative file exists and every #anchor is a heading there', () => {
    expect(brokenLinks(['README.md', ...DOCS], repository)).toEqual([])
  })

  it('include one from the README to every page under docs/', () => {
    const linked = new Set(
      readLinks(repository.read('README.md')).targets.map((t) =>
        path.posix.normalize(t.url.replace(/#.*$/, ''))
      )
    )
    expect(DOCS.filter((page) => !linked.has(page))).toEqual([])
  })
})

describe('brokenLinks', () => {
  const page = [
    '# Guide',
    '',
    'See [the setup](setup.md), [a missing page](missing.md) and [its options](setup.md#options).',
    'Also [a wrong anchor](setup.md#no-such-heading), [here](#guide) and [nowhere](#nowhere).',
    '',
    '## Guide',
    '',
    'The second "Guide" heading is [#guide-1](#guide-1); `[code](gone.md)` is not a link.',
    '',
    '```md',
    '[in a fence](gone.md)',
    '```',
    '',
    '[ref]: ref-missing.md',
    '',
    '<a href="setup.md#usage">html</a> <img src="img/none.png"> [web](https://example.com/x.md)',
    '[mail](mailto:a@b.c) [folder](img/) [up](../../outside.md) ![logo](img/logo.png)'
  ].join('\n')
  const tree = memoryTree({
    'docs/guide.md': page,
    'docs/setup.md': '# Setup\n\n## Options\n\n## Usage\n',
    'docs/img/logo.png': ''
  })

  it('reports a missing file and a missing anchor, and nothing that resolves', () => {
    expect(brokenLinks(['docs/guide.md'], tree)).toEqual([
      'docs/guide.md:3: missing.md: no such file or folder (docs/missing.md)',
      'docs/guide.md:4: setup.md#no-such-heading: no heading #no-such-heading in docs/setup.md',
      'docs/guide.md:4: #nowhere: no heading #nowhere in docs/guide.md',
      'docs/guide.md:14: ref-missing.md: no such file or folder (docs/ref-missing.md)',
      'docs/guide.md:16: img/none.png: no such file or folder (docs/img/none.png)',
      'docs/guide.md:17: ../../outside.md: leaves the repository'
    ])
  })

  it('slugs headings as GitHub does, and reads HTML id and name attributes as anchors', () => {
    const { anchors } = readLinks(
      '# Config reference (`perf-gate.yml`)\n\n## Q5 vs Q4: llama-q5\n\n## Config reference (`perf-gate.yml`)\n\n<a name="top"></a>\n'
    )
    expect([...anchors].sort()).toEqual([
      'config-reference-perf-gateyml',
      'config-reference-perf-gateyml-1',
      'q5-vs-q4-llama-q5',
      'top'
    ])
  })
})
