import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import { runCleanups } from '../../src/shared/cleanup.js'
import { LockTimeoutError, withFileLock } from '../../src/shared/lock.js'

const dir = () => mkdtempSync(path.join(tmpdir(), 'pg-lock-'))

/** A pid that was alive a moment ago and is not now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8'
  })
  return Number(r.stdout)
}

const holder = (pid: number, token = 'other') =>
  JSON.stringify({ pid, host: hostname(), token, since: new Date().toISOString() })

describe('withFileLock (#19 item 1)', () => {
  it('lets read-change-write turns run one at a time: no update is lost', async () => {
    const file = path.join(dir(), 'count.txt')
    await writeFile(file, '0')
    const bump = () =>
      withFileLock(file, async () => {
        const n = Number(await readFile(file, 'utf8'))
        // Yield between the read and the write, where an unlocked turn loses the other's update.
        await new Promise((r) => setTimeout(r, 2))
        await writeFile(file, String(n + 1))
      })
    await Promise.all(Array.from({ length: 20 }, bump))
    expect(readFileSync(file, 'utf8')).toBe('20')
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('takes over a lock whose process is gone', async () => {
    const file = path.join(dir(), 'ledger.md')
    writeFileSync(`${file}.lock`, holder(deadPid()))
    await expect(
      withFileLock(file, () => Promise.resolve('ran'), { timeoutMs: 5000 })
    ).resolves.toBe('ran')
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('waits for a live holder, then names it when the wait runs out', async () => {
    const file = path.join(dir(), 'ledger.md')
    writeFileSync(`${file}.lock`, holder(process.pid))
    const err = await withFileLock(file, () => Promise.resolve(), { timeoutMs: 100 }).catch(
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(LockTimeoutError)
    expect((err as Error).message).toBe(
      `${file}.lock is held by process ${process.pid} on ${hostname()} since ${JSON.parse(readFileSync(`${file}.lock`, 'utf8')).since}`
    )
    // Not ours: left in place.
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).token).toBe('other')
  })

  it('takes over a lock older than the stale age, and an empty one left by a kill', async () => {
    const file = path.join(dir(), 'ledger.md')
    const old = new Date(Date.now() - 10 * 60_000)
    writeFileSync(`${file}.lock`, holder(process.pid))
    utimesSync(`${file}.lock`, old, old)
    await expect(withFileLock(file, () => Promise.resolve(1), { timeoutMs: 2000 })).resolves.toBe(1)
    writeFileSync(`${file}.lock`, '')
    utimesSync(`${file}.lock`, old, old)
    await expect(withFileLock(file, () => Promise.resolve(2), { timeoutMs: 2000 })).resolves.toBe(2)
  })

  it('releases the lock when perf-gate is stopped by a signal', async () => {
    const file = path.join(dir(), 'ledger.md')
    let entered!: () => void
    const inside = new Promise<void>((r) => (entered = r))
    let finish!: () => void
    const held = withFileLock(file, async () => {
      entered()
      await new Promise<void>((r) => (finish = r))
    })
    await inside
    expect(existsSync(`${file}.lock`)).toBe(true)
    await runCleanups()
    expect(existsSync(`${file}.lock`)).toBe(false)
    finish()
    await held
  })
})
