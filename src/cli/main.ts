import path from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_STORE, openStore, type BaselineStore } from '../baseline/index.js'
import { type RunContext } from '../types/run-context.js'
import { describeAssumed } from '../config/defaults.js'
import { loadConfig } from '../config/load.js'
import type { PerfGateConfig } from '../config/types.js'
import { errorMessage, isUserError, pathError, UserError } from '../errors.js'
import { type ThresholdsFor } from '../stats/compare-sets.js'
import { checkFingerprint, compareWithFingerprint } from '../engine/fingerprint-check.js'
import { withConfigMetrics, type FailOn, type JobMode } from '../engine/job.js'
import type { AbRequest } from '../engine/ab/index.js'
import { thresholdsFromConfig } from '../config/thresholds.js'
import { fileInput, importFile, parseResultSet } from '../importers/index.js'
import { streamReporter } from '../runners/progress.js'
import { localCommit } from '../runners/git.js'
import { localLineage } from '../engine/git-commit-graph.js'
import { DEFAULT_MAX_DISTANCE, selectBaseline } from '../engine/baseline-select.js'
import { shortSha } from '../shared/text.js'
import { runHistoryJob } from '../engine/history-mode.js'
import { unknownEnvironment } from '../results/environment.js'
import { RESULTS_SCHEMA_ID, RESULTS_VERSION, type ResultSet } from '../results/model.js'
import { filesOutput } from '../outputs/files.js'
import { runWithOutputs } from '../outputs/index.js'
import { jsonOutput, terminalOutput } from '../outputs/terminal.js'
import { sanitizeText, terminalText } from '../report/escape.js'
import { renderTerminalTable } from '../report/terminal.js'
import { isDashboardUrl } from '../report/dashboard-link.js'
import { DASHBOARD_USAGE, dashboardCommand } from './dashboard.js'
import { VERSION } from '../version.js'

export interface Io {
  stdout(text: string): void
  stderr(text: string): void
}

export const EXIT = { ok: 0, gateFailed: 1, usage: 2 } as const

const USAGE = `perf-gate ${VERSION}: stop performance regressions before they merge

Usage:
  perf-gate run      [options]   run the benchmarks; gate against the nearest baseline on
                                 HEAD's history (else the latest), or record the first
                                 baseline when there is none
  perf-gate gate     [options]   run and gate; never writes a baseline
  perf-gate baseline [options]   run and record the result as the new baseline
  perf-gate ab       [options]   measure the base commit and this tree in this job,
                                 interleaved, and gate the pairs; never writes a baseline
  perf-gate compare --baseline FILE --current FILE [--json] [--config FILE]
  perf-gate compare BASELINE CURRENT [--json]
  perf-gate compare --store SPEC [--repo OWNER/NAME] [--testbed NAME] [--base REF] CURRENT
                                 CURRENT against the store's baseline for the testbed
  perf-gate import FILE [--format NAME|auto] [--json]
  perf-gate history  [-c FILE] [--store SPEC] [--repo OWNER/NAME] [--testbed NAME] [--out DIR]
                     [--json]    change points over the stored baselines (never fails)
${DASHBOARD_USAGE}
Options for run, gate, baseline and ab:
  -c, --config FILE       config file (default perf-gate.yml)
      --results GLOB      import these result files instead of running benchmarks
      --store SPEC        baseline store: local:DIR (default ${DEFAULT_STORE}), or
                          git:BRANCH, the team's baselines on a branch of --repo, read
                          through the GitHub API with GITHUB_TOKEN (or GH_TOKEN) and
                          GITHUB_API_URL; written only by a trusted CI run
      --repo OWNER/NAME   the repository of a git: store (default GITHUB_REPOSITORY)
      --out DIR           where ledger.md, check-run.json and report.md go (default .perf-gate/out)
      --raw-dir DIR       where the raw results JSON goes (default benchmarks/results/raw)
      --fail-on LEVEL     fail | warn | never (default fail)
      --testbed NAME      override the config's testbed
      --repetitions N     override every benchmark's repetitions
      --note TEXT         note stored with a baseline
      --base REF          compare with the merge-base of REF and HEAD: its stored baseline, or
                          in an A/B run the commit itself (default: the nearest baseline on
                          HEAD's history; for A/B the merge-base with the default branch, on
                          that branch HEAD~1, or HEAD when the working tree has changes)
      --seed N            A/B: the seed of the visit order, to replay a run (default: random)
      --head-env NAME=VALUE
                          set NAME for this tree's commands only (repeatable): in an A/B
                          run the base's do not get it, so a change can be tried uncommitted
      --stored            run, gate: compare with stored baselines even if the config says ab: true
      --json              print the verdict and every metric as JSON instead of the table
      --max-distance N    ancestors searched for a baseline (default 50)
      --allow-fingerprint-changes KEYS
                          environment keys allowed to differ from the baseline's,
                          e.g. gpu.driver,ollama.*.model.digest
      --analyst-model M   Ollama model for the report's analyst narrative (OLLAMA_HOST);
                          without it a deterministic summary is written
      --dashboard-url URL where the history dashboard is published (an http(s) URL): the
                          report and the ledger link each metric to its chart there

Exit codes: 0 pass, warn or neutral; 1 the gate failed; 2 a usage or input error (a file
that cannot be written included); 3 an internal error; 130, 143, 129 stopped by SIGINT,
SIGTERM, SIGHUP (the benchmark's processes ended first).
`

