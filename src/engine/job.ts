import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../baseline/atomic-write.js'
import type { BaselineEntry, BaselineStore, StoredBaseline } from '../baseline/store.js'
import { baselineWriteDecision, type RunContext } from '../baseline/trust.js'
import { loadConfig } from '../config/load.js'
import { resolveThresholds } from '../config/thresholds.js'
import type { BenchmarkSpec, PerfGateConfig } from '../config/types.js'
import { isUserError, UserError } from '../errors.js'
import { importFiles, type ImportedFile } from '../importers/index.js'
import { adaptiveFailAlpha, runBenchmarks } from '../runners/index.js'
import { hostEnvironment } from '../runners/environment.js'
import type { Reporter } from '../runners/progress.js'
import {
  RESULTS_SCHEMA_ID,
  RESULTS_VERSION,
  type Benchmark,
  type Commit,
  type ResultSet
} from '../results/model.js'
import { renderCheckRun, type CheckRunPayload } from '../report/check-run.js'
import { renderLedger } from '../report/ledger.js'
import { writeReportOutputs, type AnalystOptions } from '../report/outputs.js'
import { renderReport } from '../report/summary.js'
import type { Acceptance, GateReport } from '../report/types.js'
import type { GateOutcome, Verdict } from '../stats/types.js'
import { noBaselineOutcome, type ThresholdsFor } from './compare-sets.js'
import {
  DEFAULT_MAX_DISTANCE,
  selectBaseline,
  type BaselineChoice,
  type BaselineTarget,
  type CommitGraph
} from './baseline-select.js'
import {
  checkFingerprint,
  compareWithFingerprint,
  importedEnvironment
} from './fingerprint-check.js'
import { trendHistory } from './history.js'
import { selectBenchmarks, type ShardSelection } from './shard.js'

/**
 * - `run`: the local main job: gate against the latest baseline, or record the first one.
 * - `gate`: compare with the baseline and never write one (pull requests).
 * - `baseline`: record this run as the new baseline, trusted events only.
 */
export type JobMode = 'run' | 'gate' | 'baseline'
export type FailOn = 'fail' | 'warn' | 'never'

export interface JobOptions {
  mode: JobMode
  configPath: string
  /** Import these result files instead of running the benchmarks. */
  resultsGlob?: string
  /** Import exactly these files (a downloaded artifact's, already checked). */
  resultsFiles?: string[]
  /**
   * Gate this result set as it is (mode merge: the shards' sets, merged and checked), or the
   * function that reads it once the job has started, so a failed read shows on the check run.
   */
  resultSet?: ResultSet | (() => Promise<ResultSet>)
  /** Run only these benchmarks of the config (a shard of a matrix). */
  select?: ShardSelection
  store: BaselineStore
  /** Ledger, check-run payload and report go here. */
  outDir: string
  /** Raw results JSON goes here; relative paths are taken from the config's folder. */
  rawDir: string
  failOn: FailOn
  commit: Commit
  context: RunContext
  reporter: Reporter
  testbed?: string
  repetitions?: number
  note?: string
  runId?: string
  runUrl?: string
  now?: () => Date
  /** Called once the config is loaded and the run allowed, before any benchmark runs or is read. */
  onStart?: (config: PerfGateConfig) => Promise<void>
  /**
   * Called with the gate's outcome before anything is rendered; may return it amended, e.g. a
   * regression accepted on the pull request (Route B).
   */
  review?: (outcome: GateOutcome) => { outcome: GateOutcome; acceptance?: Acceptance } | null
  /** Which baseline to compare with; without it, the testbed's latest. */
  lineage?: { graph: CommitGraph | null; target: BaselineTarget; maxDistance?: number }
  /** Environment keys allowed to differ from the baseline's (`allow-fingerprint-changes`). */
  allowFingerprintChanges?: string[]
  /** The analyst narrative's model (`analyst-model`); without it a deterministic summary. */
  analyst?: AnalystOptions
  /** Report files go here; relative paths are taken from the config's folder. */
  reportsDir?: string
  /** Milliseconds for the workflow summary's phase times; tests may pin it. */
  clock?: () => number
  /** Where the history dashboard is published (`dashboard-url`): metrics link to their charts. */
  dashboardUrl?: string
}

