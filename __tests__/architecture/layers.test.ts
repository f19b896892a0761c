import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'

/*
 * The layer rules of .dependency-cruiser.cjs, the ones `npm run lint:layers` enforces in CI: the
 * real tree keeps them, and a tree that breaks each one is refused with the rule's name.
 */

const ROOT = process.cwd()
const BIN = path.join(ROOT, 'node_modules', '.bin', 'depcruise')

interface Violation {
  rule: { name: string }
  from: string
  to: string
}

function cruise(cwd: string): Violation[] {
  let out: string
  try {
    out = execFileSync(
      BIN,
      ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
      { cwd, encoding: 'utf8', maxBuffer: 64 << 20 }
    )
  } catch (e) {
    // depcruise exits non-zero when it finds violations; its JSON is still on stdout.
    out = (e as { stdout: string }).stdout
  }
  const json = JSON.parse(out) as { summary: { violations: Violation[] } }
  return json.summary.violations
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-layers-'))
  copyFileSync(
    path.join(ROOT, '.dependency-cruiser.cjs'),
    path.join(dir, '.dependency-cruiser.cjs')
  )
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } })
  )
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  return dir
}

describe('layers', () => {
  it('holds in src/', () => {
    expect(cruise(ROOT).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([])
  }, 60_000)

  it('refuses a forbidden import of each kind', () => {
    const dir = tree({
      // The engine may not import a front.
      'src/engine/job.ts': "import { main } from '../cli/main.js'\nexport const job = main\n",
      'src/cli/main.ts': 'export const main = 1\n',
      // config/ may not import the engine, the stores, the runners or GitHub.
      'src/config/load.ts': "import { job } from '../engine/job.js'\nexport const load = job\n",
      // report/ renders: no file system.
      'src/report/ledger.ts':
        "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n",
      // report/ renders: no Ollama, no GitHub toolkit, whether the package resolves to its file
      // under node_modules/ (the CI case: installed) or stays a bare name (not installed).
      'node_modules/ollama/package.json': JSON.stringify({
        name: 'ollama',
        main: 'dist/index.cjs'
      }),
      'node_modules/ollama/dist/index.cjs': 'exports.Ollama = class {}\n',
      'src/report/narrative.ts': "import { Ollama } from 'ollama'\nexport const o = Ollama\n",
      'src/report/comment.ts':
        "import { Octokit } from '@octokit/not-installed'\nexport const k = Octokit\n",
      // The engine and the outputs run under the CLI too: no @actions/* toolkit.
      'node_modules/@actions/core/package.json': JSON.stringify({
        name: '@actions/core',
        main: 'lib/core.js'
      }),
      'node_modules/@actions/core/lib/core.js': 'exports.info = () => {}\n',
      'src/engine/log.ts': "import { info } from '@actions/core'\nexport const log = info\n",
      'src/outputs/summary.ts':
        "import { summary } from '@actions/not-installed'\nexport const s = summary\n",
      // No cycles, type-only imports included.
      'src/stats/a.ts': "import type { B } from './b.js'\nexport type A = B | 1\n",
      'src/stats/b.ts': "import type { A } from './a.js'\nexport type B = A | 2\n",
      // Other layers reach the importers through their index.
      'src/runners/file.ts':
        "import { x } from '../importers/read/source.js'\nexport const f = x\n",
      'src/importers/read/source.ts': 'export const x = 1\n',
      'src/importers/index.ts': "export { x } from './read/source.js'\n",
      // Inside the importers: read/ below formats/, formats/ below the whole-file imports.
      'src/importers/read/lines.ts': "import { go } from '../formats/go.js'\nexport const l = go\n",
      'src/importers/formats/go.ts': "import { x } from '../index.js'\nexport const go = x\n"
    })
    const found = cruise(dir).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
    expect(found).toEqual(
      expect.arrayContaining([
        'layer-engine: src/engine/job.ts → src/cli/main.ts',
        'layer-config: src/config/load.ts → src/engine/job.ts',
        'report-is-pure: src/report/ledger.ts → fs',
        'report-is-pure: src/report/narrative.ts → node_modules/ollama/dist/index.cjs',
        'report-is-pure: src/report/comment.ts → @octokit/not-installed',
        'engine-runs-anywhere: src/engine/log.ts → node_modules/@actions/core/lib/core.js',
        'engine-runs-anywhere: src/outputs/summary.ts → @actions/not-installed',
        'no-cycles: src/stats/a.ts → src/stats/b.ts',
        'importers-public-face: src/runners/file.ts → src/importers/read/source.ts',
        'importers-read-below-formats: src/importers/read/lines.ts → src/importers/formats/go.ts',
        'importers-formats-below-index: src/importers/formats/go.ts → src/importers/index.ts'
      ])
    )
  }, 60_000)
})

/** `(^src/index\\.ts$|^src/action/)` → ['src/index.ts', 'src/action/']. */
function pathsOf(pattern: string): string[] {
  return pattern
    .replace(/^\(|\)$/g, '')
    .split('|')
    .map((p) => p.replace(/^\^/, '').replace(/\$$/, '').replace(/\\\./g, '.'))
}

describe('docs/architecture.md', () => {
  it('has one row per layer of .dependency-cruiser.cjs, in its order', () => {
    // The order as the config enforces it: each layer-* rule is one layer, from the second down;
    // the first is what the second may not import.
    const config = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as {
      forbidden: { name: string; from: { path: string }; to: { path: string } }[]
    }
    const rules = config.forbidden.filter((r) => r.name.startsWith('layer-'))
    const first = rules[0]
    if (!first) throw new Error('.dependency-cruiser.cjs has no layer-* rule')
    const layers = [pathsOf(first.to.path), ...rules.map((r) => pathsOf(r.from.path))]

    const doc = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8')
    const rows = doc
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => [...(line.split('|')[3] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]))
    expect(rows).toEqual(layers)
  })
})
