import type { AnalystOptions } from '../analyst/section.js'
import type { BaselineEntry, BaselineStore, StoredBaseline } from '../baseline/store.js'
import { baselineWriteDecision } from '../baseline/trust.js'
import { describeAssumed, loadConfigOrDefaults, type AssumedConfig } from '../config/defaults.js'
import { targetsFromConfig } from '../config/targets.js'
import { thresholdsFromConfig } from '../config/thresholds.js'
import type { PerfGateConfig } from '../config/types.js'
import { UserError } from '../errors.js'
import { importResultSet } from '../importers/index.js'
import type { Commit, ResultSet } from '../results/model.js'
import { adaptiveFailAlpha, applyMetricOverrides, runBenchmarks } from '../runners/index.js'
import { hostEnvironment } from '../runners/environment.js'
import type { Reporter } from '../runners/progress.js'
import { shortSha } from '../shared/text.js'
import { noBaselineOutcome, type CompareOptions } from '../stats/compare-sets.js'
import { budgetPct } from '../stats/format.js'
import { DEFAULT_MAX_JOBS } from '../stats/history-rule.js'
import { withSweepFigures } from '../stats/sweep.js'
import { applyTargets } from '../stats/targets.js'
import type { GateOutcome, Verdict } from '../stats/types.js'
import type { BaselineTarget, CommitGraph } from '../types/lineage.js'
import type { AbRun, Acceptance, GateReport, WorkflowFacts } from '../types/report.js'
import type { RunContext } from '../types/run-context.js'
import { runBuilds } from '../runners/build.js'
import { compareAb, measureAb, planAb, type AbPlan, type AbRequest } from './ab/index.js'
import { analyse, type Analysis, type Decision } from './analyse.js'
import {
  DEFAULT_MAX_DISTANCE,
  noBaseline,
  selectBaseline,
  type BaselineChoice
} from './baseline-select.js'
import { checkFingerprint, compareWithFingerprint, usableHistory } from './fingerprint-check.js'
import { selectBenchmarks, type ShardSelection } from './shard.js'

/*
 * The job both fronts run, as named phases in the order they happen: load the config, choose the
 * baseline, measure (or import), compare, decide, analyse. It returns what was decided; writing
 * and posting it is the outputs' work (src/outputs/), so nothing here renders or publishes. An A/B
 * run (src/engine/ab/) measures the base commit beside this tree and compares the pairs, in place
 * of the measure and compare phases.
 */

/**
 * - `run`: the local main job: gate against the latest baseline, or record the first one.
 * - `gate`: compare with the baseline and never write one (pull requests).
 * - `baseline`: record this run as the new baseline, trusted events only.
 */
export type JobMode = 'run' | 'gate' | 'baseline'
export type FailOn = 'fail' | 'warn' | 'never'

/** A reviewer's amendment of the verdict before it is final (Route B: an accepted regression). */
export type Review = (
  outcome: GateOutcome
) => { outcome: GateOutcome; acceptance?: Acceptance } | null

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
  failOn: FailOn
  commit: Commit
  context: RunContext
  reporter: Reporter
  testbed?: string
  repetitions?: number
  /**
   * Environment of this tree's commands only (`--head-env`): in an A/B run the base's visits do
   * not get it, so a change can be tried without committing it.
   */
  headEnv?: Record<string, string>
  note?: string
  runId?: string
  runUrl?: string
  now?: () => Date
  /** Called once the config is loaded and the run allowed, before any benchmark runs or is read. */
  onStart?: (config: PerfGateConfig) => Promise<void>
  /** Called with the gate's outcome before the analysis; may return it amended. */
  review?: Review
  /** Which baseline to compare with; without it, the testbed's latest. */
  lineage?: { graph: CommitGraph | null; target: BaselineTarget; maxDistance?: number }
  /** Environment keys allowed to differ from the baseline's (`allow-fingerprint-changes`). */
  allowFingerprintChanges?: string[]
  /** The analyst narrative's model (`analyst-model`); without it a deterministic summary. */
  analyst?: AnalystOptions
  /** Milliseconds for the workflow summary's phase times; tests may pin it. */
  clock?: () => number
  /**
   * Measure the base commit and this tree in this job, interleaved (A/B), instead of comparing
   * with a stored baseline: always, or when the config says `ab: true`. Never for `baseline`.
   */
  ab?: AbRequest
  /** Where the history dashboard is published (`dashboard-url`): metrics link to their charts. */
  dashboardUrl?: string
}

