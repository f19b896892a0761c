/*
 * The layers of src/, written once, from the top: a module may import its own folder and any
 * layer below its own, never one above, and never a sibling folder of its own layer. `npm run
 * lint:layers` checks it in CI; docs/architecture.md draws it.
 */
const LAYERS = [
  ['index.ts'], // the action's entry
  ['main.ts'], // the action's dispatcher
  ['action', 'cli'], // the two fronts
  ['outputs', 'dashboard'], // adapters that show what the engine decided; the history site
  ['engine'], // the job's phases
  ['analyst'], // the optional narrative (calls Ollama)
  ['baseline'], // the stores
  ['runners'], // what measures: commands, Ollama, files
  ['github'], // the GitHub API
  ['report'], // pure renderers
  ['config'], // perf-gate.yml
  ['importers'], // other tools' result files
  ['types'], // the report model and lineage types shared by engine and renderers
  ['stats'], // the decision rule
  ['results'], // the results model
  ['shared', 'errors.ts', 'version.ts'] // leaf helpers
]

const escape = (s) => s.replace(/[.]/g, '\\.')
const pathOf = (name) => `^src/${escape(name)}${name.endsWith('.ts') ? '$' : '/'}`
const anyOf = (names) => `(${names.map(pathOf).join('|')})`

/*
 * A package as dependency-cruiser names it: resolved, it is its file under node_modules/ (e.g.
 * node_modules/ollama/dist/index.cjs), so a bare `^ollama$` would never match; left unresolved (not
 * installed) it keeps its bare name. Both forms are matched, and node_modules/ is not anchored so
 * that a nested or pnpm-style path (node_modules/.pnpm/x@1/node_modules/x/...) matches too.
 */
const packages = (names) => `(^|node_modules/)(${names.map(escape).join('|')})(/|$)`

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(0, i).flat()
  const rules = []
  if (above.length > 0) {
    rules.push({
      name: `layer-${layer.join('-')}`,
      comment: `${layer.join(', ')} may not import a layer above it (${above.join(', ')})`,
      severity: 'error',
      from: { path: anyOf(layer) },
      to: { path: anyOf(above) }
    })
  }
  for (const own of layer) {
    const siblings = layer.filter((n) => n !== own)
    if (siblings.length === 0) continue
    rules.push({
      name: `sibling-${own}`,
      comment: `${own} may not import its sibling layer (${siblings.join(', ')})`,
      severity: 'error',
      from: { path: pathOf(own) },
      to: { path: anyOf(siblings) }
    })
  }
  return rules
})

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-cycles',
      comment: 'no import cycles, type-only imports included',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true }
    },
    {
      name: 'report-is-pure',
      comment:
        'src/report/ renders: no file system, processes, network or Ollama (the outputs and the analyst do that)',
      severity: 'error',
      from: { path: '^src/report/' },
      to: {
        path: [
          '^(node:)?(fs|fs/promises|child_process|http|https|net|worker_threads)$',
          packages(['ollama', '@actions', '@octokit'])
        ]
      }
    },
    {
      name: 'engine-runs-anywhere',
      comment: 'the engine is shared by the action and the CLI: no @actions/* runner toolkit',
      severity: 'error',
      from: { path: '^src/(engine|outputs)/' },
      to: { path: packages(['@actions']) }
    },
    {
      name: 'importers-public-face',
      comment: 'other layers use the importers through src/importers/index.ts',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/importers/' },
      to: { path: '^src/importers/', pathNot: '^src/importers/index\\.ts$' }
    },
    {
      name: 'importers-read-below-formats',
      comment:
        'importers/read/ is what the formats build on: it imports nothing else of the importers',
      severity: 'error',
      from: { path: '^src/importers/read/' },
      to: { path: '^src/importers/', pathNot: '^src/importers/read/' }
    },
    {
      name: 'importers-formats-below-index',
      comment:
        'a format imports other formats and importers/read/, not the whole-file imports above',
      severity: 'error',
      from: { path: '^src/importers/formats/' },
      to: { path: '^src/importers/', pathNot: '^src/importers/(formats|read)/' }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // src/, installed packages, core modules, and bare (maybe scoped) names left unresolved, so
    // that the package rules above still see a package that is not installed.
    includeOnly: { path: '^src/|^node_modules/|^(node:)?@?[a-z0-9][a-z0-9._/-]*$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs']
    }
  }
}
