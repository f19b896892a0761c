import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runDist } from '../helpers/dist.js'

/*
 * Issue 15's reproduction through dist/cli.js: one `baseline`, then `gate` runs of the same code
 * whose jobs landed a few per cent off (the runner's drift between jobs, set by JOB_OFFSET). The
 * within-job rule (runner-drift 0) reads that drift as change and fails; the default rule judges
 * the job against the stored jobs with the drift the prior allows, and does not.
 */

/**
 * A command benchmark's program: one sample per process, 100 ms × (1 + JOB_OFFSET) with 1 %
 * run-to-run noise, seeded by JOB_SEED and the run's number (kept in a counter file), so every
 * job is reproducible.
 */
const PROGRAM = `
const fs = require('fs')
const seed = Number(process.env.JOB_SEED)
const offset = Number(process.env.JOB_OFFSET)
const counter = '.runs-' + seed
const n = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) + 1 : 0
fs.writeFileSync(counter, String(n))
let a = (seed * 1000 + n) >>> 0
const rand = () => {
  a = (a + 0x6d2b79f5) >>> 0
  let t = a
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
const value = 100 * (1 + offset) * Math.exp(0.01 * z)
process.stdout.write(JSON.stringify([{ name: 'op', unit: 'ms', value }]))
`

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-drift-'))
  writeFileSync(path.join(dir, 'job.cjs'), PROGRAM)
  const config = (extra: string) =>
    'testbed: t\nrepetitions: 8\nwarmup: 0\nbenchmarks:\n' +
    '  - name: tool\n    kind: command\n    run: node job.cjs\n    format: custom\n    class: core\n' +
    extra
  writeFileSync(path.join(dir, 'perf-gate.yml'), config(''))
  writeFileSync(path.join(dir, 'within-job.yml'), config('runner-drift: 0\n'))
  return dir
}

describe('gates of unchanged code on a drifting runner (dist/cli.js)', () => {
  it('fail by the within-job rule and not by the stored-jobs rule', () => {
    const dir = project()
    const job = (args: string[], seed: number, offset: number) =>
      runDist('cli.js', [...args, '--store', 'local:store'], {
        cwd: dir,
        env: { JOB_SEED: String(seed), JOB_OFFSET: String(offset) }
      })
    expect(job(['baseline'], 1, 0).code).toBe(0)

    // Five later jobs of the same code, 7 to 12 % off the baseline's job either way.
    const offsets = [0.09, -0.08, 0.12, 0.07, -0.1]
    const old = offsets.map((o, i) => job(['gate', '--config', 'within-job.yml'], 10 + i, o))
    const now = offsets.map((o, i) => job(['gate'], 20 + i, o))
    for (const r of [...old, ...now]) expect(r.stderr).not.toMatch(/^perf-gate: /m)

    // The within-job rule fails every job that landed slow, and calls the fast ones improved.
    expect(old.map((r) => r.code)).toEqual([1, 0, 1, 1, 0])
    expect(old.filter((r) => /verdict: fail/.test(r.stdout))).toHaveLength(3)
    // The stored-jobs rule fails none: one stored job, so the 5 % drift prior carries it.
    expect(now.map((r) => r.code)).toEqual([0, 0, 0, 0, 0])
    for (const r of now) {
      expect(r.stdout).not.toMatch(/verdict: fail/)
      expect(r.stdout).toContain('Judged against stored jobs: one stored job')
    }
    const ledger = readFileSync(path.join(dir, '.perf-gate/out/ledger.md'), 'utf8')
    expect(ledger).toMatch(
      /Judged against stored jobs: one stored job, so the 5 % runner-drift prior carries the decision; stored baselines on this runner can confirm regressions past \d+ %; use `ab: true` to gate at 5 %\./
    )
  })

  it('still fails a real regression well past what one stored job resolves', () => {
    const dir = project()
    const job = (args: string[], seed: number, offset: number) =>
      runDist('cli.js', [...args, '--store', 'local:store'], {
        cwd: dir,
        env: { JOB_SEED: String(seed), JOB_OFFSET: String(offset) }
      })
    expect(job(['baseline'], 1, 0).code).toBe(0)
    const slower = job(['gate'], 2, 0.6)
    expect(slower.code).toBe(1)
    expect(slower.stdout).toMatch(/verdict: fail/)
  })
})