/** What the job decided, and everything an output needs to show it. */
export interface DecidedJob {
  mode: JobMode
  /** The config as run (overrides applied): benchmark lines for annotations, report folders. */
  config: PerfGateConfig
  /** There was no config file and the run imported results: what it assumed instead. */
  assumed: AssumedConfig | null
  current: ResultSet
  baseline: StoredBaseline | null
  /** How the baseline was chosen, or why none was. */
  baselineChoice: BaselineChoice
  baselineWritten: BaselineEntry | null
  outcome: GateOutcome
  /** The report model every renderer draws. */
  report: GateReport
  analysis: Analysis & {
    /** Phase times so far; the outputs add the time they take to report. */
    phasesMs: WorkflowFacts['phasesMs']
  }
  /** True when the verdict reaches `fail-on`. */
  failed: boolean
  /** An A/B run: how it ran, and the base's arm. */
  ab?: { run: AbRun; base: ResultSet }
}

const SEVERITY: Record<Verdict, number> = { neutral: 0, pass: 0, warn: 1, fail: 2 }

export function reachesFailOn(verdict: Verdict, failOn: FailOn): boolean {
  if (failOn === 'never') return false
  return SEVERITY[verdict] >= SEVERITY[failOn]
}

export async function runJob(opts: JobOptions): Promise<DecidedJob> {
  const now = opts.now ?? (() => new Date())
  const clock = opts.clock ?? (() => performance.now())
  const started = clock()
  const { config, assumed } = await loadJobConfig(opts)
  await opts.onStart?.(config)
  const configLoaded = clock()

  // An A/B run measures the base itself; only `file` benchmarks still need a stored baseline.
  const ab = await planAb(opts.ab, config, {
    mode: opts.mode,
    imported: isImported(opts),
    reporter: opts.reporter
  })
  // Chosen before measuring: adaptive sampling compares with the baseline as the runs come in.
  const choice = await chooseBaseline(opts, config, now(), ab)
  const compareOptions = compareOptionsFor(opts, config, choice)
  const abMeasured = ab ? await measureAb(ab, config, abMeasureOptions(opts, config, now())) : null
  const current =
    abMeasured?.current ?? (await measure(opts, config, choice, compareOptions, now()))
  const measured = clock()

  const compared = abMeasured
    ? compareAb(abMeasured, choice, opts.allowFingerprintChanges ?? [])
    : compare(opts, choice, current, compareOptions)
  // Absolute targets hold with or without a baseline; they join the verdict before any review.
  // An A/B run is held to the base's targets: a pull request cannot loosen or drop its own.
  compared.outcome = applyTargets(
    compared.outcome,
    current,
    abMeasured?.judge.targetsFor ?? targetsFromConfig(config)
  )
  const abResult = abMeasured ? { run: abMeasured.run, base: abMeasured.base } : undefined
  const decided = await decide(opts, choice, current, compared, ab)
  const report = await analyse(
    opts,
    config,
    choice,
    current,
    decided,
    compared.fingerprint,
    now,
    abResult
  )
  const analysed = clock()
  const imported = isImported(opts)
  const phasesMs: WorkflowFacts['phasesMs'] = {
    ...(imported
      ? { ingesting: measured - started }
      : { ingesting: configLoaded - started, benchmarking: measured - configLoaded }),
    analysing: analysed - measured
  }
  return {
    mode: opts.mode,
    config,
    assumed,
    current,
    baseline: choice.stored,
    baselineChoice: choice,
    baselineWritten: decided.baselineWritten,
    outcome: decided.outcome,
    report: report.report,
    analysis: { ...report.analysis, phasesMs },
    failed: opts.mode !== 'baseline' && reachesFailOn(decided.outcome.verdict, opts.failOn),
    ...(abResult ? { ab: abResult } : {})
  }
}

function isImported(opts: JobOptions): boolean {
  return Boolean(opts.resultsFiles ?? opts.resultsGlob ?? opts.resultSet)
}

function abMeasureOptions(
  opts: JobOptions,
  config: PerfGateConfig,
  now: Date
): Parameters<typeof measureAb>[2] {
  return {
    commit: opts.commit,
    reporter: opts.reporter,
    now,
    ...(opts.testbed ? { testbed: opts.testbed } : {}),
    ...(opts.repetitions !== undefined ? { repetitions: opts.repetitions } : {}),
    // A shard job measures its share of the head's benchmarks, and the base's of the same names.
    ...(opts.select ? { only: config.benchmarks.map((b) => b.name) } : {})
  }
}