export async function main(
  argv: string[],
  raw: Io,
  env: NodeJS.ProcessEnv = process.env
): Promise<number> {
  // Progress, warnings and errors quote names, units, paths and command output: none may steer
  // the terminal. stdout's renderers clean what they print themselves (JSON stays data).
  const io: Io = { stdout: (s) => raw.stdout(s), stderr: (s) => raw.stderr(terminalText(s)) }
  const [command, ...rest] = argv
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE)
        return command === undefined ? EXIT.usage : EXIT.ok
      case '-v':
      case '--version':
        io.stdout(`${VERSION}\n`)
        return EXIT.ok
      case 'run':
      case 'gate':
      case 'baseline':
      case 'ab':
        return await jobCommand(command, rest, io, env)
      case 'compare':
        return await compareCommand(rest, io, env)
      case 'import':
        return await importCommand(rest, io)
      case 'history':
        return await historyCommand(rest, io, env)
      case 'dashboard':
        return await dashboardCommand(rest, io, env)
      default:
        throw new UserError(`unknown command '${command}'; run 'perf-gate --help'`)
    }
  } catch (e) {
    const problem = isUserError(e) || isArgError(e) ? e : pathError(e)
    if (problem) {
      io.stderr(`perf-gate: ${errorMessage(problem)}\n`)
      return EXIT.usage
    }
    throw e
  }
}

