import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/*
 * What every section of the reliability suite reports: one row per case, each case one of three
 * outcomes. "wrong" is the only outcome that fails the suite: a crash, a duplicate, a loss, an
 * unescaped string or a verdict nobody was told about.
 */

export type Outcome = 'recovered' | 'clear error' | 'wrong'

export interface CaseResult {
  name: string
  outcome: Outcome
  /** Why the case got its outcome: the message the user saw, or what went wrong. */
  detail: string
  ms: number
}

export interface Tally {
  cases: number
  recovered: number
  clearError: number
  wrong: number
}

export function tally(cases: readonly CaseResult[]): Tally {
  const n = (o: Outcome) => cases.filter((c) => c.outcome === o).length
  return {
    cases: cases.length,
    recovered: n('recovered'),
    clearError: n('clear error'),
    wrong: n('wrong')
  }
}

export interface RunOptions {
  quick: boolean
  seed: number
  log: (line: string) => void
}

/** Runs `jobs` with at most `limit` in flight, keeping their order in the result. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  job: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await job(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/** A seeded pick of `n` items (all of them when n >= length), in their original order. */
export function sample<T>(items: readonly T[], n: number, rng: () => number): T[] {
  if (n >= items.length) return [...items]
  const idx = items.map((_, i) => i)
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[idx[i], idx[j]] = [idx[j], idx[i]]
  }
  return idx
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i])
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix))
}

export function copyDir(from: string, prefix: string): string {
  const to = tempDir(prefix)
  cpSync(from, to, { recursive: true })
  return to
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** A Node stack frame in output means an error reached the user unexplained. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[(\s](?:file:\/\/|\/|node:)[^\s)]*:\d+:\d+\)?$/m.test(text)
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - t0 }
}
