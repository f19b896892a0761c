import { probit } from 'simple-statistics'

export interface OpenComparison {
  /** Hodges–Lehmann estimate of the log-badness shift. */
  estimate: number
  /** Its (1 − 2·alpha) Moses CI, in log-badness. */
  ci: [number, number]
  alpha: number
  failAlpha: number
  tauWarn: number
  tauFail: number
  /** Samples per arm behind the estimate (current, baseline). */
  n: number
  m: number
}

/** Power the estimate aims for: the planning convention, so "would decide" means 4 times in 5. */
const POWER = 0.8

/**
 * Past this many runs per arm (or pairs) "N runs would decide it" is no longer advice: the metric
 * cannot be decided at this noise, and the reports say what would help instead.
 */
export const MAX_ADVISED_RUNS = 100

/** What helps a metric that no sane number of runs decides. */
export const UNDECIDABLE_HELP =
  'same-job A/B (ab: true), a quieter runner or more work per run (e.g. more requests) would help'

/**
 * The same for a paired (A/B) metric: it is already A/B, so the advice is the runner, the length
 * of each visit, and more pairs only up to the same sane number.
 */
export const PAIRED_UNDECIDABLE_HELP = `a quieter runner, longer runs (more work per visit, e.g. more requests) or more pairs per run (the base's repetitions, up to ${MAX_ADVISED_RUNS}) would help`

/**
 * Runs per arm after which an inconclusive metric would be decided with 80 % probability, if its
 * true change is the current estimate and its spread what the current CI implies; null when the
 * CI is unbounded or the estimate sits exactly on the budget, where no number of runs is enough.
 *
 * The standard error shrinks as √(1/N + 1/M); both arms are assumed to grow together, as in the
 * interleaved design. Deciding means either ruling the fail budget out (upper bound below it) or,
 * when the estimate is past it, confirming the regression (FAIL's lower bound past the warn
 * budget).
 */
export function runsToDecide(c: OpenComparison): number | null {
  const [lo, hi] = c.ci
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return null
  const zAlpha = probit(1 - c.alpha)
  // SE of the shift with one run per arm: the CI's half-width is z·SE·√(1/n + 1/m).
  const unitSe = (hi - lo) / (2 * zAlpha) / Math.sqrt(1 / c.n + 1 / c.m)
  const zPower = probit(POWER)
  const needed: number[] = []
  const distanceToClear = c.tauFail - c.estimate
  if (distanceToClear > 0) needed.push(perArm(unitSe, zAlpha + zPower, distanceToClear))
  const distanceToFail = c.estimate - c.tauWarn
  if (c.estimate > c.tauFail && distanceToFail > 0) {
    needed.push(perArm(unitSe, probit(1 - c.failAlpha) + zPower, distanceToFail))
  }
  if (needed.length === 0) return null
  const best = Math.min(...needed)
  if (!Number.isFinite(best)) return null
  // The metric is undecided at its current size, so the answer is always more than that.
  return Math.max(best, Math.min(c.n, c.m) + 1)
}

/** N with z·unitSe·√(2/N) ≤ distance. */
function perArm(unitSe: number, z: number, distance: number): number {
  return Math.ceil(2 * ((z * unitSe) / distance) ** 2)
}

export interface OpenPairedComparison {
  /** Paired Hodges–Lehmann estimate of the log-badness shift. */
  estimate: number
  /** Its (1 − 2·alpha) signed-rank CI, in log-badness. */
  ci: [number, number]
  alpha: number
  failAlpha: number
  tauWarn: number
  tauFail: number
  /** Pairs behind the estimate. */
  n: number
}

/**
 * The paired counterpart of `runsToDecide`: pairs after which an inconclusive metric would be
 * decided 4 times in 5, if its change and spread are what they look like now. The standard error
 * of a paired estimate shrinks as 1/√n (one difference per pair), not √(1/n + 1/m).
 */
export function pairsToDecide(c: OpenPairedComparison): number | null {
  const [lo, hi] = c.ci
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return null
  const zAlpha = probit(1 - c.alpha)
  const unitSe = ((hi - lo) / (2 * zAlpha)) * Math.sqrt(c.n)
  const zPower = probit(POWER)
  const needed: number[] = []
  const distanceToClear = c.tauFail - c.estimate
  if (distanceToClear > 0) needed.push(pairs(unitSe, zAlpha + zPower, distanceToClear))
  const distanceToFail = c.estimate - c.tauWarn
  if (c.estimate > c.tauFail && distanceToFail > 0) {
    needed.push(pairs(unitSe, probit(1 - c.failAlpha) + zPower, distanceToFail))
  }
  if (needed.length === 0) return null
  const best = Math.min(...needed)
  if (!Number.isFinite(best)) return null
  return Math.max(best, c.n + 1)
}

/** N with z·unitSe/√N ≤ distance. */
function pairs(unitSe: number, z: number, distance: number): number {
  return Math.ceil(((z * unitSe) / distance) ** 2)
}
