import type { AbOrder, PerfGateConfig } from '../../config/types.js'
import { UserError } from '../../errors.js'
import {
  RESULTS_SCHEMA_ID,
  RESULTS_VERSION,
  type Benchmark,
  type Commit,
  type ResultSet
} from '../../results/model.js'
import type { Fingerprint } from '../../results/environment.js'
import { runBuilds } from '../../runners/build.js'
import { addFingerprint, hostEnvironment } from '../../runners/environment.js'
import { runFileBenchmark } from '../../runners/file.js'
import type { Reporter } from '../../runners/progress.js'
import { targetsFromConfig } from '../../config/targets.js'
import type { TargetsFor } from '../../stats/targets.js'
import { shortSha } from '../../shared/text.js'
import { gate } from '../../stats/gate.js'
import {
  noBaselineOutcome,
  type CompareOptions,
  type ThresholdsFor
} from '../../stats/compare-sets.js'
import { comparePaired } from '../../stats/paired.js'
import type { GateOutcome, MetricComparison } from '../../stats/types.js'
import type { AbRun, FingerprintDifference } from '../../types/report.js'
import type { BaselineChoice } from '../baseline-select.js'
import { checkFingerprint, compareWithFingerprint } from '../fingerprint-check.js'
import {
  budgetChanges,
  judgingThresholds,
  loadBaseConfig,
  matchBenchmarks,
  type MatchedBenchmarks
} from './configs.js'
import { measurePairs, type MeasuredPairs, type Tree } from './measure.js'
import { pairedInputs } from './pairs.js'
import { newSeed } from '../../shared/random.js'
import { PairSchedule } from './schedule.js'
import {
  addBaseTree,
  baseConfigPath,
  isNoBase,
  resolveAbBase,
  type AbBase,
  type AbBaseRequest
} from './worktree.js'

/*
 * A same-job A/B run, the phases runJob calls instead of measuring against a stored baseline:
 * find the base commit, check it out beside the head, build both, measure every benchmark the two
 * trees share in interleaved pairs, and judge the pairs with the paired rule by the base's budgets.
 * `file` benchmarks cannot be re-run and are judged against the stored baseline as before, also
 * by the base's budgets, classes and gating switches; benchmarks only one tree defines are listed,
 * never gated.
 */

export type { AbBaseRequest } from './worktree.js'

/** What a front asks for. */
export interface AbRequest {
  base: AbBaseRequest
  /**
   * `always`: the user asked for A/B (`perf-gate ab`, the action's `ab: true`); `config`: when
   * the config says `ab: true`.
   */
  when: 'always' | 'config'
  /** With no base commit, gate against stored baselines instead of failing (the CLI's `run`). */
  fallback?: boolean
  /** Replays a run's visit order. */
  seed?: number
}

/** The A/B run that will happen: the base found, the order chosen. */
export interface AbPlan {
  base: AbBase
  seed: number
  order: AbOrder
}

/**
 * The base commit of this run's A/B measurement, or null when this run gates against stored
 * baselines. Imported results and baseline runs are never A/B: there is nothing to run twice, or
 * the run must record what it measures.
 */
export async function planAb(
  request: AbRequest | undefined,
  config: PerfGateConfig,
  ctx: { mode: 'run' | 'gate' | 'baseline'; imported: boolean; reporter: Reporter }
): Promise<AbPlan | null> {
  if (!request || ctx.mode === 'baseline') return null
  if (request.when === 'config' && !config.ab) return null
  if (ctx.imported) {
    if (request.when === 'always')
      throw new UserError('an A/B run measures both trees itself; it cannot gate imported results')
    ctx.reporter.info('perf-gate: ab: true is not used for imported results')
    return null
  }
  const found = await resolveAbBase(config.dir, request.base)
  if (isNoBase(found)) {
    if (!request.fallback) throw new UserError(`cannot run A/B: ${found.reason}`)
    ctx.reporter.warning(
      `perf-gate: no base commit for an A/B run (${found.reason}), so stored baselines are used`
    )
    return null
  }
  return { base: found, seed: request.seed ?? newSeed(), order: config.abOrder }
}