async function jobCommand(
  command: JobMode | 'ab',
  args: string[],
  io: Io,
  env: NodeJS.ProcessEnv
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c', default: 'perf-gate.yml' },
      results: { type: 'string' },
      store: { type: 'string', default: env.PERF_GATE_STORE ?? DEFAULT_STORE },
      repo: { type: 'string' },
      out: { type: 'string', default: '.perf-gate/out' },
      'raw-dir': { type: 'string', default: 'benchmarks/results/raw' },
      'fail-on': { type: 'string', default: 'fail' },
      testbed: { type: 'string' },
      repetitions: { type: 'string' },
      note: { type: 'string' },
      'analyst-model': { type: 'string' },
      'dashboard-url': { type: 'string' },
      base: { type: 'string' },
      'max-distance': { type: 'string' },
      'allow-fingerprint-changes': { type: 'string' },
      seed: { type: 'string' },
      'head-env': { type: 'string', multiple: true },
      stored: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }
    },
    allowPositionals: false
  })
  const mode: JobMode = command === 'ab' ? 'gate' : command
  if (command === 'ab' && values.stored) throw new UserError('--stored cannot be used with ab')
  if (command === 'ab' && values.results)
    throw new UserError('ab measures both trees itself; --results cannot be used with it')
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed)
  const headEnv = parseEnvAssignments(values['head-env'] ?? [])
  const failOn = parseFailOn(values['fail-on'])
  const dashboardUrl = parseDashboardUrl(values['dashboard-url'])
  const repetitions =
    values.repetitions === undefined
      ? undefined
      : parsePositiveInt(values.repetitions, '--repetitions')
  const reporter = streamReporter((line) => io.stderr(`${line}\n`))
  // Kept as typed, so errors read `perf-gate.yml:12: …` rather than an absolute path.
  const configPath = values.config
  const store = await cliStore(values.store, values.repo, env, (m) => reporter.warning(m))
  const repoDir = path.dirname(path.resolve(configPath))
  const commit = await localCommit(repoDir)
  const maxDistance =
    values['max-distance'] === undefined
      ? undefined
      : parsePositiveInt(values['max-distance'], '--max-distance')
  const outputs = [
    // The terminal output lists the files on stdout: stderr keeps to progress.
    filesOutput({ outDir: values.out, rawDir: values['raw-dir'], reporter, announce: false }),
    values.json ? jsonOutput(io) : terminalOutput(io)
  ]
  // `ab` always runs A/B; run and gate do when the config says `ab: true` (unless --stored).
  const ab: AbRequest | undefined =
    command === 'baseline' || values.stored
      ? undefined
      : {
          base: values.base
            ? { kind: 'ref', ref: values.base }
            : { kind: 'default', dirty: commit.dirty === true },
          when: command === 'ab' ? 'always' : 'config',
          // The Quickstart's `run` must work in any clone: without a base commit it gates as before.
          ...(command === 'run' ? { fallback: true } : {}),
          ...(seed !== undefined ? { seed } : {})
        }
  const result = await runWithOutputs(
    {
      mode,
      configPath,
      ...(values.results ? { resultsGlob: values.results } : {}),
      store,
      failOn,
      lineage: await localLineage(repoDir, commit.sha ?? null, {
        ...(values.base ? { base: values.base } : {}),
        ...(maxDistance !== undefined ? { maxDistance } : {})
      }),
      allowFingerprintChanges: allowedKeys(values['allow-fingerprint-changes']),
      commit,
      context: await cliContext(env),
      reporter,
      ...(values.testbed ? { testbed: values.testbed } : {}),
      ...(repetitions !== undefined ? { repetitions } : {}),
      ...(Object.keys(headEnv).length ? { headEnv } : {}),
      ...(values.note ? { note: values.note } : {}),
      ...(dashboardUrl ? { dashboardUrl } : {}),
      ...(values['analyst-model']
        ? { analyst: { model: values['analyst-model'], host: env.OLLAMA_HOST } }
        : {}),
      ...(ab ? { ab } : {})
    },
    outputs
  )
  return result.failed ? EXIT.gateFailed : EXIT.ok
}

/** `--head-env NAME=VALUE`, repeatable. */
function parseEnvAssignments(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of items) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(item)
    if (!m?.[1]) throw new UserError(`--head-env must be NAME=VALUE, got '${item}'`)
    out[m[1]] = m[2] ?? ''
  }
  return out
}

function parseSeed(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32)
    throw new UserError(`--seed must be an integer from 0 to 4294967295, got '${v}'`)
  return n
}

async function historyCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c', default: 'perf-gate.yml' },
      store: { type: 'string', default: env.PERF_GATE_STORE ?? DEFAULT_STORE },
      repo: { type: 'string' },
      out: { type: 'string', default: '.perf-gate/out' },
      testbed: { type: 'string' },
      json: { type: 'boolean', default: false }
    },
    allowPositionals: false
  })
  const result = await runHistoryJob({
    configPath: values.config,
    store: await cliStore(values.store, values.repo, env, (m) => io.stderr(`warning: ${m}\n`)),
    outDir: values.out,
    ...(values.testbed ? { testbed: values.testbed } : {})
  })
  if (result.assumed) for (const line of describeAssumed(result.assumed)) io.stderr(`${line}\n`)
  io.stdout(values.json ? JSON.stringify(result.report, null, 2) + '\n' : result.markdown)
  io.stderr(`history: ${result.path}\n`)
  return EXIT.ok
}

