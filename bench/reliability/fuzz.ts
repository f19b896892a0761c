import fc from 'fast-check'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { parseConfig } from '../../src/config/load.js'
import { filesOutput } from '../../src/outputs/files.js'
import { runWithOutputs } from '../../src/outputs/index.js'
import { isUserError } from '../../src/errors.js'
import { importInput, makeInput, parseResultSet } from '../../src/importers/index.js'
import { silentReporter } from '../../src/runners/progress.js'
import { unknownEnvironment } from '../../src/results/environment.js'
import { RESULTS_SCHEMA_ID, RESULTS_VERSION, type ResultSet } from '../../src/results/model.js'
import { removeDir, tempDir, type RunOptions } from './common.js'

/*
 * Malformed input, generated: real files from fixtures/ (and real configs) mutated by fast-check
 * (truncation, byte flips, NaN/Infinity/1e309, huge numbers, wrong types, duplicated lines, deep
 * nesting, BOMs, CRLF), fed to every importer and to the config loader. The only acceptable
 * failure is a UserError naming the file; an accepted input must hold only finite numbers. A
 * sample also goes through `perf-gate baseline`, whose store must be unchanged after a refusal.
 */

export type FuzzOutcome = 'accepted' | 'user error' | 'uncaught' | 'unnamed' | 'silently bad'

interface Corpus {
  file: string
  text: string
  /** The format the original is detected as, tried explicitly as well as with auto. */
  format: string
}

const CONFIGS = ['perf-gate.yml', 'docs/ollama-example.yml', '__fixture__:workspace'] as const

const WORKSPACE_CONFIG = [
  'testbed: ci',
  'repetitions: 5',
  'thresholds:',
  '  core: { warn: 5%, fail: 10% }',
  '  metrics:',
  '    decode_tps: { fail: 3% }',
  'benchmarks:',
  '  - name: work',
  '    kind: file',
  '    path: results/*.json',
  '    class: core',
  '  - name: cmd',
  '    kind: command',
  '    run: node bench/workload.mjs',
  '    format: custom',
  ''
].join('\n')

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

/** Every fixture some importer reads, with the format it is detected as. */
export function importCorpus(): Corpus[] {
  const out: Corpus[] = []
  for (const file of walk('fixtures').sort()) {
    if (/(README\.md|LICENSE\.txt|\.mjs)$/.test(file)) continue
    const text = readFileSync(file, 'utf8')
    if (text.length > 200_000) continue
    try {
      const { format } = importInput(makeInput(file, text), 'auto', { class: 'non-critical' })
      out.push({ file, text, format })
    } catch {
      // Not a results file on its own (nvidia-smi captures, criterion's side files).
    }
  }
  // perf-gate's own results document, as a run writes it and the baseline store reads it.
  const hyperfine = out.find((c) => c.format === 'hyperfine')
  if (hyperfine) {
    const { benchmarks } = importInput(makeInput(hyperfine.file, hyperfine.text), 'hyperfine', {
      class: 'core'
    })
    const set: ResultSet = {
      $schema: RESULTS_SCHEMA_ID,
      version: RESULTS_VERSION,
      testbed: 'ci',
      createdAt: '2026-11-22T10:00:00.000Z',
      commit: { sha: 'a'.repeat(40), ref: 'refs/heads/main' },
      environment: unknownEnvironment(),
      benchmarks
    }
    out.push({
      file: 'results/native.json',
      text: JSON.stringify(set, null, 2),
      format: 'perf-gate'
    })
  }
  return out
}

export function configCorpus(): Array<{ file: string; text: string }> {
  return CONFIGS.map((f) =>
    f === '__fixture__:workspace'
      ? { file: 'perf-gate.yml', text: WORKSPACE_CONFIG }
      : { file: f, text: readFileSync(f, 'utf8') }
  )
}

