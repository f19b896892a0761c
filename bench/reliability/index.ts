import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { plural } from '../../src/shared/text.js'
import { tally, type CaseResult, type RunOptions } from './common.js'
import { concurrency } from './concurrency.js'
import { fuzz } from './fuzz.js'
import { baselineWriters, gitFaults } from './git-store.js'
import { FAULTS, githubFaults } from './github-faults.js'
import { hardening } from './hardening.js'
import { injection } from './injection.js'
import { OLLAMA_FAULTS, ollamaFaults } from './ollama-faults.js'
import { trust } from './trust.js'

/*
 * `npm run bench:reliability [-- --quick] [--out FILE] [--seed N]`: faults, races, malformed
 * input, injection and trust boundaries, and the hardening probes of #19 (local-ledger races,
 * testbed names, signals and leftover processes, output sizes, hostile paths), measured and
 * printed as markdown tables. Exits 1 when any case is wrong, uncaught, lost or unescaped. Needs
 * the built dist/ (the action and CLI run as a runner and a user run them).
 */

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    seed: { type: 'string', default: '20261122' }
  }
})
const opts: RunOptions = {
  quick: values.quick ?? false,
  seed: Number(values.seed),
  log: (line) => process.stderr.write(`${line}\n`)
}

const started = performance.now()
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const section = async <T>(title: string, fn: () => Promise<T> | T) => {
  opts.log(`== ${title}`)
  const t0 = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - t0 }
}

const gh = await section('faults: GitHub', () => githubFaults(opts))
const git = await section('faults: git store', () => gitFaults(opts))
const ollama = await section('faults: Ollama', () => ollamaFaults(opts))
const conc = await section('concurrency', () => concurrency(opts, () => baselineWriters(opts.seed)))
const fz = await section('fuzz', () => fuzz(opts))
const inj = await section('injection', () => injection(opts))
const tr = await section('trust', () => trust(opts))
const hd = await section('hardening (#19)', () => hardening(opts))

const SYMBOL = { recovered: '✅', 'clear error': '⚠️', wrong: '❌' } as const
const cell = (c: CaseResult | undefined) => (c ? SYMBOL[c.outcome] : '·')

function grid(
  rows: string[],
  cols: string[],
  find: (row: string, col: string) => CaseResult | undefined
): string {
  const head = `| call | ${cols.join(' | ')} |`
  const rule = `| --- | ${cols.map(() => ':-:').join(' | ')} |`
  return [
    head,
    rule,
    ...rows.map((r) => `| ${r} | ${cols.map((c) => cell(find(r, c))).join(' | ')} |`)
  ].join('\n')
}

const ghCols = Object.keys(FAULTS).flatMap((f) => (f === '502-after-write' ? [f] : [f, `${f} ×∞`]))
const ghRows = [...new Set(gh.value.cases.map((c) => c.op))]
const ghGrid = grid(ghRows, ghCols, (op, col) =>
  gh.value.cases.find(
    (c) => c.op === op && `${c.fault}${c.persistence === 'always' ? ' ×∞' : ''}` === col
  )
)
const gitRows = [...new Set(git.value.map((c) => c.name.split(' × ')[0] ?? ''))]
const gitGrid = grid(gitRows, ghCols, (op, col) =>
  git.value.find((c) => c.name === `${op} × ${col}`)
)
const olGrid = grid([...new Set(ollama.value.map((c) => c.call))], [...OLLAMA_FAULTS], (call, f) =>
  ollama.value.find((c) => c.call === call && c.fault === f)
)

const ghAll = [...gh.value.controls, ...gh.value.cases]
const trTally = tally(tr.value)
const f = fz.value
const fuzzBad = f.importers.uncaught + f.importers.unnamed + f.importers.silentlyBad
const configBad = f.config.uncaught + f.config.unnamed
const concCases: CaseResult[] = [...conc.value.ledger, conc.value.sigkill]
const hdCases: CaseResult[] = Object.values(hd.value).flat() as CaseResult[]
const summaryRows: Array<[string, string, number, number, number, number, number]> = [
  ['faults', 'GitHub calls × faults (dist/index.js)', ...counts(ghAll), gh.ms],
  ['faults', 'git store calls × faults', ...counts(git.value), git.ms],
  ['faults', 'Ollama calls × faults', ...counts(ollama.value), ollama.ms],
  ['concurrency', 'ledger races, SIGKILL mid-write', ...counts(concCases), conc.ms],
  [
    'concurrency',
    conc.value.baselineWriters.name,
    ...counts([conc.value.baselineWriters]),
    conc.value.baselineWriters.ms
  ],
  ['trust', 'events × repo × branch (dist/index.js)', ...counts(tr.value), tr.ms],
  ...hardeningRows()
]