async function compareCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      baseline: { type: 'string' },
      current: { type: 'string' },
      store: { type: 'string' },
      repo: { type: 'string' },
      testbed: { type: 'string' },
      base: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string', short: 'c' },
      format: { type: 'string', default: 'auto' },
      'fail-on': { type: 'string', default: 'fail' },
      'min-samples': { type: 'string' },
      'allow-fingerprint-changes': { type: 'string' }
    },
    allowPositionals: true
  })
  const failOn = parseFailOn(values['fail-on'])
  let config: PerfGateConfig | null = null
  let thresholdsFor: ThresholdsFor | undefined
  let minSamples: number | undefined
  if (values.config) {
    config = await loadConfig(values.config, { imported: true })
    thresholdsFor = thresholdsFromConfig(config)
    minSamples = config.minSamples
  }
  // The config's top-level metrics (cpu_time: { gate: true }) apply to both files alike.
  const configured = (set: ResultSet): ResultSet => (config ? withConfigMetrics(set, config) : set)
  if (values['min-samples'] !== undefined)
    minSamples = parsePositiveInt(values['min-samples'], '--min-samples')
  let baseline: ResultSet
  let current: ResultSet
  let baselineLabel = 'the baseline'
  let currentLabel = 'the current file'
  if (values.store !== undefined) {
    if (values.baseline !== undefined || positionals.length > 1) {
      throw new UserError(
        'compare --store takes the baseline from the store: give only the current result file'
      )
    }
    const currentFile = values.current ?? positionals[0]
    if (!currentFile)
      throw new UserError('compare --store needs the current result file; see --help')
    currentLabel = currentFile
    current = await readResultSet(currentFile, values.format)
    baseline = await storeBaseline(values.store, {
      repo: values.repo,
      testbed:
        values.testbed ??
        config?.testbed ??
        (current.testbed !== IMPORTED ? current.testbed : undefined),
      base: values.base,
      env,
      io
    })
  } else {
    for (const flag of ['repo', 'testbed', 'base'] as const) {
      if (values[flag] !== undefined) throw new UserError(`compare: --${flag} goes with --store`)
    }
    const baselineFile = values.baseline ?? positionals[0]
    const currentFile = values.current ?? (values.baseline ? positionals[0] : positionals[1])
    if (!baselineFile || !currentFile)
      throw new UserError('compare needs a baseline and a current result file; see --help')
    baseline = await readResultSet(baselineFile, values.format)
    current = await readResultSet(currentFile, values.format)
    baselineLabel = baselineFile
    currentLabel = currentFile
  }
  baseline = configured(baseline)
  current = configured(current)
  assertSharedBenchmarks(baseline, current, baselineLabel, currentLabel)
  // Machines are not checked (two files may come from anywhere), but the settings the tools
  // themselves report are: Go benchmarks at another GOMAXPROCS are not compared silently.
  const toolSettings = checkFingerprint(
    baseline.environment,
    current.environment,
    allowedKeys(values['allow-fingerprint-changes'])
  ).filter((d) => d.format !== undefined)
  const outcome = compareWithFingerprint(baseline, current, toolSettings, {
    ...(thresholdsFor ? { thresholdsFor } : {}),
    ...(minSamples !== undefined ? { minSamples } : {}),
    ...(config?.fromZero ? { fromZero: config.fromZero } : {})
  })
  if (values.json) {
    const metrics = outcome.comparisons.map((c) => ({
      benchmark: c.benchmark,
      metric: c.metric,
      verdict: c.verdict,
      change: c.change,
      ci: c.ci ? c.ci.map(jsonNumber) : null,
      unit: c.unit,
      direction: c.direction,
      inconclusive: c.inconclusive,
      improved: c.improved,
      ...(c.absoluteChange !== undefined && c.change === null
        ? { absoluteChange: c.absoluteChange }
        : {}),
      reason: c.reason
    }))
    io.stdout(
      JSON.stringify(
        { verdict: outcome.verdict, route: outcome.route, reason: outcome.reason, metrics },
        null,
        2
      ) + '\n'
    )
  } else {
    io.stdout(renderTerminalTable(outcome))
  }
  const failed =
    failOn !== 'never' &&
    (outcome.verdict === 'fail' || (failOn === 'warn' && outcome.verdict === 'warn'))
  return failed ? EXIT.gateFailed : EXIT.ok
}

