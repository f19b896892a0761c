import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runDist } from '../helpers/dist.js'

/*
 * `npm run local-action`: the action's sources under GitHub's @github/local-action, from this
 * project's folder, with the committed .env.example (its folder moved to a temporary one). The
 * outputs must reach local-action's @actions/core stub and the job summary its file. Offline:
 * npm runs the local tsx and lists the local packages, nothing is fetched.
 */
describe('npm run local-action (@github/local-action)', () => {
  it('gates the sample inputs and shows the outputs and the job summary', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-local-action-'))
    const example = readFileSync('.env.example', 'utf8')
    expect(example).toMatch(/^INPUT_RESULTS=fixtures\/hyperfine\/work-slower-2x\.json$/m)
    // The example's own folder, moved; a config there keeps the report out of this checkout.
    const env = example.replaceAll('.perf-gate/local-action', dir)
    writeFileSync(path.join(dir, 'perf-gate.yml'), 'testbed: local-action\n')
    const envFile = path.join(dir, '.env')
    writeFileSync(envFile, `${env}\nINPUT_CONFIG=${path.join(dir, 'perf-gate.yml')}\n`)

    // The baseline the example's comments say how to record.
    const base = runDist('cli.js', [
      'baseline',
      '--results',
      path.resolve('fixtures/hyperfine/work-baseline.json'),
      '--store',
      `local:${path.join(dir, 'baselines')}`,
      '--testbed',
      'local-action',
      '--config',
      path.join(dir, 'perf-gate.yml'),
      '--out',
      path.join(dir, 'cli-out'),
      '--raw-dir',
      path.join(dir, 'cli-raw')
    ])
    expect(base.code).toBe(0)

    const r = spawnSync(process.execPath, ['scripts/local-action.mjs', envFile], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false'
      },
      encoding: 'utf8',
      timeout: 240_000
    })
    const out = r.stdout + r.stderr
    expect(out).not.toMatch(/No outputs were set!/)
    // local-action's own table of the outputs the action set through its @actions/core stub.
    const outputs = out.slice(out.indexOf('Action Outputs'))
    expect(outputs).toMatch(/'verdict'\s+│ 'fail'/)
    expect(outputs).toMatch(/'route'\s+│ 'A'/)
    expect(outputs).toMatch(/'regressions'\s+│ '1'/)
    expect(out).toMatch(
      /::error::perf-gate: fail: 1 regression past the fail budget: work\/time \+100\.\d %/
    )
    // The job summary, printed after the run from the file the example names.
    expect(out).toContain(`Job summary (${path.join(dir, 'summary.md')}):`)
    const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8')
    expect(summary).toMatch(/^## ❌ perf: fail/)
    expect(out).toContain(summary.trim().split('\n')[0])
  }, 300_000)
})