function hardeningRows(): Array<[string, string, number, number, number, number, number]> {
  const h = hd.value
  const ms = (cs: CaseResult[]) => cs.reduce((n, c) => n + c.ms, 0)
  const row = (what: string, cs: CaseResult[]) =>
    ['hardening', what, ...counts(cs), ms(cs)] as [
      string,
      string,
      number,
      number,
      number,
      number,
      number
    ]
  return [
    row(
      `local ledger: 8 concurrent gate runs × ${plural(h.ledgerRaces.length, 'round')} (${h.ledgerRaces.reduce((n, r) => n + r.hops, 0)}/${h.ledgerRaces.reduce((n, r) => n + r.runs, 0)} hop lines)`,
      h.ledgerRaces
    ),
    row('raw results files of those runs: one each, named once, its own data', h.resultNames),
    row(
      'testbed names that shared a store folder (gpä/gpé, a/b, ., CI/ci, old layout)',
      h.collisions
    ),
    row(
      'signals mid-run, CLI and action: exit 128+n, one line, no process left (ps), store kept',
      h.signals
    ),
    ...(h.children.length
      ? [
          row(
            'children a benchmark leaves: ended, or escapees reported; no wait on their pipes (ps)',
            h.children
          )
        ]
      : []),
    ...(h.caps.length
      ? [
          row(
            'output sizes: job summary, report, error messages, stdout past 64 MiB, config',
            h.caps
          )
        ]
      : []),
    ...(h.hostile.length
      ? [row('hostile paths and names: read-only/full --out, output: outside, escapes', h.hostile)]
      : [])
  ]
}
function counts(cs: CaseResult[]): [number, number, number, number] {
  const t = tally(cs)
  return [t.cases, t.recovered, t.clearError, t.wrong]
}

const wrongTotal =
  summaryRows.reduce((n, r) => n + r[5], 0) +
  fuzzBad +
  configBad +
  f.baselineWrites.partial +
  f.baselineWrites.uncaught +
  inj.value.unescaped

const lines: string[] = []
lines.push(`## perf-gate reliability (${opts.quick ? 'quick' : 'full'}, seed ${opts.seed})`, '')
lines.push('| section | what | cases | ✅ recovered / ok | ⚠️ clear error | ❌ wrong | time |')
lines.push('| --- | --- | --: | --: | --: | --: | --: |')
for (const [s, what, n, ok, err, bad, ms] of summaryRows)
  lines.push(`| ${s} | ${what} | ${n} | ${ok} | ${err} | ${bad} | ${secs(ms)} |`)
