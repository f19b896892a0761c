import { errorFunction, gammaln, probit } from 'simple-statistics'

/*
 * Student's t distribution. simple-statistics stops at the t statistic; the change-point test
 * needs its p-value and the Welch reference rule in bench:decisions its quantile.
 */

const EPS = 1e-15
const TINY = 1e-300
const MAX_TERMS = 500

/**
 * The continued fraction of I_x(a, b), evaluated with the modified Lentz method. It converges
 * quickly for x < (a + 1)/(a + b + 2); the caller uses the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
 * to stay on that side.
 */
function betaFraction(x: number, a: number, b: number): number {
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let f = d
  for (let m = 1; m <= MAX_TERMS; m++) {
    const m2 = 2 * m
    // Even step: d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m)).
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + num * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + num / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    f *= d * c
    // Odd step: d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + num * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + num / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const step = d * c
    f *= step
    if (Math.abs(step - 1) < EPS) break
  }
  return f
}

/** The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`a and b must be > 0, got (${a}, ${b})`)
  if (!(x >= 0 && x <= 1)) throw new RangeError(`x must be in [0, 1], got ${x}`)
  if (x === 0 || x === 1) return x
  const logFront = gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log1p(-x)
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(x, a, b)) / a
  return 1 - (Math.exp(logFront) * betaFraction(1 - x, b, a)) / b
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`)
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df need not be an integer). */
export function tCdf(t: number, df: number): number {
  checkDf(df)
  if (Number.isNaN(t)) return NaN
  if (t === Infinity) return 1
  if (t === -Infinity) return 0
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2); each tail is half of it.
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5)
  return t > 0 ? 1 - tail : tail
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|), accurate in the far tail. */
export function tTwoSidedP(t: number, df: number): number {
  checkDf(df)
  if (Number.isNaN(t)) return NaN
  if (!Number.isFinite(t)) return 0
  return incompleteBeta(df / (df + t * t), df / 2, 0.5)
}

function tDensity(t: number, df: number): number {
  const logC = gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * Math.log(df * Math.PI)
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df))
}

/**
 * The p-quantile of Student's t. Newton's method from the normal quantile, falling back to
 * bisection whenever a step would leave the bracket, so heavy tails (df ≈ 1) cannot derail it.
 */
export function tQuantile(p: number, df: number): number {
  checkDf(df)
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`)
  if (p === 0.5) return 0
  // Solve in the upper half and mirror: the CDF is symmetric about 0.
  const upper = p > 0.5 ? p : 1 - p
  let lo = 0
  let hi = 1
  while (tCdf(hi, df) < upper) hi *= 2
  let t = Math.min(Math.max(probit(upper), lo), hi)
  for (let i = 0; i < 100; i++) {
    const err = tCdf(t, df) - upper
    if (err > 0) hi = t
    else lo = t
    if (Math.abs(err) < 1e-14 || hi - lo < 1e-14 * Math.max(1, t)) break
    const next = t - err / tDensity(t, df)
    t = next > lo && next < hi ? next : (lo + hi) / 2
  }
  return p > 0.5 ? t : -t
}

/**
 * The p-quantile of the standard normal to about 1e-7. simple-statistics' probit is off by up to
 * 1.4e-3 (1.6434 for z₀.₉₅ = 1.6449), which shows in a printed resolution; two Newton steps on
 * the erf-based CDF (itself good to ~1e-8) remove that.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`)
  let z = probit(p)
  for (let i = 0; i < 2; i++) {
    const cdf = 0.5 * (1 + errorFunction(z / Math.SQRT2))
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)
    z -= (cdf - p) / density
  }
  return z
}
