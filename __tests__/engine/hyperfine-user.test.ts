import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { runJob, type JobOptions } from '../../src/engine/job.js'
import { silentReporter } from '../../src/runners/progress.js'

/*
 * #20 item 4: hyperfine's user time, steady where the wall time of a loaded runner is not, can be
 * gated with `metrics: { user: { gate: true } }`. hyperfine writes user time as a mean, so its
 * samples come from hyperfine run once per file: five real runs per side
 * (fixtures/hyperfine/runs/, 30 % more work in loop-slowed), imported through a glob.
 */

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pg-hyperfine-user-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const runs = (which: string): string => path.resolve('fixtures/hyperfine/runs', which, '*.json')

async function gate(name: string, config: string) {
  const root = path.join(dir, name)
  const store = new LocalBaselineStore(path.join(root, 'store'))
  writeFileSync(`${root}.yml`, `testbed: t\n# within-job rule\nrunner-drift: 0\n${config}`)
  const opts = (mode: JobOptions['mode'], glob: string, sha: string): JobOptions => ({
    mode,
    configPath: `${root}.yml`,
    resultsGlob: glob,
    store,
    failOn: 'fail',
    commit: { sha: sha.repeat(40) },
    context: { onGitHub: false },
    reporter: silentReporter,
    now: () => new Date('2026-12-07T12:00:00Z')
  })
  const base = await runJob(opts('baseline', runs('loop'), 'a'))
  expect(base.baselineWritten).not.toBeNull()
  return runJob(opts('gate', runs('loop-slowed'), 'b'))
}

describe('hyperfine user time', () => {
  it('is recorded but not gated by default: the wall time is', async () => {
    const r = await gate('default', '')
    expect(r.outcome.comparisons.map((c) => c.metric)).toEqual(['time'])
    const loop = r.current.benchmarks.find((b) => b.name === 'loop')
    expect(loop?.metrics.map((m) => [m.name, m.samples.length, m.gate])).toEqual([
      ['time', 25, undefined],
      ['user', 5, false],
      ['system', 5, false]
    ])
  })

  it('fails +30 % more work when metrics: { user: { gate: true } } gates it', async () => {
    const r = await gate('user', 'metrics:\n  user: { gate: true }\n')
    const user = r.outcome.comparisons.find((c) => c.metric === 'user')
    expect(user?.verdict).toBe('fail')
    expect(user?.change).toBeGreaterThan(0.25)
    expect(user?.change).toBeLessThan(0.35)
    expect(r.outcome.verdict).toBe('fail')
    expect(r.failed).toBe(true)
    // system stays recorded only.
    expect(r.outcome.comparisons.map((c) => c.metric).sort()).toEqual(['time', 'user'])
  })
})