export interface JobResult {
  outcome: GateOutcome
  report: GateReport
  checkRun: CheckRunPayload
  ledger: string
  summary: string
  baseline: StoredBaseline | null
  /** How the baseline was chosen, or why none was. */
  baselineChoice: BaselineChoice
  baselineWritten: BaselineEntry | null
  paths: {
    results: string
    report: string
    ledger: string
    checkRun: string
    /** `benchmarks/results/reports/<date>_<sha7>.md`; `report` holds the same content. */
    reportFile: string
    /** docs/models/models-registry.md, when this trusted baseline run updated it. */
    registry: string | null
  }
  /** True when the verdict reaches `fail-on`. */
  failed: boolean
  /** The config as run (overrides applied): benchmark lines for annotations. */
  config: PerfGateConfig
}

const SEVERITY: Record<Verdict, number> = { neutral: 0, pass: 0, warn: 1, fail: 2 }

export function reachesFailOn(verdict: Verdict, failOn: FailOn): boolean {
  if (failOn === 'never') return false
  return SEVERITY[verdict] >= SEVERITY[failOn]
}

export async function runJob(opts: JobOptions): Promise<JobResult> {
  const now = opts.now ?? (() => new Date())
  const clock = opts.clock ?? (() => performance.now())
  const started = clock()
  const config = applyOverrides(await loadConfig(opts.configPath), opts)
  const { reporter } = opts

  // Refuse before spending an hour of GPU time on a baseline that could not be stored.
  if (opts.mode === 'baseline') {
    const trust = baselineWriteDecision(opts.context)
    if (!trust.allowed)
      throw new UserError(`mode 'baseline' refused: ${trust.reason}. Nothing was written.`)
  }
  await opts.onStart?.(config)
  const configLoaded = clock()

  const source = opts.resultsFiles ?? opts.resultsGlob
  // Read before running: adaptive sampling compares with the baseline as the runs come in.
  const choice = await selectBaseline(opts.store, config.testbed, {
    graph: opts.lineage?.graph ?? null,
    target: opts.lineage?.target ?? { kind: 'latest' },
    maxDistance: opts.lineage?.maxDistance ?? DEFAULT_MAX_DISTANCE,
    now: now()
  })
  const baseline = choice.stored
  const thresholdsFor = thresholdsFromConfig(config)
  const compareOptions = {
    thresholdsFor,
    minSamples: config.minSamples,
    // Merged shard results were run by runBenchmarks too, so their adaptive plans count here.
    ...(baseline && !source ? { failAlphaFor: adaptiveFailAlpha(config) } : {})
  }
  const current = opts.resultSet
    ? await givenResults(opts.resultSet, config)
    : source
      ? await importResults(source, config, opts.commit, now())
      : await runBenchmarks(config, {
          commit: opts.commit,
          reporter,
          now: now(),
          baseline: baseline?.results ?? null,
          compare: compareOptions
        })
  if (opts.note) current.note = opts.note
  const resultsRead = clock()

  const rawDir = path.resolve(config.dir, opts.rawDir)
  const resultsPath = path.join(
    rawDir,
    `${fileStamp(current.createdAt)}_${shortSha(current.commit.sha)}.json`
  )
  await writeFileAtomic(resultsPath, JSON.stringify(current, null, 2) + '\n')
  reporter.info(`results: ${resultsPath}`)

  let outcome: GateOutcome
  const fingerprint = baseline
    ? checkFingerprint(
        baseline.results.environment,
        current.environment,
        opts.allowFingerprintChanges ?? []
      )
    : []
  if (baseline) {
    reporter.info(
      `baseline: ${shortSha(baseline.results.commit.sha)} from ${baseline.results.createdAt} (${choice.how}${choice.distance ? `, ${choice.distance} commits back` : ''}; ${opts.store.location})`
    )
    // A fallback to the latest baseline weakens the comparison, so it is shown as a warning.
    if (choice.reason) {
      if (choice.how === 'latest') reporter.warning(`baseline: ${choice.reason}`)
      else reporter.info(`baseline: ${choice.reason}`)
    }
    outcome = compareWithFingerprint(baseline.results, current, fingerprint, compareOptions)
  } else {
    outcome = noBaselineOutcome(current, choice.reason, thresholdsFor)
  }

  let baselineWritten: BaselineEntry | null = null
  const recordFirst =
    opts.mode === 'run' && !baseline && baselineWriteDecision(opts.context).allowed
  if (opts.mode === 'baseline' || recordFirst) {
    baselineWritten = await opts.store.write(current)
    reporter.info(`baseline recorded: ${baselineWritten.id} in ${opts.store.location}`)
    if (recordFirst) {
      outcome = {
        ...outcome,
        reason: `${outcome.reason}; this run was recorded as the baseline, the next run is gated against it`
      }
    }
  }

  const reviewed = opts.mode === 'baseline' ? null : (opts.review?.(outcome) ?? null)
  if (reviewed) outcome = reviewed.outcome

  const history = await opts.store.history(config.testbed, 12)
  const report: GateReport = {
    outcome,
    testbed: config.testbed,
    current: { sha: current.commit.sha, createdAt: current.createdAt },
    baseline: baseline
      ? { sha: baseline.results.commit.sha, createdAt: baseline.results.createdAt }
      : null,
    ...(baseline && choice.how
      ? {
          baselineUsed: {
            how: choice.how,
            commit: choice.commit,
            distance: choice.distance,
            walkedFrom: choice.walkedFrom,
            recordedAt: choice.date ?? baseline.results.createdAt,
            ageMs: choice.ageMs,
            testbed: config.testbed,
            ...(choice.reason ? { note: choice.reason } : {})
          }
        }
      : {}),
    ...(!baseline ? { baselineMissing: choice.reason } : {}),
    ...(fingerprint.length > 0 ? { fingerprint } : {}),
    timestamp: now().toISOString(),
    history: trendHistory(
      history.map((h) => h.results),
      baselineWritten ? null : current
    ),
    ...(opts.runId ? { runId: opts.runId } : {}),
    ...(opts.runUrl ? { runUrl: opts.runUrl } : {}),
    ...(reviewed?.acceptance ? { acceptance: reviewed.acceptance } : {}),
    ...(opts.dashboardUrl ? { dashboardUrl: opts.dashboardUrl } : {})
  }

  const analysed = clock()
  const outDir = path.resolve(opts.outDir)
  const paths: JobResult['paths'] = {
    results: resultsPath,
    report: path.join(outDir, 'report.md'),
    ledger: path.join(outDir, 'ledger.md'),
    checkRun: path.join(outDir, 'check-run.json'),
    reportFile: path.join(outDir, 'report.md'),
    registry: null
  }
  // The local ledger plays the part of the PR comment: kept across runs, so its hop log grows.
  const ledger = renderLedger(await readIfExists(paths.ledger), report)
  const checkRun = renderCheckRun(report, {
    headSha: current.commit.sha,
    ...(opts.runUrl ? { detailsUrl: opts.runUrl } : {})
  })
  const summary = renderReport(report)
  await writeFileAtomic(paths.ledger, ledger)
  await writeFileAtomic(paths.checkRun, JSON.stringify(checkRun, null, 2) + '\n')
  const files = await writeReportOutputs({
    report,
    current,
    baseline: baseline?.results ?? null,
    comparisons: config.comparisons ?? [],
    configDir: config.dir,
    configFile: config.file,
    ...(opts.reportsDir ? { reportsDir: opts.reportsDir } : {}),
    outDir,
    resultsPath,
    ledgerPath: paths.ledger,
    // Only a trusted run that stored a baseline: never a pull request.
    baselineWritten: baselineWritten !== null,
    ...(opts.analyst ? { analyst: opts.analyst } : {}),
    phasesMs: {
      ...(source || opts.resultSet
        ? { ingesting: resultsRead - started }
        : { ingesting: configLoaded - started, benchmarking: resultsRead - configLoaded }),
      analysing: analysed - resultsRead,
      reporting: clock() - analysed
    },
    clock
  })
  paths.reportFile = files.reportFile
  paths.registry = files.registry
  if (files.analyst.note) reporter.info(`analyst: ${files.analyst.note}`)
  reporter.info(`report: ${files.reportFile}`)

  const failed = opts.mode !== 'baseline' && reachesFailOn(outcome.verdict, opts.failOn)
  return {
    outcome,
    report,
    checkRun,
    ledger,
    summary,
    baseline,
    baselineChoice: choice,
    baselineWritten,
    paths,
    failed,
    config
  }
}

