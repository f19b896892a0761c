import * as core from '@actions/core'
import { DEFAULT_STORE } from '../baseline/index.js'
import { parseBenchmarkList, parseShard, type ShardSpec } from '../engine/shard.js'
import { UserError } from '../errors.js'
import { PROMOTE_DRAFT, type PromoteDraft } from '../github/ready.js'
import { isDashboardUrl } from '../report/dashboard-link.js'

export const FAIL_ON = ['fail', 'warn', 'never'] as const

/** Every action input, read in this one place and typed. */
export interface ActionInputs {
  /** Checked against the modes there are when the action dispatches (src/action/modes/index.ts). */
  mode: string
  config: string
  results: string | undefined
  baselineResults: string | undefined
  baselineStore: string
  /** Baselines kept per testbed (the store's default when unset). */
  baselineRetention: number | undefined
  githubToken: string | undefined
  failOn: (typeof FAIL_ON)[number]
  comment: boolean
  checkRun: boolean
  outputDir: string
  rawDir: string
  testbed: string | undefined
  repetitions: number | undefined
  note: string | undefined
  /** The label that accepts a regression on a pull request (Route B). */
  acceptLabel: string
  /** mode report: the folder the results artifact was downloaded to. */
  resultsDir: string | undefined
  /** How many ancestors of the merge-base are searched for a baseline. */
  baselineMaxDistance: number
  /** Environment keys allowed to differ from the baseline's (`gpu.driver`, `ollama.*.model.digest`). */
  allowFingerprintChanges: string[]
  /** A shard job of a matrix: `i/n` of the benchmarks… */
  shard: ShardSpec | undefined
  /** …or these benchmarks by name. */
  benchmarks: string[] | undefined
  /** mode merge: how many shards to expect. */
  shards: number | undefined
  /** Ollama model of the analyst narrative; unset writes the deterministic summary. */
  analystModel: string | undefined
  /**
   * mode gate: measure the pull request's merge-base and its head in this job, interleaved (A/B).
   * undefined: as the config's `ab:` says.
   */
  ab: boolean | undefined
  /** Where the history dashboard is published: the ledger and report link each metric's chart. */
  dashboardUrl: string | undefined
  /** Mark a draft pull request ready for review once the gate passes. */
  promoteDraft: PromoteDraft
  /** mode history and baseline runs: open an issue for each regression found in the history. */
  openIssues: boolean
}

type GetInput = (name: string) => string

/** `getInput` is a parameter so tests can read inputs from a plain object. */
export function readInputs(get: GetInput = (n) => core.getInput(n)): ActionInputs {
  const opt = (name: string): string | undefined => {
    const v = get(name).trim()
    return v === '' ? undefined : v
  }
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = opt(name) ?? fallback
    if (!(allowed as readonly string[]).includes(v)) {
      throw new UserError(`input '${name}' must be one of ${allowed.join(', ')}; got '${v}'`)
    }
    return v as T
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const v = opt(name)
    if (v === undefined) return fallback
    if (/^(true|yes|on|1)$/i.test(v)) return true
    if (/^(false|no|off|0)$/i.test(v)) return false
    throw new UserError(`input '${name}' must be true or false; got '${v}'`)
  }
  const maybeBool = (name: string): boolean | undefined => {
    const v = opt(name)
    return v === undefined ? undefined : bool(name, false)
  }
  const integer = (name: string, min: 0 | 1): number | undefined => {
    const v = opt(name)
    if (v === undefined) return undefined
    if (!/^\d+$/.test(v) || Number(v) < min)
      throw new UserError(`input '${name}' must be an integer >= ${min}; got '${v}'`)
    return Number(v)
  }
  const mode = opt('mode') ?? 'gate'
  if (mode === 'report' && opt('results-dir') === undefined) {
    throw new UserError(
      "mode 'report' needs the input 'results-dir': the folder the results artifact was downloaded to"
    )
  }
  const shard = opt('shard')
  const benchmarks = opt('benchmarks')
  if (shard !== undefined && benchmarks !== undefined) {
    throw new UserError("set input 'shard' or input 'benchmarks', not both")
  }
  if ((shard ?? benchmarks) !== undefined && mode !== 'gate' && mode !== 'baseline') {
    throw new UserError(
      `input '${shard !== undefined ? 'shard' : 'benchmarks'}' selects what a shard job runs; it is not read in mode '${mode}'`
    )
  }
  const ab = maybeBool('ab')
  if (ab && mode !== 'gate') {
    throw new UserError(`input 'ab' is read in mode 'gate' only; got mode '${mode}'`)
  }
  if (ab && opt('results') !== undefined) {
    throw new UserError(
      "input 'ab' measures both trees itself; it cannot be combined with 'results'"
    )
  }
  return {
    mode,
    config: opt('config') ?? 'perf-gate.yml',
    results: opt('results'),
    baselineResults: opt('baseline-results'),
    baselineStore: opt('baseline-store') ?? DEFAULT_STORE,
    baselineRetention: integer('baseline-retention', 1),
    githubToken: opt('github-token'),
    failOn: oneOf('fail-on', FAIL_ON, 'fail'),
    comment: bool('comment', true),
    checkRun: bool('check-run', true),
    outputDir: opt('output-dir') ?? '.perf-gate/out',
    rawDir: opt('raw-dir') ?? 'benchmarks/results/raw',
    testbed: opt('testbed'),
    repetitions: integer('repetitions', 1),
    note: opt('note'),
    acceptLabel: opt('accept-label') ?? 'perf-gate:accept',
    resultsDir: opt('results-dir'),
    baselineMaxDistance: integer('baseline-max-distance', 0) ?? 50,
    allowFingerprintChanges: (opt('allow-fingerprint-changes') ?? '')
      .split(/[\s,]+/)
      .filter((k) => k !== ''),
    shard: shard === undefined ? undefined : parseShard(shard),
    benchmarks: benchmarks === undefined ? undefined : parseBenchmarkList(benchmarks),
    shards: integer('shards', 1),
    analystModel: opt('analyst-model'),
    ab,
    dashboardUrl: httpUrl('dashboard-url', opt('dashboard-url')),
    promoteDraft: oneOf('promote-draft', PROMOTE_DRAFT, 'false'),
    openIssues: bool('open-issues', false)
  }
}

function httpUrl(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined
  if (!isDashboardUrl(v)) {
    throw new UserError(`input '${name}' must be an http(s) URL; got '${v}'`)
  }
  return v
}