const NASTY = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '9'.repeat(400),
  '-0',
  '0',
  '-1',
  '1e-400',
  '9007199254740993',
  '""',
  'null',
  'true',
  '[]',
  '{}',
  '"12 ms"',
  '0x1F',
  '.5',
  '~',
  '!!binary AAAA',
  '*anchor',
  '&a [*a]'
]

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; ch: string }
  | { op: 'insert'; at: number; token: string }
  | { op: 'number'; nth: number; token: string }
  | { op: 'duplicate-line'; at: number }
  | { op: 'nest'; depth: number }
  | { op: 'bom' }
  | { op: 'crlf' }
  | { op: 'delete'; at: number; len: number }

const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })
const nastyChar = fc.constantFrom(
  '\u0000',
  '\uFEFF',
  '\u202E',
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\n',
  '\r',
  '\t',
  '\\',
  '-',
  'e',
  '.',
  '#',
  '|',
  '\uD800',
  'é'
)

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at }),
  fc.record({ op: fc.constant('flip' as const), at, ch: nastyChar }),
  fc.record({
    op: fc.constant('insert' as const),
    at,
    token: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 }))
  }),
  fc.record({
    op: fc.constant('number' as const),
    nth: fc.nat(200),
    token: fc.constantFrom(...NASTY)
  }),
  fc.record({ op: fc.constant('duplicate-line' as const), at }),
  fc.record({ op: fc.constant('nest' as const), depth: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ op: fc.constant('bom' as const) }),
  fc.record({ op: fc.constant('crlf' as const) }),
  fc.record({ op: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) })
)

