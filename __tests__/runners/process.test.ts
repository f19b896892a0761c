import { describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import { runShell } from '../../src/runners/process.js'
import { runCleanups } from '../../src/shared/cleanup.js'
import { eventually, sleepers, uniqueSleep } from '../helpers/processes.js'

describe('runShell and the cleanup registry (#19 item 3)', () => {
  it('a signal ends the running benchmark, its process group included, and names it', async () => {
    const d = uniqueSleep()
    const running = runShell(`sleep ${d}; echo done`, {
      cwd: tmpdir(),
      env: process.env,
      timeoutMs: 60_000,
      label: "benchmark 'slow'"
    })
    expect(await eventually(() => sleepers(d).length === 1)).toBe(true)
    const [group] = sleepers(d).map((p) => p.pgid)
    const labels = await runCleanups()
    expect(labels).toEqual([`benchmark 'slow' (process group ${group})`])
    const r = await running
    expect(r.signal).toBe('SIGTERM')
    expect(r.stdout).toBe('')
    expect(sleepers(d)).toEqual([])
  })

  it('unregisters a command once it has finished: nothing is left to stop', async () => {
    await runShell('true', { cwd: tmpdir(), env: process.env, timeoutMs: 10_000, label: 'x' })
    expect(await runCleanups()).toEqual([])
  })

  it('ends a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const d = uniqueSleep()
    const r = await runShell(`sh -c 'trap "" TERM; exec sleep ${d}' & echo started`, {
      cwd: tmpdir(),
      env: process.env,
      timeoutMs: 60_000
    })
    expect(r.code).toBe(0)
    // Seen as the shell or as sleep, depending on when the table was read; ended either way.
    expect(r.ended.length).toBeGreaterThan(0)
    expect(sleepers(d)).toEqual([])
  })
})
