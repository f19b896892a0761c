import type { Direction } from '../../results/model.js'

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

/**
 * Tools that pick a readable unit per value (Catch2, criterion, Google Benchmark's per-benchmark
 * time_unit) would make a benchmark that slows from 990 ns to 1.01 µs incomparable with its
 * baseline; their times are converted to one unit on import.
 */
const NS_PER: Readonly<Record<string, number>> = {
  ps: 1e-3,
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9
}

export function nsPer(unit: string): number | undefined {
  return Object.hasOwn(NS_PER, unit) ? NS_PER[unit] : undefined
}

/** criterion's throughput units, to bytes/s or elements/s. */
const RATE: Readonly<Record<string, [number, string]>> = {
  'B/s': [1, 'B/s'],
  'KiB/s': [1024, 'B/s'],
  'MiB/s': [1024 ** 2, 'B/s'],
  'GiB/s': [1024 ** 3, 'B/s'],
  'TiB/s': [1024 ** 4, 'B/s'],
  'KB/s': [1e3, 'B/s'],
  'MB/s': [1e6, 'B/s'],
  'GB/s': [1e9, 'B/s'],
  'TB/s': [1e12, 'B/s'],
  'elem/s': [1, 'elem/s'],
  'Kelem/s': [1e3, 'elem/s'],
  'Melem/s': [1e6, 'elem/s'],
  'Gelem/s': [1e9, 'elem/s']
}

export function rateScale(unit: string): [factor: number, base: string] | undefined {
  return Object.hasOwn(RATE, unit) ? RATE[unit] : undefined
}