export interface AbMeasured {
  /** The head's results: its arm of every pair, and the `file` benchmarks it read. */
  current: ResultSet
  /** The base's arm. */
  base: ResultSet
  pairs: MeasuredPairs[]
  matched: MatchedBenchmarks
  run: AbRun
  /** The budgets and absolute targets everything is judged by: the base's. */
  judge: CompareOptions & { thresholdsFor: ThresholdsFor; targetsFor: TargetsFor }
}

export interface AbMeasureOptions {
  commit: Commit
  reporter: Reporter
  now: Date
  /** The run's overrides, applied to the base's config as to the head's. */
  testbed?: string
  repetitions?: number
  /** A shard job: only these benchmarks, in both trees. */
  only?: readonly string[]
  env?: NodeJS.ProcessEnv
}

function withOverrides(config: PerfGateConfig, opts: AbMeasureOptions): PerfGateConfig {
  let out = config
  if (opts.testbed) out = { ...out, testbed: opts.testbed }
  if (opts.only) {
    const only = opts.only
    out = { ...out, benchmarks: out.benchmarks.filter((b) => only.includes(b.name)) }
  }
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

function resultSet(
  config: PerfGateConfig,
  commit: Commit,
  now: Date,
  benchmarks: Benchmark[],
  fp: Fingerprint
): ResultSet {
  return {
    $schema: RESULTS_SCHEMA_ID,
    version: RESULTS_VERSION,
    testbed: config.testbed,
    createdAt: now.toISOString(),
    commit,
    environment: addFingerprint(hostEnvironment(), fp),
    benchmarks
  }
}

/** Builds and measures both trees; the base's worktree is gone when this returns or throws. */
export async function measureAb(
  plan: AbPlan,
  head: PerfGateConfig,
  opts: AbMeasureOptions
): Promise<AbMeasured> {
  const { base: found, seed, order } = plan
  const baseLabel = `base tree (${shortSha(found.sha)})`
  const headLabel = `head tree (${shortSha(opts.commit.sha) ?? 'no commit'}${opts.commit.dirty ? ', with uncommitted changes' : ''})`
  opts.reporter.info(
    `perf-gate: A/B in this job: base ${shortSha(found.sha)} (${found.how}) vs head ${shortSha(found.head)}${opts.commit.dirty ? ' with uncommitted changes' : ''}; ${order === 'abba' ? 'ABBA blocks' : 'balanced random order'}, seed ${seed}`
  )
  const tree = await addBaseTree(found.root, found.sha)
  try {
    const loaded = await loadBaseConfig(
      baseConfigPath(head.file, found.root, tree.dir),
      `${head.file} at ${shortSha(found.sha)}`
    )
    const baseConfig = loaded ? withOverrides(loaded, opts) : null
    if (!baseConfig)
      opts.reporter.warning(
        `perf-gate: the base ${shortSha(found.sha)} has no ${head.file}: nothing can be compared pair by pair`
      )
    const matched = matchBenchmarks(baseConfig, head)
    const changes = budgetChanges(baseConfig, head)
    if (changes.length) {
      opts.reporter.warning(
        `perf-gate: this tree's config changes ${changes.join(', ')}; the base's budgets are used`
      )
    }
    const judge: AbMeasured['judge'] = {
      thresholdsFor: judgingThresholds(baseConfig, head),
      // Through the head's entries as the base judges them: the base's targets, by the names run.
      targetsFor: targetsFromConfig({
        benchmarks: [...matched.paired, ...matched.stored].map((m) => m.head)
      }),
      minSamples: (baseConfig ?? head).minSamples
    }
    const baseTree: Tree = { arm: 'base', label: baseLabel, config: baseConfig ?? head }
    const headTree: Tree = { arm: 'head', label: headLabel, config: head }

    const baseNames = matched.paired.map((p) => p.base.name)
    const headNames = [...baseNames, ...matched.stored.map((s) => s.head.name)]
    const builds = [
      ...(baseConfig && baseNames.length
        ? await runBuilds(baseConfig, {
            tree: 'base',
            label: baseLabel,
            reporter: opts.reporter,
            only: baseNames,
            ...(opts.env ? { env: opts.env } : {})
          })
        : []),
      ...(headNames.length
        ? await runBuilds(head, {
            tree: 'head',
            label: headLabel,
            reporter: opts.reporter,
            only: headNames,
            ...(opts.env ? { env: opts.env } : {})
          })
        : [])
    ]

    const fingerprint: Fingerprint = {}
    const pairs: MeasuredPairs[] = []
    let index = 0
    const total = matched.paired.length + matched.stored.length
    const fileResults: Benchmark[] = []
    for (const spec of head.benchmarks) {
      const pair = matched.paired.find((p) => p.head.name === spec.name)
      const stored = matched.stored.find((s) => s.head.name === spec.name)
      if (!pair && !stored) continue
      index++
      const title = `perf-gate: benchmark ${index}/${total}: ${spec.name} (${spec.kind}, ${pair ? 'A/B' : 'stored baseline'})`
      await opts.reporter.group(title, async () => {
        if (pair) {
          pairs.push(
            await measurePairs(pair, new PairSchedule(order, seed, spec.name), {
              base: baseTree,
              head: headTree,
              reporter: opts.reporter,
              thresholdsFor: judge.thresholdsFor,
              fingerprint,
              ...(opts.env ? { env: opts.env } : {})
            })
          )
        } else if (stored) {
          // The head's files, with the metrics shaped by the base's entry: a pull request cannot
          // switch off or reclass the gate of what it reads (see judgedByBase).
          fileResults.push(...(await runFileBenchmark(stored.head, head.dir, opts.reporter)))
        }
      })
    }
    const run: AbRun = {
      base: { sha: found.sha, how: found.how },
      head: { sha: opts.commit.sha, dirty: opts.commit.dirty === true },
      seed,
      order,
      benchmarks: pairs.map((p) => ({ name: p.name, pairs: p.orders.length })),
      stored: matched.stored.map((s) => s.head.name),
      added: matched.added,
      removed: matched.removed,
      budgetChanges: changes,
      builds: builds.flatMap((b) =>
        b.tree === null ? [] : [{ tree: b.tree, benchmark: b.benchmark, ms: b.ms }]
      )
    }
    const headBenches = [...pairs.flatMap((p) => p.headResult), ...fileResults]
    const baseBenches = pairs.flatMap((p) => p.baseResult)
    return {
      current: resultSet(head, opts.commit, opts.now, headBenches, fingerprint),
      base: resultSet(baseConfig ?? head, { sha: found.sha }, opts.now, baseBenches, {}),
      pairs,
      matched,
      run,
      judge
    }
  } finally {
    tree.remove()
  }
}

function storedOnly(set: ResultSet, names: readonly string[]): ResultSet {
  const mine = (b: string): boolean => names.some((n) => b === n || b.startsWith(`${n}/`))
  return { ...set, benchmarks: set.benchmarks.filter((b) => mine(b.name)) }
}

/**
 * Every metric judged: pairs by the paired rule, `file` benchmarks against the stored baseline
 * (neutral without one), all under one gate, so the multiple-metric control covers them together.
 */
export function compareAb(
  measured: AbMeasured,
  choice: BaselineChoice,
  allowFingerprintChanges: readonly string[]
): { outcome: GateOutcome; fingerprint: FingerprintDifference[] } {
  const comparisons: MetricComparison[] = []
  const { thresholdsFor } = measured.judge
  for (const p of measured.pairs) {
    const { inputs, neutral } = pairedInputs(p, thresholdsFor)
    comparisons.push(...inputs.map(comparePaired), ...neutral)
  }
  let fingerprint: FingerprintDifference[] = []
  const names = measured.run.stored
  if (names.length) {
    const current = storedOnly(measured.current, names)
    if (choice.stored) {
      const baseline = storedOnly(choice.stored.results, names)
      fingerprint = checkFingerprint(
        baseline.environment,
        current.environment,
        allowFingerprintChanges
      )
      comparisons.push(
        ...compareWithFingerprint(baseline, current, fingerprint, measured.judge).comparisons
      )
    } else {
      comparisons.push(...noBaselineOutcome(current, choice.reason, thresholdsFor).comparisons)
    }
  }
  return { outcome: gate(comparisons), fingerprint }
}