export function mutate(text: string, m: Mutation): string {
  const i = (f: number) => Math.floor(f * (text.length + 1))
  switch (m.op) {
    case 'truncate':
      return text.slice(0, i(m.at))
    case 'flip':
      return text.slice(0, i(m.at)) + m.ch + text.slice(i(m.at) + 1)
    case 'insert':
      return text.slice(0, i(m.at)) + m.token + text.slice(i(m.at))
    case 'number': {
      const nums = [...text.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)]
      const hit = nums.length ? nums[m.nth % nums.length] : undefined
      if (hit?.index === undefined) return text
      return text.slice(0, hit.index) + m.token + text.slice(hit.index + hit[0].length)
    }
    case 'duplicate-line': {
      const lines = text.split('\n')
      const k = Math.floor(m.at * lines.length)
      lines.splice(k, 0, lines[k] ?? '')
      return lines.join('\n')
    }
    case 'nest': {
      // Deep nesting inside the document, where a recursive reader would overflow its stack.
      const j = text.search(/[[{]/)
      const open = '['.repeat(m.depth)
      const close = ']'.repeat(m.depth)
      if (j < 0) return open + text + close
      return text.slice(0, j + 1) + `"deep": ${open}1${close},` + text.slice(j + 1)
    }
    case 'bom':
      return '\uFEFF' + text
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n')
    case 'delete':
      return text.slice(0, i(m.at)) + text.slice(i(m.at) + m.len)
  }
}

function judgeError(
  e: unknown,
  file: string
): { outcome: FuzzOutcome; line: boolean; msg: string } {
  const msg = e instanceof Error ? e.message : String(e)
  if (!isUserError(e)) {
    return { outcome: 'uncaught', line: false, msg: `${(e as Error)?.name ?? typeof e}: ${msg}` }
  }
  if (!msg.includes(file)) return { outcome: 'unnamed', line: false, msg }
  return { outcome: 'user error', line: msg.includes(`${file}:`), msg }
}

export interface FuzzTally {
  inputs: number
  accepted: number
  userErrors: number
  /** User errors that also name a line (or offset) in the file. */
  withLine: number
  uncaught: number
  unnamed: number
  silentlyBad: number
  slowestMs: number
  examples: string[]
}

function emptyTally(): FuzzTally {
  return {
    inputs: 0,
    accepted: 0,
    userErrors: 0,
    withLine: 0,
    uncaught: 0,
    unnamed: 0,
    silentlyBad: 0,
    slowestMs: 0,
    examples: []
  }
}

function count(t: FuzzTally, o: FuzzOutcome, line: boolean, example: string, ms: number): void {
  t.inputs++
  t.slowestMs = Math.max(t.slowestMs, ms)
  if (o === 'accepted') t.accepted++
  if (o === 'user error') {
    t.userErrors++
    if (line) t.withLine++
  }
  if (o === 'uncaught') t.uncaught++
  if (o === 'unnamed') t.unnamed++
  if (o === 'silently bad') t.silentlyBad++
  if (o !== 'accepted' && o !== 'user error' && t.examples.length < 8) t.examples.push(example)
}

/** Accepted output must be usable: finite samples, named benchmarks, no name twice. */
function badOutput(benchmarks: ReturnType<typeof importInput>['benchmarks']): string | null {
  const names = new Set<string>()
  for (const b of benchmarks) {
    if (!b.name) return 'a benchmark without a name'
    if (names.has(b.name)) return `benchmark ${JSON.stringify(b.name).slice(0, 60)} twice`
    names.add(b.name)
    for (const m of b.metrics) {
      if (!m.samples.every(Number.isFinite)) return `non-finite sample in ${m.name}`
      if (m.samples.length === 0) return `no samples in ${m.name}`
    }
  }
  return null
}

function fuzzImporters(corpus: Corpus[], runs: number, seed: number): FuzzTally {
  const t = emptyTally()
  const arb = fc.record({
    which: fc.nat(corpus.length - 1),
    ops: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
    explicit: fc.boolean()
  })
  for (const c of fc.sample(arb, { numRuns: runs, seed })) {
    const src = corpus[c.which]
    const text = c.ops.reduce(mutate, src.text)
    const format = c.explicit ? src.format : 'auto'
    const label = `${src.file}`
    const t0 = performance.now()
    let outcome: FuzzOutcome
    let line = false
    let why = ''
    try {
      const r = importInput(makeInput(label, text), format, { class: 'non-critical' })
      const bad = badOutput(r.benchmarks)
      outcome = bad ? 'silently bad' : 'accepted'
      why = bad ?? ''
    } catch (e) {
      const j = judgeError(e, label)
      outcome = j.outcome
      line = j.line
      why = j.msg
    }
    const ms = performance.now() - t0
    const ops = c.ops.map((o) => o.op).join('+')
    count(t, outcome, line, `${src.file} [${format}] ${ops}: ${outcome}: ${why.slice(0, 160)}`, ms)
  }
  return t
}

function fuzzConfig(runs: number, seed: number): FuzzTally {
  const corpus = configCorpus()
  const t = emptyTally()
  const arb = fc.record({
    which: fc.nat(corpus.length - 1),
    ops: fc.array(mutationArb, { minLength: 1, maxLength: 3 })
  })
  for (const c of fc.sample(arb, { numRuns: runs, seed })) {
    const src = corpus[c.which]
    const text = c.ops.reduce(mutate, src.text)
    const t0 = performance.now()
    let outcome: FuzzOutcome = 'accepted'
    let line = false
    let why = ''
    try {
      parseConfig(text, src.file)
    } catch (e) {
      const j = judgeError(e, src.file)
      outcome = j.outcome
      line = j.line
      why = j.msg
    }
    const ops = c.ops.map((o) => o.op).join('+')
    count(
      t,
      outcome,
      line,
      `${src.file} ${ops}: ${outcome}: ${why.slice(0, 160)}`,
      performance.now() - t0
    )
  }
  return t
}

export interface BaselineFuzz {
  inputs: number
  written: number
  refused: number
  /** A refusal that left anything in the store, or a write that left a torn file: must be 0. */
  partial: number
  uncaught: number
  examples: string[]
}

/** Mutated result files through the real job in mode baseline, with a local store. */
async function fuzzBaselineWrites(corpus: Corpus[], runs: number, seed: number) {
  const out: BaselineFuzz = {
    inputs: 0,
    written: 0,
    refused: 0,
    partial: 0,
    uncaught: 0,
    examples: []
  }
  const ws = tempDir('pg-rel-fuzz-')
  try {
    writeFileSync(
      path.join(ws, 'perf-gate.yml'),
      'testbed: ci\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*\n    class: core\n'
    )
    const storeDir = path.join(ws, 'store')
    const testbedDir = path.join(storeDir, 'ci')
    const list = () => {
      try {
        return readdirSync(testbedDir).sort()
      } catch {
        return []
      }
    }
    const arb = fc.record({
      which: fc.nat(corpus.length - 1),
      ops: fc.array(mutationArb, { minLength: 1, maxLength: 2 })
    })
    let i = 0
    for (const c of fc.sample(arb, { numRuns: runs, seed })) {
      const src = corpus[c.which]
      const dir = path.join(ws, `r${i++}`)
      const file = path.join(dir, path.basename(src.file))
      removeDir(dir)
      mkdirSync(dir, { recursive: true })
      writeFileSync(file, c.ops.reduce(mutate, src.text))
      const before = list()
      out.inputs++
      try {
        await runWithOutputs(
          {
            mode: 'baseline',
            configPath: path.join(ws, 'perf-gate.yml'),
            resultsGlob: file,
            store: new LocalBaselineStore(storeDir),
            failOn: 'never',
            commit: { sha: 'a'.repeat(40), ref: null },
            context: { onGitHub: false },
            reporter: silentReporter
          },
          [
            filesOutput({
              outDir: path.join(ws, 'out'),
              rawDir: path.join(ws, 'raw'),
              reporter: silentReporter
            })
          ]
        )
        const added = list().filter((n) => !before.includes(n))
        const ok =
          added.length === 1 &&
          added.every((n) => {
            // A NaN that reached JSON.stringify would be stored as null: the reader rejects it.
            const set = parseResultSet(makeInput(n, readFileSync(path.join(testbedDir, n), 'utf8')))
            return badOutput(set.benchmarks) === null
          })
        if (ok) out.written++
        else {
          out.partial++
          out.examples.push(`${src.file}: written as ${added.join(', ') || 'nothing'}`)
        }
      } catch (e) {
        const after = list()
        if (!isUserError(e)) {
          out.uncaught++
          out.examples.push(
            `${src.file}: ${(e as Error).name}: ${(e as Error).message.slice(0, 120)}`
          )
        } else out.refused++
        if (after.join() !== before.join()) {
          out.partial++
          out.examples.push(`${src.file}: refused but the store changed`)
        }
      }
      removeDir(dir)
    }
  } finally {
    removeDir(ws)
  }
  return out
}

export interface FuzzReport {
  importers: FuzzTally
  config: FuzzTally
  baselineWrites: BaselineFuzz
  formats: string[]
  total: number
}

export async function fuzz(opts: RunOptions): Promise<FuzzReport> {
  const corpus = importCorpus()
  const importers = fuzzImporters(corpus, opts.quick ? 1_000 : 8_000, opts.seed)
  opts.log(`  importers: ${JSON.stringify({ ...importers, examples: undefined })}`)
  const config = fuzzConfig(opts.quick ? 400 : 2_500, opts.seed + 1)
  opts.log(`  config: ${JSON.stringify({ ...config, examples: undefined })}`)
  const baselineWrites = await fuzzBaselineWrites(corpus, opts.quick ? 40 : 300, opts.seed + 2)
  opts.log(`  baseline writes: ${JSON.stringify({ ...baselineWrites, examples: undefined })}`)
  return {
    importers,
    config,
    baselineWrites,
    formats: [...new Set(corpus.map((c) => c.format))].sort(),
    total: importers.inputs + config.inputs + baselineWrites.inputs
  }
}
