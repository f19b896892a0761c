import { describe, expect, it } from '@jest/globals'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runDist } from '../helpers/dist.js'

// Real webhook payloads, as GitHub documents them.
const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
  name: string
  examples: Array<Record<string, any>>
}>
const payload = (name: string, pick: (e: Record<string, any>) => boolean = () => true) => {
  const found = examples.find((e) => e.name === name)?.examples.find(pick)
  if (!found) throw new Error(`no ${name} example`)
  return structuredClone(found)
}

// runner-drift 0: the within-job rule, by which the +20 % fixture against one stored baseline FAILs.
function workspace(): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'pg-action-'))
  mkdirSync(path.join(ws, 'results'))
  writeFileSync(
    path.join(ws, 'perf-gate.yml'),
    'testbed: ci\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*.json\n    class: core\nrunner-drift: 0\n'
  )
  return ws
}

function runAction(
  ws: string,
  event: { name: string; payload: unknown; ref: string; sha: string },
  inputs: Record<string, string>
) {
  const eventPath = path.join(ws, `event-${event.name}.json`)
  writeFileSync(eventPath, JSON.stringify(event.payload))
  const outputFile = path.join(ws, 'github-output')
  const summaryFile = path.join(ws, 'step-summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: NodeJS.ProcessEnv = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: event.ref,
    GITHUB_SHA: event.sha,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  const r = runDist('index.js', [], { cwd: ws, env })
  return {
    ...r,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8')
  }
}

/** GITHUB_OUTPUT uses `name<<DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(re)) out[m[1]] = m[3]!
  return out
}

const push = () => {
  const p = payload('push')
  return {
    name: 'push',
    payload: p,
    ref: `refs/heads/${p.repository.default_branch}`,
    sha: 'b'.repeat(40)
  }
}
const pullRequest = () => {
  const p = payload('pull_request', (e) => e.action === 'opened')
  return {
    name: 'pull_request',
    payload: p,
    ref: `refs/pull/${p.number}/merge`,
    sha: 'm'.repeat(40)
  }
}

describe('the action (dist/index.js) on a runner', () => {
  it('records a baseline on push to the default branch, then fails a PR that is 20 % slower', () => {
    const ws = workspace()
    copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(ws, 'results', 'work.json'))
    const base = runAction(ws, push(), { mode: 'baseline', results: 'results/*.json' })
    expect(base.code).toBe(0)
    expect(base.outputs.verdict).toBe('neutral')
    expect(readdirSync(path.join(ws, '.perf-gate/baselines/ci'))).toHaveLength(1)

    copyFileSync('fixtures/hyperfine/work-slower-20pct.json', path.join(ws, 'results', 'work.json'))
    const pr = pullRequest()
    const gate = runAction(ws, pr, { mode: 'gate', results: 'results/*.json' })
    expect(gate.code).toBe(1)
    expect(gate.stdout).toMatch(/::error::perf-gate: fail/)
    expect(gate.outputs).toMatchObject({
      verdict: 'fail',
      route: 'A',
      regressions: '1',
      improvements: '0'
    })
    expect(gate.summary).toMatch(/work/)
    // The check run targets the PR head, never the merge commit in GITHUB_SHA.
    const checkRun = JSON.parse(readFileSync(gate.outputs['check-run-path'], 'utf8'))
    expect(checkRun).toMatchObject({
      name: 'review:gate:perf',
      head_sha: pr.payload.pull_request.head.sha,
      conclusion: 'failure'
    })
    const ledger = readFileSync(gate.outputs['ledger-path'], 'utf8')
    expect(ledger).toMatch(/<!-- gates:start -->[\s\S]*\| perf \|[\s\S]*<!-- gates:end -->/)
    expect(existsSync(gate.outputs['results-path'])).toBe(true)
    // The PR wrote nothing to the store.
    expect(readdirSync(path.join(ws, '.perf-gate/baselines/ci'))).toHaveLength(1)
  })

  it('passes a PR whose numbers are noise, and fail-on never keeps a failing gate green', () => {
    const ws = workspace()
    copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(ws, 'results', 'work.json'))
    expect(runAction(ws, push(), { mode: 'baseline', results: 'results/*.json' }).code).toBe(0)
    copyFileSync('fixtures/hyperfine/work-same.json', path.join(ws, 'results', 'work.json'))
    const same = runAction(ws, pullRequest(), { results: 'results/*.json' })
    expect(same.code).toBe(0)
    expect(same.outputs).toMatchObject({ verdict: 'pass', route: 'B' })
    copyFileSync('fixtures/hyperfine/work-slower-20pct.json', path.join(ws, 'results', 'work.json'))
    const never = runAction(ws, pullRequest(), { results: 'results/*.json', 'fail-on': 'never' })
    expect(never.code).toBe(0)
    expect(never.outputs.verdict).toBe('fail')
  })

  it('gives neutral, not a failure, when there is no baseline yet', () => {
    const ws = workspace()
    copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(ws, 'results', 'work.json'))
    const r = runAction(ws, pullRequest(), { results: 'results/*.json' })
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ verdict: 'neutral', route: 'none' })
    expect(existsSync(path.join(ws, '.perf-gate/baselines'))).toBe(false)
  })

  it.each([
    ['a pull request', pullRequest],
    ['a push to another branch', () => ({ ...push(), ref: 'refs/heads/feature' })]
  ])('refuses to write a baseline from %s, and writes nothing', (_what, event) => {
    const ws = workspace()
    copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(ws, 'results', 'work.json'))
    const r = runAction(ws, event(), { mode: 'baseline', results: 'results/*.json' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::perf-gate: mode 'baseline' refused: .*Nothing was written\./)
    expect(existsSync(path.join(ws, '.perf-gate/baselines'))).toBe(false)
  })

  it('reports a config error as one line naming file and line, without a stack trace', () => {
    const ws = workspace()
    writeFileSync(
      path.join(ws, 'perf-gate.yml'),
      'testbed: ci\nrepetitions: 0\nbenchmarks:\n  - name: w\n    kind: file\n    path: x\n'
    )
    const r = runAction(ws, pullRequest(), {})
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error::perf-gate: .*perf-gate\.yml:2: repetitions must be an integer >= 1/
    )
    expect(r.stdout).not.toMatch(/\n\s+at /)
  })

  it('names a bad input', () => {
    const r = runAction(workspace(), pullRequest(), { 'fail-on': 'sometimes' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error::perf-gate: input 'fail-on' must be one of fail, warn, never; got 'sometimes'/
    )
  })
})