async function importCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false }
    },
    allowPositionals: true
  })
  const file = positionals[0]
  if (!file || positionals.length > 1)
    throw new UserError('import needs exactly one FILE; see --help')
  const set = await readResultSet(file, values.format)
  if (values.json) {
    io.stdout(JSON.stringify(set, null, 2) + '\n')
    return EXIT.ok
  }
  // Names and units come from the file: a terminal must not act on what they contain.
  const clean = (text: string) => sanitizeText(text, { maxLength: 200 })
  for (const b of set.benchmarks) {
    for (const m of b.metrics) {
      io.stdout(
        `${clean(b.name)} / ${clean(m.name)}: ${m.samples.length} samples, ${clean(m.unit)}, ${m.direction} is better, ${m.class}\n`
      )
    }
  }
  return EXIT.ok
}

/**
 * The baseline a current result file is compared with, from a store: chosen as `gate` chooses it
 * (the merge-base of --base and HEAD, else the nearest baseline on HEAD's history, else the
 * latest), for the testbed named by --testbed, the config or the file itself.
 */
async function storeBaseline(
  spec: string,
  opts: {
    repo: string | undefined
    testbed: string | undefined
    base: string | undefined
    env: NodeJS.ProcessEnv
    io: Io
  }
): Promise<ResultSet> {
  if (!opts.testbed) {
    throw new UserError(
      'compare --store needs the testbed the baselines are kept under: pass --testbed NAME (or --config FILE)'
    )
  }
  const store = await cliStore(spec, opts.repo, opts.env, (m) => opts.io.stderr(`warning: ${m}\n`))
  const cwd = process.cwd()
  const commit = await localCommit(cwd)
  const lineage = await localLineage(cwd, commit.sha ?? null, opts.base ? { base: opts.base } : {})
  const choice = await selectBaseline(store, opts.testbed, {
    graph: lineage.graph,
    target: lineage.target,
    maxDistance: lineage.maxDistance ?? DEFAULT_MAX_DISTANCE,
    now: new Date()
  })
  const where = `${store.location}${opts.repo ? ` of ${opts.repo}` : ''}`
  if (!choice.stored) {
    throw new UserError(
      `no baseline to compare with in ${where} for testbed '${opts.testbed}'${choice.reason ? `: ${choice.reason}` : ''}`
    )
  }
  const b = choice.stored.results
  opts.io.stderr(
    `baseline: ${shortSha(b.commit.sha) ?? 'no commit'} recorded ${b.createdAt}, testbed ${b.testbed} (${choice.how ?? 'latest'}${choice.distance ? `, ${choice.distance} commits back` : ''}; ${where})\n`
  )
  if (choice.reason) opts.io.stderr(`baseline: ${choice.reason}\n`)
  return b
}

/** A git: store loads the GitHub client only when asked for, to keep the CLI's start-up lean. */
async function cliStore(
  spec: string,
  repo: string | undefined,
  env: NodeJS.ProcessEnv,
  onWarning: (m: string) => void
): Promise<BaselineStore> {
  if (repo === undefined && !/^\s*git:/.test(spec)) {
    return openStore(spec, { cwd: process.cwd(), onWarning })
  }
  const { openCliStore } = await import('./store.js')
  return openCliStore(spec, { repo, cwd: process.cwd(), env, onWarning })
}

