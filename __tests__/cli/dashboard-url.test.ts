import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli/main.js'
import { metricChartUrl } from '../../src/report/dashboard-link.js'

/*
 * `--dashboard-url` through the CLI's main, as the action's `dashboard-url`: the report and the
 * ledger it writes link each metric to its chart, and a URL that is not http(s) is refused.
 */

const BASE = 'https://acme.github.io/app/'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pg-cli-dashboard-url-'))
  mkdirSync(path.join(dir, 'results'))
  writeFileSync(
    path.join(dir, 'perf-gate.yml'),
    'testbed: ci\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*.json\n    class: core\nrunner-drift: 0\n'
  )
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function cli(command: string, fixture: string, extra: string[] = []) {
  copyFileSync(`fixtures/hyperfine/${fixture}.json`, path.join(dir, 'results', 'work.json'))
  let stderr = ''
  const code = await main(
    [
      command,
      '--config',
      path.join(dir, 'perf-gate.yml'),
      '--results',
      path.join(dir, 'results', 'work.json'),
      '--store',
      `local:${path.join(dir, 'store')}`,
      '--out',
      path.join(dir, 'out'),
      '--raw-dir',
      path.join(dir, 'raw'),
      ...extra
    ],
    { stdout: () => undefined, stderr: (t) => (stderr += t) },
    // Off GitHub: the local store is the user's.
    {}
  )
  return { code, stderr }
}

const out = (file: string) => readFileSync(path.join(dir, 'out', file), 'utf8')

describe('perf-gate gate --dashboard-url', () => {
  it("links the report's and the ledger's metric to its chart", async () => {
    expect((await cli('baseline', 'work-baseline')).code).toBe(0)
    const r = await cli('gate', 'work-same', ['--dashboard-url', BASE])
    expect(r).toMatchObject({ code: 0 })
    const chart = metricChartUrl(BASE, 'ci', 'work', 'time')
    expect(chart).toBe('https://acme.github.io/app/#tb=ci&m=work%3Atime')
    expect(out('report.md')).toContain(`](${chart})`)
    expect(out('ledger.md')).toContain(`](${chart})`)
  })

  it('links nothing without it', async () => {
    expect((await cli('baseline', 'work-baseline')).code).toBe(0)
    expect((await cli('gate', 'work-same')).code).toBe(0)
    expect(out('report.md')).not.toContain('#tb=')
    expect(out('ledger.md')).not.toContain('#tb=')
  })

  it('refuses a URL that is not http(s), as the action does, before it runs anything', async () => {
    const r = await cli('gate', 'work-same', ['--dashboard-url', 'javascript:alert(1)'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      "perf-gate: --dashboard-url must be an http(s) URL, got 'javascript:alert(1)'\n"
    )
    expect(existsSync(path.join(dir, 'out'))).toBe(false)
    const spaced = await cli('run', 'work-same', ['--dashboard-url', 'https://acme.github.io/a b'])
    expect(spaced.code).toBe(2)
  })
})