/**
 * Phase 1: the config with the run's overrides; a baseline run is refused before any work. A run
 * that imports result files needs no config file: without one it runs on the defaults.
 */
async function loadJobConfig(
  opts: JobOptions
): Promise<{ config: PerfGateConfig; assumed: AssumedConfig | null }> {
  const imported = Boolean(opts.resultsGlob ?? opts.resultsFiles)
  const loaded = await loadConfigOrDefaults(opts.configPath, {
    imported: imported && !opts.select,
    testbed: opts.testbed
  })
  let config = loaded.config
  if (loaded.assumed) for (const line of describeAssumed(loaded.assumed)) opts.reporter.info(line)
  if (opts.testbed) config = { ...config, testbed: opts.testbed }
  if (opts.select) config = selectBenchmarks(config, opts.select)
  const headEnv = opts.headEnv
  if (headEnv && Object.keys(headEnv).length > 0) {
    config = {
      ...config,
      benchmarks: config.benchmarks.map((b) =>
        b.kind === 'command' ? { ...b, env: { ...b.env, ...headEnv } } : b
      )
    }
  }
  if (opts.repetitions !== undefined) {
    const n = opts.repetitions
    config = {
      ...config,
      repetitions: n,
      benchmarks: config.benchmarks.map((b) => ({ ...b, repetitions: n }))
    }
  }
  // Refuse before spending an hour of GPU time on a baseline that could not be stored.
  if (opts.mode === 'baseline') {
    const trust = baselineWriteDecision(opts.context, opts.store)
    if (!trust.allowed)
      throw new UserError(`mode 'baseline' refused: ${trust.reason}. Nothing was written.`)
  }
  return { config, assumed: loaded.assumed }
}

/** Phase 2: the stored baseline this run is compared with, or why there is none. */
async function chooseBaseline(
  opts: JobOptions,
  config: PerfGateConfig,
  now: Date,
  ab: AbPlan | null
): Promise<BaselineChoice> {
  if (ab && !config.benchmarks.some((b) => b.kind === 'file')) {
    return noBaseline(config.testbed, 'an A/B run compares with the base measured in the same job')
  }
  const choice = await selectBaseline(opts.store, config.testbed, {
    graph: opts.lineage?.graph ?? null,
    target: opts.lineage?.target ?? { kind: 'latest' },
    maxDistance: opts.lineage?.maxDistance ?? DEFAULT_MAX_DISTANCE,
    now,
    // The history-aware rule compares with the stored jobs; `runner-drift: 0` needs only one.
    historyJobs: config.runnerDrift > 0 ? DEFAULT_MAX_JOBS : 1
  })
  const baseline = choice.stored
  if (baseline) {
    opts.reporter.info(
      `baseline: ${shortSha(baseline.results.commit.sha) ?? 'no commit'} from ${baseline.results.createdAt} (${choice.how}${choice.distance ? `, ${choice.distance} commits back` : ''}; ${opts.store.location})`
    )
    if (choice.history && choice.history.length > 1) {
      opts.reporter.info(
        `baseline: ${choice.history.length} stored jobs on its history are compared with (runner-drift ${budgetPct(config.runnerDrift)})`
      )
    }
    // A fallback to the latest baseline weakens the comparison, so it is shown as a warning.
    if (choice.reason) {
      if (choice.how === 'latest') opts.reporter.warning(`baseline: ${choice.reason}`)
      else opts.reporter.info(`baseline: ${choice.reason}`)
    }
  }
  return choice
}

function compareOptionsFor(
  opts: JobOptions,
  config: PerfGateConfig,
  choice: BaselineChoice
): CompareOptions {
  const imported = opts.resultsFiles ?? opts.resultsGlob
  const sets = choice.history?.map((h) => h.results) ?? []
  return {
    thresholdsFor: thresholdsFromConfig(config),
    minSamples: config.minSamples,
    ...(config.fromZero ? { fromZero: config.fromZero } : {}),
    // Merged shard results were run by runBenchmarks too, so their adaptive plans count here.
    ...(choice.stored && !imported ? { failAlphaFor: adaptiveFailAlpha(config) } : {}),
    // Until this run's environment is known (the adaptive looks), stored jobs are screened
    // against the chosen baseline's; the compare phase screens them against this run's.
    ...(choice.stored && sets.length > 0 && config.runnerDrift > 0
      ? {
          history: {
            sets,
            usable: usableHistory(
              sets,
              choice.stored.results.environment,
              opts.allowFingerprintChanges ?? []
            ),
            runnerDrift: config.runnerDrift
          }
        }
      : {})
  }
}

