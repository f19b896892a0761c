import { copyFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { mulberry32 } from '../../__tests__/helpers/random.js'
import {
  GITHUB_ACTIONS_BOT,
  GitHubStandin,
  installationToken,
  type Fault
} from '../../__tests__/helpers/github-standin.js'
import {
  runAction,
  workspace,
  type ActionRun,
  type RunnerEvent
} from '../../__tests__/helpers/github-standin-run.js'
import { isLedger } from '../../src/report/ledger.js'
import { payload, type EventPayload } from './events.js'
import {
  copyDir,
  hasStackTrace,
  pool,
  removeDir,
  sample,
  timed,
  type CaseResult,
  type RunOptions
} from './common.js'

/*
 * The fault matrix for GitHub: the built action (dist/index.js) runs as a runner runs it against
 * the stand-in, once per (call, fault) with the fault injected on that one operation, and the
 * result is judged from what GitHub ended up holding and what the user was told. A call is an
 * operation id plus the scenario that reaches it, so a new call the product makes (the git store's
 * blobs, trees, commits and refs) is one more entry in CALLS.
 */

/** Timeouts short enough for a matrix of hangs, long enough for a busy machine's normal replies. */
const TUNING = JSON.stringify({ timeScale: 0.001, pacing: false, requestTimeoutMs: 1000 })
/**
 * "timeout" is GitHub's: it gives up on a slow request (after 10 s, well inside the client's 30 s)
 * with a 504, the write possibly applied; scaled here to inside the client's 1 s. A client-side
 * timeout is the "hang" column.
 */
const GITHUB_TIMEOUT_MS = 500

export const FAULTS: Record<string, Fault> = {
  '500': { kind: 'status', status: 500, message: 'Server Error' },
  '502-after-write': { kind: 'after', status: 502 },
  '503': { kind: 'status', status: 503, message: 'Service Unavailable' },
  '403-secondary': { kind: 'rate-limit', type: 'secondary', status: 403, retryAfterSeconds: 2 },
  '429': { kind: 'rate-limit', type: 'secondary', status: 429, retryAfterSeconds: 1 },
  '422-too-long': {
    kind: 'status',
    status: 422,
    message: 'Validation Failed: Body is too long (maximum is 65536 characters)'
  },
  timeout: { kind: 'timeout', ms: GITHUB_TIMEOUT_MS },
  hang: { kind: 'hang' }
}

/** How often the fault repeats: once (the retry budget should absorb it) or past every retry. */
export const PERSISTENCE = { once: 1, always: 8 } as const
type Persistence = keyof typeof PERSISTENCE

type ScenarioName = 'fresh' | 'update' | 'duplicate' | 'accept' | 'identity' | 'report'

export interface CallEntry {
  op: string
  scenario: ScenarioName
  /** Faults put in place first, so the call under test is reached at all. */
  pre?: Array<{ op: string; fault: Fault }>
}

export const CALLS: CallEntry[] = [
  { op: 'checks/create', scenario: 'fresh' },
  {
    op: 'checks/list-for-ref',
    scenario: 'fresh',
    pre: [{ op: 'checks/create', fault: { kind: 'status', status: 502 } }]
  },
  { op: 'checks/update', scenario: 'fresh' },
  { op: 'pulls/get', scenario: 'fresh' },
  // Baseline selection: is the stored baseline's commit on the PR's history?
  { op: 'repos/compare-commits-with-basehead', scenario: 'fresh' },
  { op: 'issues/list-events', scenario: 'accept' },
  { op: 'issues/list-comments', scenario: 'fresh' },
  { op: 'issues/create-comment', scenario: 'fresh' },
  { op: 'issues/update-comment', scenario: 'update' },
  { op: 'issues/get-comment', scenario: 'update' },
  { op: 'issues/delete-comment', scenario: 'duplicate' },
  { op: 'users/get-authenticated', scenario: 'identity' },
  { op: 'pulls/list', scenario: 'report' }
]

const PR = 2
const RUN_ID = '6100'
const HOP = `<!-- perf-gate:hop:${RUN_ID}.1 -->`

interface Expect {
  verdict: string
  code: number
  conclusion: string | null
}

interface Scenario {
  results: 'work-same' | 'work-slower-20pct'
  expect: Expect
  inputs: Record<string, string>
  /** Hop markers already in the ledger before the run: none may be lost. */
  priorHops: string[]
  /** A failure to read the PR may only make the verdict stricter (an acceptance not applied). */
  stricterOk?: boolean
  report?: boolean
  setup(gh: GitHubStandin, t: Template): void
  event(t: Template): RunnerEvent
}

export interface Template {
  dir: string
  head: string
  /** The commit the baseline was recorded on, where the pull request branched off. */
  base: string
}

/**
 * The commit graph the compare API answers from: the PR head one commit past the baselined commit,
 * which both branch names point at. Without it every case would also carry the "merge-base not
 * found" warning, and no case could count as recovered.
 */
function linkHistory(gh: GitHubStandin, t: Template): void {
  const tree = [...gh.git.trees.keys()][0] ?? 'e'.repeat(40)
  if (!gh.git.trees.has(tree)) gh.git.trees.set(tree, [])
  gh.git.commits.set(t.base, { sha: t.base, tree, parents: [], message: 'baselined' })
  gh.git.commits.set(t.head, { sha: t.head, tree, parents: [t.base], message: 'pull request' })
  for (const branch of ['main', 'master']) gh.git.refs.set(`refs/heads/${branch}`, t.base)
}

function oldLedger(hopRun: string): string {
  return [
    '<!-- perf-gate:ledger -->',
    '### Review ledger',
    '<!-- gates:start -->',
    '| Gate | Status | Evidence |',
    '| --- | --- | --- |',
    '| perf | ✅ pass | `perf: work/time: 1.00 s; Δ vs baseline: +0.1%` |',
    '<!-- gates:end -->',
    '<!-- hoplog:start -->',
    `- 2026-11-21 09:00 UTC · perf · 1111111 · ✅ pass · run ${hopRun} <!-- perf-gate:hop:${hopRun} -->`,
    '<!-- hoplog:end -->'
  ].join('\n')
}

function pullRequestEvent(): RunnerEvent & { payload: EventPayload } {
  const p = payload('pull_request', (e) => e.action === 'synchronize')
  return { name: 'pull_request', payload: p, ref: `refs/pull/${PR}/merge`, sha: '9'.repeat(40) }
}

const gateInputs = { results: 'results/*.json', 'github-token': 'ghs-write' }

const SCENARIOS: Record<ScenarioName, Scenario> = {
  fresh: {
    results: 'work-same',
    expect: { verdict: 'pass', code: 0, conclusion: 'success' },
    inputs: gateInputs,
    priorHops: [],
    setup: () => undefined,
    event: () => pullRequestEvent()
  },
  update: {
    results: 'work-same',
    expect: { verdict: 'pass', code: 0, conclusion: 'success' },
    inputs: gateInputs,
    priorHops: ['<!-- perf-gate:hop:4100.1 -->'],
    setup: (gh) => void gh.addComment(PR, oldLedger('4100.1'), GITHUB_ACTIONS_BOT),
    event: () => pullRequestEvent()
  },
  duplicate: {
    results: 'work-same',
    expect: { verdict: 'pass', code: 0, conclusion: 'success' },
    inputs: gateInputs,
    priorHops: ['<!-- perf-gate:hop:4100.1 -->', '<!-- perf-gate:hop:4101.1 -->'],
    setup: (gh) => {
      gh.addComment(PR, oldLedger('4100.1'), GITHUB_ACTIONS_BOT)
      gh.addComment(PR, oldLedger('4101.1'), GITHUB_ACTIONS_BOT)
    },
    event: () => pullRequestEvent()
  },
  accept: {
    results: 'work-slower-20pct',
    expect: { verdict: 'neutral', code: 0, conclusion: 'neutral' },
    inputs: gateInputs,
    priorHops: [],
    stricterOk: true,
    setup: (gh) => {
      const pull = gh.pulls.get(PR)
      if (!pull) return
      pull.labels = ['perf-gate:accept']
      pull.body = 'Parser swap.\n\nperf-gate-accept: 20 % slower start-up buys the streaming parser'
      gh.issueEvents.push({
        issue: PR,
        label: 'perf-gate:accept',
        actor: { login: 'alice', id: 9, type: 'User' },
        event: 'labeled'
      })
    },
    event: () => pullRequestEvent()
  },
  identity: {
    results: 'work-same',
    expect: { verdict: 'pass', code: 0, conclusion: null },
    inputs: { ...gateInputs, 'check-run': 'false' },
    priorHops: [],
    setup: () => undefined,
    event: () => pullRequestEvent()
  },
  report: {
    results: 'work-same',
    expect: { verdict: 'fail', code: 1, conclusion: 'failure' },
    inputs: { mode: 'report', 'results-dir': 'perf-results', 'github-token': 'ghs-write' },
    priorHops: [],
    report: true,
    setup: (gh, t) => {
      const pull = gh.pulls.get(PR)
      if (pull) pull.head = { sha: t.head, ref: 'main', repoFullName: 'mallory/Hello-World' }
    },
    event: (t) => {
      const p = payload('workflow_run', (e) => e.action === 'completed')
      p.repository.full_name = 'Codertocat/Hello-World'
      Object.assign(p.workflow_run, {
        event: 'pull_request',
        head_sha: t.head,
        head_branch: 'main',
        head_repository: { ...p.workflow_run.head_repository, full_name: 'mallory/Hello-World' },
        pull_requests: [],
        id: Number(RUN_ID),
        run_attempt: 1
      })
      return { name: 'workflow_run', payload: p, ref: 'refs/heads/main', sha: 'a'.repeat(40) }
    }
  }
}

function pushEvent(): RunnerEvent {
  const p = payload('push')
  return {
    name: 'push',
    payload: p,
    ref: `refs/heads/${p.repository.default_branch ?? 'main'}`,
    sha: 'b'.repeat(40)
  }
}

const fixture = (name: string) => `fixtures/hyperfine/${name}.json`

/**
 * A workspace with a recorded baseline and, in `perf-results/`, the results artifact a fork PR's
 * run would upload (slower than the baseline): every case starts from a copy of it.
 */
export async function buildTemplate(): Promise<Template> {
  const dir = workspace()
  copyFileSync(fixture('work-baseline'), path.join(dir, 'results', 'work.json'))
  const push = pushEvent()
  const base = await runAction({
    ws: dir,
    event: push,
    inputs: { mode: 'baseline', results: 'results/*.json' }
  })
  if (base.code !== 0) throw new Error(`template baseline failed: ${base.stdout}${base.stderr}`)
  copyFileSync(fixture('work-slower-20pct'), path.join(dir, 'results', 'work.json'))
  const fork = pullRequestEvent()
  fork.payload.pull_request.head.repo.full_name = 'mallory/Hello-World'
  fork.payload.pull_request.head.repo.fork = true
  const measured = await runAction({ ws: dir, event: fork, inputs: gateInputs })
  const resultsPath = measured.outputs['results-path']
  if (!resultsPath) throw new Error(`template fork run wrote no results: ${measured.stdout}`)
  mkdirSync(path.join(dir, 'perf-results'))
  copyFileSync(resultsPath, path.join(dir, 'perf-results', 'results.json'))
  return { dir, head: fork.payload.pull_request.head.sha, base: push.sha }
}

export interface FaultCase {
  call: CallEntry
  fault: string
  persistence: Persistence
}

export function matrix(calls: readonly CallEntry[] = CALLS): FaultCase[] {
  const out: FaultCase[] = []
  for (const call of calls) {
    for (const fault of Object.keys(FAULTS)) {
      for (const persistence of Object.keys(PERSISTENCE) as Persistence[]) {
        // A write that lands once and answers 502 is the case; "always" adds nothing to it.
        if (fault === '502-after-write' && persistence === 'always') continue
        out.push({ call, fault, persistence })
      }
    }
  }
  return out
}

export function caseName(c: { call: CallEntry; fault: string; persistence: string }): string {
  return `${c.call.op} × ${c.fault}${c.persistence === 'always' ? ' ×∞' : ''}`
}

async function runCase(t: Template, c: FaultCase | null, call: CallEntry): Promise<CaseResult> {
  const s = SCENARIOS[call.scenario]
  const gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ checks: 'write', issues: 'write', pull_requests: 'write' })
    }
  }).start()
  const ws = copyDir(t.dir, 'pg-rel-gh-')
  try {
    copyFileSync(fixture(s.results), path.join(ws, 'results', 'work.json'))
    gh.addPull({ number: PR, headSha: t.head, body: 'Makes work faster.' })
    linkHistory(gh, t)
    s.setup(gh, t)
    if (c) {
      for (const pre of call.pre ?? []) gh.inject(pre.op, pre.fault)
      const fault = FAULTS[c.fault]
      if (!fault) throw new Error(`unknown fault ${c.fault}`)
      gh.inject(call.op, fault, PERSISTENCE[c.persistence])
    }
    const { value: r, ms } = await timed(() =>
      runAction({
        ws,
        event: s.event(t),
        gh,
        runId: RUN_ID,
        inputs: s.inputs,
        env: { PERF_GATE_API_TUNING: TUNING }
      })
    )
    const judged = judge(s, r, gh)
    const name = c ? caseName(c) : `${call.scenario} (no fault)`
    return { name, ...judged, ms }
  } finally {
    await gh.close()
    removeDir(ws)
  }
}