const IMPORTED = 'imported'

/** Any supported file as a result set; files from other tools get an "unknown" environment. */
async function readResultSet(file: string, format: string): Promise<ResultSet> {
  // Streamed where the format allows; a missing or unreadable file is a clear error from there.
  const got = await importFile(file, format, { class: 'non-critical' })
  // perf-gate's own document also carries the commit, testbed and environment.
  if (got.format === 'perf-gate') return parseResultSet(fileInput(file))
  return {
    $schema: RESULTS_SCHEMA_ID,
    version: RESULTS_VERSION,
    testbed: IMPORTED,
    createdAt: new Date(0).toISOString(),
    commit: { sha: null },
    // The machine is unknown; the tool's own settings (Go's GOMAXPROCS) are not.
    environment: { ...unknownEnvironment(), ...got.fingerprint },
    benchmarks: got.benchmarks
  }
}

/** `--allow-fingerprint-changes a,b c` as a list of keys. */
function allowedKeys(v: string | undefined): string[] {
  return (v ?? '').split(/[\s,]+/).filter((k) => k !== '')
}

/**
 * Two files with no benchmark in common compare as a table of "new" and "not measured" rows and
 * a neutral pass, which reads as a success: it is a usage error (the wrong file, or a benchmark
 * renamed on one side), named with what each side holds.
 */
function assertSharedBenchmarks(
  baseline: ResultSet,
  current: ResultSet,
  baselineLabel: string,
  currentLabel: string
): void {
  const names = new Set(baseline.benchmarks.map((b) => b.name))
  if (current.benchmarks.some((b) => names.has(b.name))) return
  const holds = (label: string, set: ResultSet): string => {
    const formats = [...new Set(set.benchmarks.map((b) => b.source?.format ?? 'perf-gate'))]
    const list = set.benchmarks.map((b) => b.name)
    const shown = list.slice(0, 5).join(', ') + (list.length > 5 ? `, … (${list.length})` : '')
    return `${label} (${formats.join(', ')}) holds ${sanitizeText(shown, { maxLength: 300 })}`
  }
  throw new UserError(
    `nothing to compare: the two sides share no benchmark; ${holds(baselineLabel, baseline)}; ${holds(currentLabel, current)}`
  )
}

/** JSON has no Infinity: an unbounded CI end is written as null. */
function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null
}

/** `--dashboard-url`, held to the action's `dashboard-url` rule: the ledger links to it. */
function parseDashboardUrl(v: string | undefined): string | undefined {
  if (v === undefined) return undefined
  if (!isDashboardUrl(v)) throw new UserError(`--dashboard-url must be an http(s) URL, got '${v}'`)
  return v
}

function parseFailOn(v: string): FailOn {
  if (v === 'fail' || v === 'warn' || v === 'never') return v
  throw new UserError(`--fail-on must be fail, warn or never, got '${v}'`)
}

function parsePositiveInt(v: string, name: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`${name} must be an integer >= 1, got '${v}'`)
  return n
}

function isArgError(e: unknown): boolean {
  // node:util parseArgs reports unknown or malformed options with these codes.
  const code = (e as { code?: string } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
}

/**
 * Off GitHub the user owns the store. On a GitHub runner the CLI keeps the action's rule (baselines
 * only from push or workflow_dispatch on the default branch): a pull request job running
 * `perf-gate run` or `baseline` on a persistent self-hosted runner must not leave a baseline there
 * for later trusted runs to gate against. Imported only on a runner, to keep start-up lean.
 */
async function cliContext(env: NodeJS.ProcessEnv): Promise<RunContext> {
  if (env.GITHUB_ACTIONS !== 'true') return { onGitHub: false }
  const { readWorkflowRun } = await import('../github/context.js')
  return readWorkflowRun(env).context
}
