import type { Direction } from '../results/model.js'

// Units of time or of a rate over time, where "faster" and "slower" are the plain words.
const TIMED = /(^|\/)(ns|us|µs|μs|ms|s|sec|secs|seconds?|minutes?|min|h)$|\/s(ec)?$|per second/i

/** Below this the two values are "about the same". */
const SAME = 0.005

/**
 * A change said plainly: "1.12× faster", "1.50× slower", or "better"/"worse" for what is not a
 * time or a rate; null when either value is not a positive number.
 */
export function speedPhrase(
  before: number | null | undefined,
  after: number | null | undefined,
  direction: Direction,
  unit: string
): string | null {
  if (before === null || before === undefined || after === null || after === undefined) return null
  if (!(before > 0 && after > 0)) return null
  const better = direction === 'higher' ? after / before : before / after
  if (Math.abs(better - 1) < SAME) return 'about the same'
  const factor = better >= 1 ? better : 1 / better
  const timed = TIMED.test(unit.trim())
  const word = better >= 1 ? (timed ? 'faster' : 'better') : timed ? 'slower' : 'worse'
  return `${factor.toFixed(2)}× ${word}`
}