function applyOverrides(config: PerfGateConfig, opts: JobOptions): PerfGateConfig {
  let out = config
  if (opts.testbed) out = { ...out, testbed: opts.testbed }
  if (opts.select) out = selectBenchmarks(out, opts.select)
  if (opts.repetitions !== undefined) {
    const n = opts.repetitions
    out = {
      ...out,
      repetitions: n,
      benchmarks: out.benchmarks.map((b) => ({ ...b, repetitions: n }))
    }
  }
  return out
}

/** Thresholds for a result benchmark, found through the config entry that produced it. */
export function thresholdsFromConfig(config: PerfGateConfig): ThresholdsFor {
  const specFor = (bench: string): BenchmarkSpec | undefined =>
    config.benchmarks.find((s) => s.name === bench) ??
    config.benchmarks.find((s) => bench.startsWith(`${s.name}/`))
  return (bench, metric) => {
    const spec = specFor(bench)
    if (spec) return resolveThresholds(config, spec, metric.name, metric.class)
    const t = metric.class === 'core' ? config.thresholds.core : config.thresholds.nonCritical
    const m = Object.hasOwn(config.thresholds.metrics, metric.name)
      ? config.thresholds.metrics[metric.name]
      : undefined
    return { warn: m?.warn ?? t.warn, fail: m?.fail !== undefined ? m.fail : t.fail }
  }
}

