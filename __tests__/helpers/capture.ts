import { expect } from '@jest/globals'
import type { Reporter } from '../../src/runners/progress.js'

/** The message a call throws; fails the test when it does not throw. */
export function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

/** `got` ends as `want` does: with an equal value, or throwing the same message. */
export function expectSameOutcome(want: () => unknown, got: () => unknown): void {
  let value: unknown
  try {
    value = want()
  } catch (e) {
    expect(errorOf(got)).toBe((e as Error).message)
    return
  }
  expect(got()).toEqual(value)
}

/** A Reporter that keeps every progress line, for assertions. */
export function recorder(): Reporter & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    group: (_t, fn) => fn()
  }
}