lines.push(
  `| fuzz | importers (${f.formats.length} formats), mutated fixtures | ${f.importers.inputs} | ${f.importers.accepted} accepted | ${f.importers.userErrors} UserError (${f.importers.withLine} with line) | ${fuzzBad} | ${secs(fz.ms)} |`,
  `| fuzz | config loader, mutated configs | ${f.config.inputs} | ${f.config.accepted} accepted | ${f.config.userErrors} UserError (${f.config.withLine} with line) | ${configBad} | |`,
  `| fuzz | mutated results through \`baseline\` (local store) | ${f.baselineWrites.inputs} | ${f.baselineWrites.written} written | ${f.baselineWrites.refused} refused | ${f.baselineWrites.partial + f.baselineWrites.uncaught} | |`,
  `| injection | hostile text × ${Object.keys(inj.value.byPosition).length} positions × ledger, update, check run, report | ${inj.value.renders} | ${inj.value.renders - inj.value.unescaped} clean | | ${inj.value.unescaped} | ${secs(inj.ms)} |`
)
lines.push(
  '',
  `**${wrongTotal} wrong, ${f.importers.uncaught + f.config.uncaught + f.baselineWrites.uncaught} uncaught, ${conc.value.ledger.reduce((n, r) => n + (r.runs - r.hops), 0) + hd.value.ledgerRaces.reduce((n, r) => n + (r.runs - r.hops), 0)} hop entries lost, ${conc.value.sigkill.torn} torn baselines, ${inj.value.unescaped} unescaped** in ${secs(performance.now() - started)}.`
)
lines.push(
  '',
  '### GitHub fault matrix (✅ recovered, ⚠️ clear error, ❌ wrong, · not run)',
  '',
  ghGrid
)
if (git.value.length) lines.push('', '### git store fault matrix', '', gitGrid)
lines.push('', '### Ollama fault matrix', '', olGrid)
lines.push(
  '',
  '### Hardening (#19)',
  '',
  ...hdCases.map(
    (c) => `- ${SYMBOL[c.outcome]} ${c.name} (${secs(c.ms)})${c.detail ? `: ${c.detail}` : ''}`
  )
)
lines.push(
  '',
  '### Concurrency',
  '',
  ...conc.value.ledger.map(
    (r) =>
      `- ${r.name}: ${r.ledgers} ledger comment(s), ${r.hops}/${r.runs} hop entries, exit codes ${r.exitCodes.join(',')} (${secs(r.ms)})`
  ),
  `- ${conc.value.baselineWriters.name}: ${SYMBOL[conc.value.baselineWriters.outcome]} ${conc.value.baselineWriters.detail || `${String(conc.value.baselineWriters.stored)} stored`}`,
  `- ${conc.value.sigkill.name}: ${conc.value.sigkill.torn} torn, ${conc.value.sigkill.landed} kills after the write landed, ${conc.value.sigkill.kills - conc.value.sigkill.landed} before it (${conc.value.sigkill.midWrite} left a temporary file); an uninterrupted run takes ${secs(conc.value.sigkill.runMs)}`
)
const trRows = tr.value.map(
  (c) =>
    `| ${c.event} | ${c.origin} | ${c.branch} | ${c.expected} | ${c.baselineWrites} | ${c.registryWritten ? 'yes' : 'no'} | ${c.cliWrites} | ${c.outcome === 'wrong' ? '❌' : '✅'} |`
)
lines.push(
  '',
  `### Trust boundaries (${trTally.cases} cells, ${trTally.wrong} wrong)`,
  '',
  '| event | code from | branch | expected | action: baselines | action: registry | CLI: baselines | |',
  '| --- | --- | --- | --- | --: | :-: | --: | :-: |',
  ...trRows
)
const problems = [
  ...ghAll.filter((c) => c.outcome === 'wrong').map((c) => `github ${c.name}: ${c.detail}`),
  ...git.value.filter((c) => c.outcome === 'wrong').map((c) => `git ${c.name}: ${c.detail}`),
  ...ollama.value.filter((c) => c.outcome === 'wrong').map((c) => `ollama ${c.name}: ${c.detail}`),
  ...concCases.filter((c) => c.outcome === 'wrong').map((c) => `${c.name}: ${c.detail}`),
  ...tr.value.filter((c) => c.outcome === 'wrong').map((c) => `trust ${c.name}: ${c.detail}`),
  ...hdCases.filter((c) => c.outcome === 'wrong').map((c) => `hardening ${c.name}: ${c.detail}`),
  ...f.importers.examples,
  ...f.config.examples,
  ...f.baselineWrites.examples,
  ...inj.value.examples
]
if (problems.length) lines.push('', '### Wrong', '', ...problems.map((p) => `- ${p}`))
process.stdout.write(lines.join('\n') + '\n')

if (values.out) {
  const json = {
    mode: opts.quick ? 'quick' : 'full',
    seed: opts.seed,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    wrong: wrongTotal,
    faults: {
      github: { tally: tally(ghAll), controls: gh.value.controls, cases: gh.value.cases },
      git: { tally: tally(git.value), cases: git.value },
      ollama: { tally: tally(ollama.value), cases: ollama.value }
    },
    concurrency: conc.value,
    fuzz: f,
    injection: inj.value,
    trust: { tally: trTally, cells: tr.value },
    hardening: hd.value
  }
  writeFileSync(values.out, JSON.stringify(json, null, 2) + '\n')
}
process.exitCode = wrongTotal > 0 ? 1 : 0
