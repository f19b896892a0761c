import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli/main.js'
import { webhook } from '../helpers/github-standin-run.js'

/*
 * Found by the reliability suite's trust table: on a GitHub runner the CLI wrote baselines from
 * any event (it always ran as "local"), so a pull request job calling `perf-gate baseline` or
 * `run` on a persistent self-hosted runner left a baseline behind for trusted runs to gate against.
 */

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pg-cli-trust-'))
  mkdirSync(path.join(dir, 'results'))
  copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(dir, 'results', 'work.json'))
  writeFileSync(
    path.join(dir, 'perf-gate.yml'),
    'testbed: ci\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*.json\n    class: core\n'
  )
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function runner(event: 'pull_request' | 'push'): NodeJS.ProcessEnv {
  const payload = webhook(event)
  const file = path.join(dir, 'event.json')
  writeFileSync(file, JSON.stringify(payload))
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: file,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_REF:
      event === 'push' ? `refs/heads/${payload.repository.default_branch}` : 'refs/pull/2/merge'
  }
}

async function cli(command: string, env: NodeJS.ProcessEnv) {
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
      path.join(dir, 'raw')
    ],
    { stdout: () => undefined, stderr: (t) => (stderr += t) },
    env
  )
  return { code, stderr }
}

const stored = (): string[] => {
  try {
    return readdirSync(path.join(dir, 'store', 'ci'))
  } catch {
    return []
  }
}

describe('the CLI on a GitHub runner', () => {
  it('refuses `baseline` in a pull request job and writes nothing', async () => {
    const r = await cli('baseline', runner('pull_request'))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /perf-gate: mode 'baseline' refused: baselines are written only on push or workflow_dispatch to the default branch; this run is a 'pull_request' event/
    )
    expect(stored()).toEqual([])
  })

  it('does not record a first baseline from `run` in a pull request job', async () => {
    const r = await cli('run', runner('pull_request'))
    expect(r.code).toBe(0)
    expect(stored()).toEqual([])
  })

  it('writes from a push to the default branch, and anywhere off GitHub', async () => {
    expect((await cli('baseline', runner('push'))).code).toBe(0)
    expect(stored()).toHaveLength(1)
    expect((await cli('baseline', {})).code).toBe(0)
    expect(stored()).toHaveLength(2)
  })
})
