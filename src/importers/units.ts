import type { Direction } from '../results/model.js'

/**
 * Infers which way is better from a unit, for formats that do not say. Only units whose meaning is
 * unambiguous are inferred; memory and percentages could go either way, so they must be declared.
 */
const HIGHER =
  /(\/\s*(s|sec|second|min|ms)\b|per\s*sec|ops|op\/s|throughput|req\/s|tok(en)?s?\/s|fps|hz)/i
const LOWER =
  /^(ns|us|µs|μs|ms|s|sec|secs|seconds?|milliseconds?|microseconds?|nanoseconds?|min|minutes?|ns\/iter|ns\/op|cycles|instructions)$/i

export function inferDirection(unit: string): Direction | undefined {
  const u = unit.trim()
  if (HIGHER.test(u)) return 'higher'
  if (LOWER.test(u)) return 'lower'
  return undefined
}
