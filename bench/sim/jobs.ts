import { gaussian, mulberry32, type Rng } from '../../__tests__/helpers/random.js'

/*
 * Between-job data for bench:decisions. One trial is one pull request gated on a runner whose
 * speed moves from job to job (and, in the drift scenarios, within the gating job):
 *
 *   ln sample = job offset + drift(t) + process offset + e,   e ~ N(0, σ(cv)) per sample,
 *
 * with a fresh process per visit (run), `INNER` samples per visit reduced to their median (the
 * visit's centre), and a per-process offset of `PROCESS_SD` (the research note's P term: layout,
 * scheduling, what a fresh process inherits). Stored designs see `HISTORY` base-branch jobs of
 * `RUNS` visits plus the gating job's `RUNS` head visits; the A/B design sees base and head
 * visits interleaved in the gating job, in a balanced random order. All rules of a trial see the
 * same draw; a true change multiplies every head sample, so the changes differ only by it.
 */

/** Visits per stored job and per gating job in the stored designs. */
export const RUNS = 10
/** Samples per visit; the visit's value is their median. */
export const INNER = 5
/** sd of the per-process log offset. */
export const PROCESS_SD = 0.01
/** Stored base-branch jobs in every trial. */
export const HISTORY = 30
/** Pairs of the A/B design, and its cap when extended once. */
export const PAIRS = 10
export const MAX_PAIRS = 20

export type JobScenario =
  'job-offset' | 'job-offset-t3' | 'slow-runner' | 'drift-ramp' | 'drift-step'

export interface JobSetting {
  scenario: JobScenario
  /** sd of the job offsets (log scale; reads as a fraction). */
  sigmaJob: number
}

const SLOW_SHARE = 0.3
const SLOW_BY = Math.log(1.12)

export const JOB_SETTINGS: readonly JobSetting[] = [
  { scenario: 'job-offset', sigmaJob: 0 },
  { scenario: 'job-offset', sigmaJob: 0.02 },
  { scenario: 'job-offset', sigmaJob: 0.05 },
  { scenario: 'job-offset', sigmaJob: 0.1 },
  { scenario: 'job-offset-t3', sigmaJob: 0.02 },
  { scenario: 'job-offset-t3', sigmaJob: 0.05 },
  // 30 % of jobs land on a runner 12 % slower: the sd of that mixture.
  {
    scenario: 'slow-runner',
    sigmaJob: Number((SLOW_BY * Math.sqrt(SLOW_SHARE * (1 - SLOW_SHARE))).toFixed(3))
  },
  // Drift inside the gating job only; the stored jobs are steady.
  { scenario: 'drift-ramp', sigmaJob: 0 },
  { scenario: 'drift-step', sigmaJob: 0 }
]

/** Student t with 3 df, scaled to unit sd (its variance is 3). */
function t3(rng: Rng): number {
  const chi = gaussian(rng) ** 2 + gaussian(rng) ** 2 + gaussian(rng) ** 2
  return gaussian(rng) / Math.sqrt(chi / 3) / Math.sqrt(3)
}

function jobOffset(s: JobSetting, rng: Rng): number {
  switch (s.scenario) {
    case 'job-offset':
      return s.sigmaJob * gaussian(rng)
    case 'job-offset-t3':
      return s.sigmaJob * t3(rng)
    case 'slow-runner':
      return rng() < SLOW_SHARE ? SLOW_BY : 0
    case 'drift-ramp':
    case 'drift-step':
      return 0
  }
}

/**
 * Drift of the gating job at time t, where t runs 0 → 1 over the job's planned visits (and past 1
 * when the A/B design extends): a 20 % linear ramp, or +8 % from half-way on.
 */
function drift(s: JobSetting, t: number): number {
  if (s.scenario === 'drift-ramp') return Math.log1p(0.2 * t)
  if (s.scenario === 'drift-step') return t >= 0.5 ? Math.log(1.08) : 0
  return 0
}

function median5(a: Float64Array): number {
  const s = a.sort()
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** One visit: `INNER` log samples around `level`, and their median. */
function visit(rng: Rng, level: number, sigma: number, inner: Float64Array): number {
  const p = level + PROCESS_SD * gaussian(rng)
  for (let i = 0; i < inner.length; i++) inner[i] = p + sigma * gaussian(rng)
  return median5(Float64Array.from(inner))
}

/** Exactly half AB and half BA (head second in AB), shuffled: Pinpoint's order. */
export function balancedOrder(rng: Rng, pairs: number): boolean[] {
  const headSecond = Array.from({ length: pairs }, (_, i) => i < pairs / 2)
  for (let i = pairs - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[headSecond[i], headSecond[j]] = [headSecond[j], headSecond[i]]
  }
  return headSecond
}

export interface JobDraw {
  /** Visit centres (ln) of the stored jobs, oldest job first: HISTORY × RUNS. */
  stored: Float64Array[]
  /** Visit centres (ln) of the gating job in the stored designs, before any change. */
  current: Float64Array
  /** A/B visit centres (ln) per pair, MAX_PAIRS of them, before any change. */
  base: Float64Array
  head: Float64Array
  /** The inner samples (ln) of the first PAIRS pairs, pooled per arm, for asv and Pinpoint. */
  basePool: Float64Array
  headPool: Float64Array
}

export function drawJobs(s: JobSetting, cv: number, seed: number): JobDraw {
  const rng = mulberry32(seed)
  const sigma = Math.sqrt(Math.log(1 + cv * cv))
  const inner = new Float64Array(INNER)
  const stored = Array.from({ length: HISTORY }, () => {
    const offset = jobOffset(s, rng)
    return Float64Array.from({ length: RUNS }, () => visit(rng, offset, sigma, inner))
  })
  const offset = jobOffset(s, rng)
  const current = Float64Array.from({ length: RUNS }, (_, r) =>
    visit(rng, offset + drift(s, r / RUNS), sigma, inner)
  )
  // The A/B job: its own offset (it cancels within a pair), 2·PAIRS visits per unit of time, the
  // extension's pairs continuing the drift. Each block of PAIRS is balanced on its own.
  const abOffset = jobOffset(s, rng)
  const base = new Float64Array(MAX_PAIRS)
  const head = new Float64Array(MAX_PAIRS)
  const basePool = new Float64Array(PAIRS * INNER)
  const headPool = new Float64Array(PAIRS * INNER)
  let v = 0
  for (let block = 0; block < MAX_PAIRS / PAIRS; block++) {
    const order = balancedOrder(rng, PAIRS)
    for (let k = 0; k < PAIRS; k++) {
      const pair = block * PAIRS + k
      for (const isHead of order[k] ? [false, true] : [true, false]) {
        const value = visit(rng, abOffset + drift(s, v / (2 * PAIRS)), sigma, inner)
        v++
        ;(isHead ? head : base)[pair] = value
        if (pair < PAIRS) (isHead ? headPool : basePool).set(inner, pair * INNER)
      }
    }
  }
  return { stored, current, base, head, basePool, headPool }
}
