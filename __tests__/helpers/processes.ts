import { spawnSync } from 'node:child_process'
import { randomInt } from 'node:crypto'

/*
 * The process table as `ps` shows it, independent of the code under test: what a test checks
 * is left running after a benchmark or a signal. Each test sleeps for a duration of its own
 * (`sleep 301.4821`), so it finds its own processes and no one else's.
 */

export interface PsRow {
  pid: number
  pgid: number
  args: string
}

export function ps(): PsRow[] {
  const r = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
  return r.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), pgid: Number(m[2]), args: m[3] ?? '' }))
}

/** A `sleep` argument no other test or process uses. */
export function uniqueSleep(base = 300): string {
  return `${base}.${randomInt(1000, 9999)}${randomInt(1000, 9999)}`
}

/** The processes running `sleep <duration>` (the shells that started them excluded). */
export function sleepers(duration: string): PsRow[] {
  return ps().filter((p) => p.args === `sleep ${duration}`)
}

/** Ends what a test left running on purpose (an escaped process), by its pid. */
export function endAll(rows: readonly PsRow[]): void {
  for (const p of rows) {
    try {
      process.kill(p.pid, 'SIGKILL')
    } catch {
      /* gone */
    }
  }
}

/** Polls until `check` holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
}
