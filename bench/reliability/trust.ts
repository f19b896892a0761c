import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { mulberry32 } from '../../__tests__/helpers/random.js'
import { GitHubStandin, installationToken } from '../../__tests__/helpers/github-standin.js'
import { standinModel, startOllamaStandin } from '../../__tests__/helpers/ollama-standin.js'
import { REGISTRY_PATH } from '../../src/outputs/files.js'
import {
  runAction,
  workspace,
  type RunnerEvent
} from '../../__tests__/helpers/github-standin-run.js'
import { payload, type EventPayload } from './events.js'
import {
  hasStackTrace,
  pool,
  removeDir,
  sample,
  type CaseResult,
  type RunOptions
} from './common.js'

/*
 * Who may write a baseline, tried on the built action rather than on the trust function: every
 * event × where the code comes from (this repository or a fork) × branch (default or other), in
 * mode baseline (only push and workflow_dispatch of this repository's default branch may write;
 * every other cell must write nothing, locally or to GitHub) and in mode gate (never a baseline).
 */

export const EVENTS = [
  'push',
  'workflow_dispatch',
  'schedule',
  'release',
  'pull_request',
  'pull_request_target',
  'workflow_run',
  'issue_comment',
  'merge_group'
] as const
type EventName = (typeof EVENTS)[number]
type Origin = 'same' | 'fork'
type Branch = 'default' | 'other'

const TUNING = JSON.stringify({ timeScale: 0.001, pacing: false, requestTimeoutMs: 5000 })
const UPSTREAM = 'Codertocat/Hello-World'
const FORK = 'mallory/Hello-World'

function example(name: EventName): EventPayload {
  const source: Record<EventName, string> = {
    push: 'push',
    workflow_dispatch: 'workflow_dispatch',
    schedule: 'push',
    release: 'release',
    pull_request: 'pull_request',
    pull_request_target: 'pull_request',
    workflow_run: 'workflow_run',
    issue_comment: 'issue_comment',
    merge_group: 'push'
  }
  return payload(source[name])
}

export function cellEvent(
  name: EventName,
  origin: Origin,
  branch: Branch
): RunnerEvent & { repo: string } {
  const p = example(name)
  const main = 'main'
  const other = 'feature/x'
  const ref = branch === 'default' ? main : other
  p.repository = { ...(p.repository ?? {}), full_name: UPSTREAM, default_branch: main, fork: false }
  let repo = UPSTREAM
  let gitRef = `refs/heads/${ref}`
  if (name === 'pull_request' || name === 'pull_request_target') {
    p.pull_request.number = 2
    p.pull_request.base.ref = ref
    p.pull_request.head.repo.full_name = origin === 'fork' ? FORK : UPSTREAM
    p.pull_request.head.repo.fork = origin === 'fork'
    // pull_request runs on the merge ref; pull_request_target on the base branch.
    gitRef = name === 'pull_request' ? 'refs/pull/2/merge' : `refs/heads/${ref}`
  } else if (name === 'workflow_run') {
    Object.assign(p.workflow_run, {
      event: 'pull_request',
      head_branch: ref,
      head_repository: {
        ...p.workflow_run.head_repository,
        full_name: origin === 'fork' ? FORK : UPSTREAM
      },
      pull_requests: []
    })
    gitRef = `refs/heads/${main}`
  } else if (origin === 'fork') {
    // No head repository in these events: "fork" is a fork running the workflow in its own
    // repository, which must not write as if it were upstream.
    p.repository = { ...p.repository, full_name: FORK, fork: true }
    repo = FORK
  }
  if (name === 'merge_group') gitRef = `refs/heads/gh-readonly-queue/${ref}/pr-2-abc`
  return { name, payload: p, ref: gitRef, sha: 'b'.repeat(40), repo }
}

/**
 * push and workflow_dispatch carry no code from elsewhere: in a fork they are the fork's own runs,
 * on its own default branch, writing its own store (its token cannot reach upstream's), which is
 * as trusted as upstream's runs are upstream.
 */
export function mayWrite(name: EventName, _origin: Origin, branch: Branch): boolean {
  return (name === 'push' || name === 'workflow_dispatch') && branch === 'default'
}

export interface TrustCell extends CaseResult {
  event: EventName
  origin: Origin
  branch: Branch
  expected: 'writes' | 'refuses'
  baselineWrites: number
  registryWritten: boolean
  /** What `perf-gate baseline` (the CLI) wrote in the same cell, on the same runner. */
  cliWrites: number
  githubWrites: number
}

function baselines(ws: string): number {
  try {
    return readdirSync(path.join(ws, '.perf-gate', 'baselines', 'ci')).filter(
      (n) => n.endsWith('.json') && !n.startsWith('.')
    ).length
  } catch {
    return 0
  }
}