async function importResults(
  pattern: string | string[],
  config: PerfGateConfig,
  commit: Commit,
  now: Date
): Promise<ResultSet> {
  // A directory, a glob or files of mixed formats, each detected from its content.
  const patterns = Array.isArray(pattern) ? pattern : [pattern]
  const benchmarks: Benchmark[] = []
  const files: ImportedFile[] = []
  const from = new Map<string, string>()
  for (const p of patterns) {
    const got = await importFiles(p, 'auto', { class: 'non-critical' }).catch((e: unknown) => {
      throw isUserError(e) ? new UserError(`results: ${e.message}`) : e
    })
    files.push(...got.files)
    for (const b of got.benchmarks) {
      const file = b.source?.file ?? p
      const other = from.get(b.name)
      if (other !== undefined)
        throw new UserError(
          `benchmark '${b.name}' is also in ${other}: each benchmark must come from one file`,
          { file }
        )
      from.set(b.name, file)
      benchmarks.push(b)
    }
  }
  return {
    $schema: RESULTS_SCHEMA_ID,
    version: RESULTS_VERSION,
    testbed: config.testbed,
    createdAt: now.toISOString(),
    commit,
    // The measuring machine's fingerprint, when the files carry it, is what a baseline must match.
    environment: importedEnvironment(files) ?? hostEnvironment(),
    benchmarks
  }
}

async function givenResults(
  given: ResultSet | (() => Promise<ResultSet>),
  config: PerfGateConfig
): Promise<ResultSet> {
  const set = typeof given === 'function' ? await given() : structuredClone(given)
  if (set.testbed !== config.testbed) {
    throw new UserError(
      `the results are for testbed '${set.testbed}' but this job gates testbed '${config.testbed}' (${config.file} or input 'testbed')`
    )
  }
  return set
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return null
  }
}

export function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 7) : 'nosha'
}

function fileStamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}