/** What the user was told: the workflow commands the action wrote. */
function annotations(r: ActionRun): string[] {
  return `${r.stdout}\n${r.stderr}`
    .split('\n')
    .filter((l) => /^::(warning|error)::/.test(l))
    .filter((l) => !/^::error::perf-gate: (fail|warn):/.test(l))
}

export function judge(
  s: Scenario,
  r: ActionRun,
  gh: GitHubStandin
): { outcome: CaseResult['outcome']; detail: string } {
  const wrong: string[] = []
  const told = annotations(r)
  const mentions = (re: RegExp) => told.some((l) => re.test(l))
  if (gh.violations.length > 0)
    wrong.push(`request outside GitHub's description: ${gh.violations[0]}`)
  if (hasStackTrace(`${r.stdout}\n${r.stderr}`)) wrong.push('a stack trace reached the log')
  if (r.code === null || r.code > 1) wrong.push(`exit code ${String(r.code)}`)

  const ledgers = gh.commentsOn(PR).filter((c) => isLedger(c.body))
  // A duplicate the scenario started with may survive a failed delete, said so in the log (the
  // next run folds it in again); one this run added may not.
  const leftOver = s.priorHops.length > 1 && /Could not delete the duplicate ledger/.test(r.stdout)
  if (ledgers.length > (leftOver ? s.priorHops.length : 1))
    wrong.push(`${ledgers.length} ledger comments`)
  if (leftOver && ledgers.length > 1) told.push('duplicate ledger left: could not delete it')
  const body = ledgers[0]?.body ?? null
  for (const hop of s.priorHops) {
    // A duplicate that is not folded in yet still holds its hop; only a deleted one may not.
    if (!ledgers.some((l) => l.body.includes(hop))) wrong.push(`earlier hop ${hop} lost`)
  }
  const hopLanded = body?.includes(HOP) ?? false
  if (r.outputs['comment-id'] && !hopLanded) wrong.push('comment-id set but the hop is missing')
  if (!hopLanded && !mentions(/ledger|comment|pull request|token|GitHub/i))
    wrong.push('the ledger was not updated and nobody was told')

  const runs = gh.checkRuns.filter((c) => c.name === 'review:gate:perf')
  if (runs.length > 1) wrong.push(`${runs.length} check runs`)
  const check = runs[0]
  const checkOk =
    s.expect.conclusion === null ||
    (check?.status === 'completed' && check.conclusion === s.expect.conclusion)
  if (!checkOk && !mentions(/check run|pull request|token|GitHub/i))
    wrong.push(`check run ${check?.status ?? 'missing'} and nobody was told`)

  const verdict = r.outputs.verdict
  if (verdict === undefined) {
    if (r.code !== 1 || !told.some((l) => l.startsWith('::error::')))
      wrong.push('no verdict and no error')
  } else if (verdict !== s.expect.verdict) {
    const stricter = s.stricterOk && verdict === 'fail' && mentions(/pull request/i)
    if (!stricter) wrong.push(`verdict ${verdict}, expected ${s.expect.verdict}`)
  } else if (r.code !== s.expect.code) {
    const reportFailed = s.report && r.code === 1 && mentions(/could not post/)
    if (!reportFailed) wrong.push(`exit code ${String(r.code)}, expected ${s.expect.code}`)
  }

  if (wrong.length > 0) return { outcome: 'wrong', detail: wrong.join('; ') }
  const clean = told.length === 0 && hopLanded && checkOk && verdict === s.expect.verdict
  if (clean) return { outcome: 'recovered', detail: '' }
  return { outcome: 'clear error', detail: (told[0] ?? '').slice(0, 200) }
}

export interface GitHubFaultReport {
  controls: CaseResult[]
  cases: Array<CaseResult & { op: string; fault: string; persistence: Persistence }>
}

export async function githubFaults(
  opts: RunOptions,
  calls: readonly CallEntry[] = CALLS
): Promise<GitHubFaultReport> {
  const t = await buildTemplate()
  try {
    const scenarios = [...new Set(calls.map((c) => c.scenario))]
    const controls = await pool(scenarios, 2, (sc) => {
      const call = calls.find((c) => c.scenario === sc) as CallEntry
      return runCase(t, null, call)
    })
    let cases = matrix(calls)
    if (opts.quick) cases = sample(cases, 12, mulberry32(opts.seed))
    // Most of a case is waiting on timeouts, so three at a time share two cores well.
    const results = await pool(cases, 3, async (c) => {
      const res = await runCase(t, c, c.call)
      opts.log(`  github ${res.name}: ${res.outcome}${res.detail ? ` (${res.detail})` : ''}`)
      return { ...res, op: c.call.op, fault: c.fault, persistence: c.persistence }
    })
    return { controls, cases: results }
  } finally {
    removeDir(t.dir)
  }
}