/** The CLI run as a workflow step would run it: the runner's GITHUB_* variables, its own store. */
function cliBaseline(
  ws: string,
  ev: RunnerEvent & { repo: string }
): { code: number | null; written: number } {
  const eventPath = path.join(ws, 'cli-event.json')
  writeFileSync(eventPath, JSON.stringify(ev.payload))
  const store = path.join(ws, 'cli-store')
  const r = spawnSync(
    process.execPath,
    [
      path.resolve('dist', 'cli.js'),
      'baseline',
      '--results',
      'results/work.json',
      '--store',
      `local:${store}`
    ],
    {
      cwd: ws,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: ev.name,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REF: ev.ref,
        GITHUB_SHA: ev.sha,
        GITHUB_REPOSITORY: ev.repo
      }
    }
  )
  let written = 0
  try {
    written = readdirSync(path.join(store, 'ci')).filter((n) => n.endsWith('.json')).length
  } catch {
    written = 0
  }
  return { code: r.status, written }
}

async function runCell(name: EventName, origin: Origin, branch: Branch): Promise<TrustCell> {
  const gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({
        checks: 'write',
        issues: 'write',
        pull_requests: 'write',
        contents: 'write'
      })
    }
  }).start()
  const ollama = await startOllamaStandin([standinModel({ timing: { outputTokens: 8 } })])
  const ws = workspace()
  const t0 = performance.now()
  try {
    gh.addPull({ number: 2, headSha: 'c'.repeat(40) })
    copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(ws, 'results', 'work.json'))
    // The action runs a real (stand-in) Ollama benchmark, so a trusted run also writes the models
    // registry: both writes are checked.
    writeFileSync(path.join(ws, 'perf-gate.yml'), ollamaConfig(ollama.host))
    const ev = cellEvent(name, origin, branch)
    const env = { PERF_GATE_API_TUNING: TUNING, GITHUB_REPOSITORY: ev.repo }
    const token = { 'github-token': 'ghs-write' }
    const base = await runAction({ ws, event: ev, gh, inputs: { mode: 'baseline', ...token }, env })
    const written = baselines(ws)
    const registry = existsSync(path.join(ws, REGISTRY_PATH))
    const githubWritesBaseline = gh.writes().length
    const gate = await runAction({ ws, event: ev, gh, inputs: token, env })
    const afterGate = baselines(ws)
    const cli = cliBaseline(ws, ev)
    const expected = mayWrite(name, origin, branch) ? 'writes' : 'refuses'
    const wrong: string[] = []
    if (expected === 'writes' && (written !== 1 || base.code !== 0))
      wrong.push(`trusted cell wrote ${written} baselines (exit ${String(base.code)})`)
    if (registry !== (expected === 'writes'))
      wrong.push(`models registry ${registry ? 'written' : 'not written'}`)
    if (expected === 'refuses') {
      if (written !== 0) wrong.push(`untrusted cell wrote ${written} baselines`)
      if (githubWritesBaseline !== 0)
        wrong.push(`mode baseline sent ${githubWritesBaseline} writes to GitHub`)
      if (base.code !== 1 || !/::error::perf-gate: mode 'baseline' refused/.test(base.stdout))
        wrong.push('no clear refusal')
    }
    if (afterGate !== written) wrong.push('mode gate wrote a baseline')
    if (cli.written !== (expected === 'writes' ? 1 : 0))
      wrong.push(`the CLI's 'perf-gate baseline' wrote ${cli.written} (exit ${String(cli.code)})`)
    if (hasStackTrace(base.stdout + base.stderr + gate.stdout + gate.stderr))
      wrong.push('stack trace')
    const refusal =
      /::error::(perf-gate: mode 'baseline' refused: [^\n]*)/.exec(base.stdout)?.[1] ?? ''
    return {
      name: `${name} · ${origin} · ${branch}`,
      outcome: wrong.length ? 'wrong' : expected === 'writes' ? 'recovered' : 'clear error',
      detail: wrong.join('; ') || refusal.slice(0, 160),
      ms: performance.now() - t0,
      event: name,
      origin,
      branch,
      expected,
      baselineWrites: written,
      registryWritten: registry,
      cliWrites: cli.written,
      githubWrites: gh.writes().length
    }
  } finally {
    await gh.close()
    await ollama.close()
    removeDir(ws)
  }
}

function ollamaConfig(host: string): string {
  return [
    'testbed: ci',
    'benchmarks:',
    '  - name: llm',
    '    kind: ollama',
    `    host: ${host}`,
    '    model: llama3.2',
    '    prompt: Why is the sky blue?',
    '    repetitions: 3',
    '    warmup: 0',
    '    class: core',
    '    options: { num_ctx: 2048, num_predict: 8 }',
    ''
  ].join('\n')
}

export async function trust(opts: RunOptions): Promise<TrustCell[]> {
  let cells: Array<[EventName, Origin, Branch]> = []
  for (const e of EVENTS)
    for (const o of ['same', 'fork'] as const)
      for (const b of ['default', 'other'] as const) cells.push([e, o, b])
  if (opts.quick) {
    const trusted = cells.filter(([e, o, b]) => mayWrite(e, o, b))
    const rest = cells.filter(([e, o, b]) => !mayWrite(e, o, b))
    cells = [...trusted, ...sample(rest, 6, mulberry32(opts.seed))]
  }
  return pool(cells, 2, async ([e, o, b]) => {
    const r = await runCell(e, o, b)
    opts.log(`  trust ${r.name}: ${r.outcome === 'wrong' ? 'WRONG ' : ''}${r.expected} ${r.detail}`)
    return r
  })
}