/** Phase 3: this run's results: given (merge), imported from files, or measured. */
async function measure(
  opts: JobOptions,
  config: PerfGateConfig,
  choice: BaselineChoice,
  compare: CompareOptions,
  now: Date
): Promise<ResultSet> {
  const imported = opts.resultsFiles ?? opts.resultsGlob
  let current: ResultSet
  if (opts.resultSet) current = await givenResults(opts.resultSet, config)
  else if (imported) {
    current = withConfigMetrics(
      await importResultSet(imported, {
        testbed: config.testbed,
        commit: opts.commit,
        createdAt: now.toISOString(),
        hostEnvironment
      }),
      config
    )
  } else {
    await runBuilds(config, { tree: null, label: 'checkout', reporter: opts.reporter })
    current = await runBenchmarks(config, {
      commit: opts.commit,
      reporter: opts.reporter,
      now,
      baseline: choice.stored?.results ?? null,
      compare
    })
  }
  if (opts.note) current.note = opts.note
  // Figures across matrix cells (batch efficiency, …), worked out once every cell is here, with
  // the config's per-metric gate and class as the runner applies them to what it measures.
  return withSweepFigures(current, (bench, metric) => {
    const spec = config.benchmarks.find((b) => b.name === bench)
    return spec && Object.hasOwn(spec.metrics, metric) ? spec.metrics[metric] : undefined
  })
}

/**
 * Imported result files have no benchmark entry of their own: the top-level `metrics` of the
 * config say which of a format's measures are gated (`cpu_time: { gate: true }`).
 */
export function withConfigMetrics(set: ResultSet, config: PerfGateConfig): ResultSet {
  const metrics = config.metrics
  if (!metrics) return set
  return { ...set, benchmarks: set.benchmarks.map((b) => applyMetricOverrides(b, { metrics })) }
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

/**
 * Phase 4: every gated metric against the baseline, unless the machine differs: by the history
 * rule over the stored jobs of the same environment when the runner drifts (`runner-drift` > 0),
 * else by the two-sample rule against the chosen baseline's runs.
 */
function compare(
  opts: JobOptions,
  choice: BaselineChoice,
  current: ResultSet,
  compareOptions: CompareOptions
) {
  const baseline = choice.stored
  if (!baseline) {
    return {
      outcome: noBaselineOutcome(current, choice.reason, compareOptions.thresholdsFor),
      fingerprint: []
    }
  }
  const fingerprint = checkFingerprint(
    baseline.results.environment,
    current.environment,
    opts.allowFingerprintChanges ?? []
  )
  const history = compareOptions.history
  const options: CompareOptions = history
    ? {
        ...compareOptions,
        history: {
          ...history,
          usable: usableHistory(
            history.sets,
            current.environment,
            opts.allowFingerprintChanges ?? []
          )
        }
      }
    : compareOptions
  return {
    outcome: compareWithFingerprint(baseline.results, current, fingerprint, options),
    fingerprint
  }
}

/**
 * Phase 5: the verdict as it stands: a trusted baseline run records this run, the local main job
 * records the first baseline (never an A/B run), and a reviewer may accept a regression (Route B).
 */
async function decide(
  opts: JobOptions,
  choice: BaselineChoice,
  current: ResultSet,
  compared: { outcome: GateOutcome },
  ab: AbPlan | null
): Promise<Decision> {
  let outcome = compared.outcome
  let baselineWritten: BaselineEntry | null = null
  // An A/B run never records: its base arm was measured in a job nobody vouched for.
  const recordFirst =
    opts.mode === 'run' &&
    !ab &&
    !choice.stored &&
    baselineWriteDecision(opts.context, opts.store).allowed
  if (opts.mode === 'baseline' || recordFirst) {
    baselineWritten = await opts.store.write(current)
    opts.reporter.info(`baseline recorded: ${baselineWritten.id} in ${opts.store.location}`)
    if (recordFirst) {
      outcome = {
        ...outcome,
        reason: `${outcome.reason}; this run was recorded as the baseline, the next run is gated against it`
      }
    }
  }
  const reviewed = opts.mode === 'baseline' ? null : (opts.review?.(outcome) ?? null)
  if (!reviewed) return { outcome, baselineWritten }
  return {
    outcome: reviewed.outcome,
    baselineWritten,
    ...(reviewed.acceptance ? { acceptance: reviewed.acceptance } : {})
  }
}
