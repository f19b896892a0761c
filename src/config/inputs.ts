import * as core from '@actions/core'
import { DEFAULT_STORE } from '../baseline/index.js'
import { UserError } from '../errors.js'

export const ACTION_MODES = ['gate', 'baseline', 'compare', 'report', 'merge'] as const
export type ActionMode = (typeof ACTION_MODES)[number]
export const FAIL_ON = ['fail', 'warn', 'never'] as const

/** Every action input, read in this one place and typed. */
export interface ActionInputs {
  mode: ActionMode
  config: string
  results: string | undefined
  baselineResults: string | undefined
  baselineStore: string
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
  const repetitions = opt('repetitions')
  let reps: number | undefined
  if (repetitions !== undefined) {
    reps = Number(repetitions)
    if (!Number.isInteger(reps) || reps < 1)
      throw new UserError(`input 'repetitions' must be an integer >= 1; got '${repetitions}'`)
  }
  const mode = oneOf('mode', ACTION_MODES, 'gate')
  if (mode === 'report' && opt('results-dir') === undefined) {
    throw new UserError(
      "mode 'report' needs the input 'results-dir': the folder the results artifact was downloaded to"
    )
  }
  return {
    mode,
    config: opt('config') ?? 'perf-gate.yml',
    results: opt('results'),
    baselineResults: opt('baseline-results'),
    baselineStore: opt('baseline-store') ?? DEFAULT_STORE,
    githubToken: opt('github-token'),
    failOn: oneOf('fail-on', FAIL_ON, 'fail'),
    comment: bool('comment', true),
    checkRun: bool('check-run', true),
    outputDir: opt('output-dir') ?? '.perf-gate/out',
    rawDir: opt('raw-dir') ?? 'benchmarks/results/raw',
    testbed: opt('testbed'),
    repetitions: reps,
    note: opt('note'),
    acceptLabel: opt('accept-label') ?? 'perf-gate:accept',
    resultsDir: opt('results-dir')
  }
}
