import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ArtifactStandin, runtimeToken } from '../helpers/artifact-standin.js'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import {
  runAction,
  webhook,
  workspace,
  type ActionRun,
  type RunnerEvent
} from '../helpers/github-standin-run.js'

/*
 * A matrix over three runners, as GitHub runs it: three shard jobs each run their third of the
 * benchmarks and upload it with @actions/artifact to the results-service stand-in; one merge job
 * downloads all three, gates once and posts once to the GitHub stand-in. The built dist/ runs in
 * a fresh process per job, with only what the runner would give it.
 */

const NAMES = ['alpha', 'beta', 'gamma']

let gh: GitHubStandin
let store: ArtifactStandin
let head: string
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ checks: 'write', issues: 'write', pull_requests: 'write' })
    }
  }).start()
  store = await new ArtifactStandin().start()
  head = pullRequest().payload.pull_request.head.sha
  gh.addPull({ number: 2, headSha: head, body: 'Makes work faster.' })
})
afterEach(async () => {
  await gh.close()
  await store.close()
  expect(gh.violations).toEqual([])
  expect(store.violations).toEqual([])
})

function pullRequest(): RunnerEvent & { payload: any } {
  const payload = webhook('pull_request', (e) => e.action === 'opened')
  return {
    name: 'pull_request',
    payload,
    ref: `refs/pull/${payload.number}/merge`,
    sha: '9'.repeat(40)
  }
}

function push(): RunnerEvent {
  const p = webhook('push')
  return {
    name: 'push',
    payload: p,
    ref: `refs/heads/${p.repository.default_branch}`,
    sha: 'b'.repeat(40)
  }
}

/** One runner's workspace: the repository checkout, with this commit's benchmark outputs. */
function checkout(fixtures: Record<string, string>): string {
  const ws = workspace()
  writeFileSync(
    path.join(ws, 'perf-gate.yml'),
    'testbed: ci\nbenchmarks:\n' +
      NAMES.map(
        (n) => `  - name: ${n}\n    kind: file\n    path: results/${n}.json\n    class: core\n`
      ).join('') +
      // The within-job rule, as in workspace(): the sharded plumbing is what is tested here.
      'runner-drift: 0\n'
  )
  for (const n of NAMES) {
    const doc = JSON.parse(
      readFileSync(`fixtures/hyperfine/${fixtures[n] ?? 'work-same'}.json`, 'utf8')
    )
    doc.results[0].command = n
    writeFileSync(path.join(ws, 'results', `${n}.json`), JSON.stringify(doc))
  }
  return ws
}

/** A job of workflow run `run`: the runner mints its own runtime token for it. */
function job(
  ws: string,
  event: RunnerEvent,
  run: string,
  jobId: string,
  inputs: Record<string, string>
): Promise<ActionRun> {
  const token = store.allow(runtimeToken(`run-${run}`, jobId))
  mkdirSync(path.join(ws, 'runner-temp'), { recursive: true })
  return runAction({
    ws,
    event,
    gh,
    runId: run,
    inputs: { 'github-token': 'ghs-write', ...inputs },
    env: {
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_RESULTS_URL: store.url,
      RUNNER_TEMP: path.join(ws, 'runner-temp')
    }
  })
}

/** The baselines store is shared the way a cache or a git branch would share it. */
async function shardsThenMerge(
  event: RunnerEvent,
  run: string,
  fixtures: Record<string, string>,
  opts: { shards?: number[]; mode?: string; baseWs?: string } = {}
) {
  const shardRuns: ActionRun[] = []
  for (const i of opts.shards ?? [1, 2, 3]) {
    const ws = checkout(fixtures)
    shardRuns.push(
      await job(ws, event, run, `job-shard-${i}`, { shard: `${i}/3`, mode: opts.mode ?? 'gate' })
    )
  }
  const mergeWs = opts.baseWs ?? checkout(fixtures)
  const merge = await job(mergeWs, event, run, 'job-merge', { mode: 'merge', shards: '3' })
  return { shardRuns, merge, mergeWs }
}

const ledgers = () => gh.commentsOn(2).filter((c) => c.body.includes('<!-- gates:start -->'))

describe('shards across runners', () => {
  it('records a sharded baseline, then gates a sharded PR once and posts once', async () => {
    const base = await shardsThenMerge(push(), '100', {}, { mode: 'baseline' })
    for (const r of base.shardRuns) expect(r.code).toBe(0)
    expect(base.merge.stdout).toContain(
      'perf-gate: merged 3 benchmark(s) from the shards; recording them as the baseline'
    )
    expect(base.merge.code).toBe(0)
    expect(gh.requests).toEqual([])
    expect(store.artifacts.map((a) => a.name)).toEqual([
      'perf-gate-ci-shard-1-of-3',
      'perf-gate-ci-shard-2-of-3',
      'perf-gate-ci-shard-3-of-3'
    ])

    const pr = await shardsThenMerge(
      pullRequest(),
      '200',
      { gamma: 'work-slower-20pct' },
      { baseWs: base.mergeWs }
    )
    pr.shardRuns.forEach((r, i) => {
      // Shard 3 measured the regression, yet neither fails nor posts: the merge decides.
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`perf-gate: shard ${i + 1}/3: this job uploads its results`)
      expect(r.stdout).toContain(
        `perf-gate: uploaded the shard results as artifact perf-gate-ci-shard-${i + 1}-of-3`
      )
    })
    expect(pr.merge.code).toBe(1)
    expect(pr.merge.stdout).toMatch(/::error::perf-gate: fail/)
    expect(gh.checkRuns).toHaveLength(1)
    expect(gh.checkRuns[0]).toMatchObject({
      name: 'review:gate:perf',
      headSha: head,
      conclusion: 'failure'
    })
    expect(ledgers()).toHaveLength(1)
    const body = ledgers()[0]?.body ?? ''
    expect(body).toMatch(/^\| perf \| ❌ fail \| `perf: gamma/m)
    for (const n of NAMES) expect(body).toContain(n)

    // The merged set is what was gated: all three benchmarks, from this run's three artifacts.
    const raw = path.join(base.mergeWs, 'benchmarks', 'results', 'raw')
    const merged = readdirSync(raw)
      .map((f) => JSON.parse(readFileSync(path.join(raw, f), 'utf8')))
      .find((s) => s.commit.sha === head)
    expect(merged.benchmarks.map((b: { name: string }) => b.name).sort()).toEqual(
      NAMES.map((n) => expect.stringContaining(n))
    )
    expect(store.calls.filter((c) => c === 'GetSignedArtifactURL')).toHaveLength(6)
  })

  it('fails the check run when a shard is missing, naming it and its benchmarks', async () => {
    const pr = await shardsThenMerge(pullRequest(), '300', {}, { shards: [1, 3] })
    expect(pr.merge.code).toBe(1)
    expect(pr.merge.stdout).toContain(
      '::error::perf-gate: shard 2/3 (beta) is missing: found only perf-gate-ci-shard-1-of-3, perf-gate-ci-shard-3-of-3.'
    )
    // The check run was in progress when the merge looked: it shows the reason on the PR.
    expect(gh.checkRuns).toHaveLength(1)
    expect(gh.checkRuns[0]).toMatchObject({ headSha: head, conclusion: 'failure' })
    expect(gh.checkRuns[0]?.output.summary).toContain('shard 2/3 (beta) is missing')
    expect(ledgers()).toHaveLength(0)
  })

  it('reads shard results from results-dir where the artifact service is out of reach', async () => {
    // Two runners without ACTIONS_RUNTIME_TOKEN; their results-path files are uploaded by hand.
    const shardRun = async (benchmarks: string) => {
      const r = await runAction({
        ws: checkout({}),
        event: pullRequest(),
        gh,
        inputs: { 'github-token': 'ghs-write', benchmarks }
      })
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(
        /::warning::perf-gate: shard results not uploaded: ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set/
      )
      return r.outputs['results-path'] ?? ''
    }
    const ws = checkout({})
    const shards = { 'perf-gate-ci-shard-a': 'alpha, gamma', 'perf-gate-ci-shard-b': 'beta' }
    for (const [name, benchmarks] of Object.entries(shards)) {
      const file = await shardRun(benchmarks)
      // As actions/download-artifact lays them out: one folder per artifact.
      mkdirSync(path.join(ws, 'shards', name), { recursive: true })
      writeFileSync(path.join(ws, 'shards', name, 'results.json'), readFileSync(file))
    }
    expect(gh.requests).toEqual([])
    const merge = await runAction({
      ws,
      event: pullRequest(),
      gh,
      inputs: { 'github-token': 'ghs-write', mode: 'merge', 'results-dir': 'shards', shards: '2' }
    })
    expect(merge.code).toBe(0)
    expect(merge.stdout).toContain(
      'perf-gate: merged 3 benchmark(s) from the shards; gating them once'
    )
    expect(merge.outputs.verdict).toBe('neutral')
    expect(gh.checkRuns).toHaveLength(1)
    expect(ledgers()).toHaveLength(1)
  })
})

describe('artifact service faults', () => {
  const errors = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::error::'))

  it('fails a shard whose upload the service refuses, and the merge names it missing', async () => {
    store.inject('CreateArtifact', 403)
    const { shardRuns, merge } = await shardsThenMerge(pullRequest(), '400', {})
    expect(shardRuns.map((r) => r.code)).toEqual([1, 0, 0])
    expect(errors(shardRuns[0])).toEqual([
      expect.stringMatching(
        /^::error::perf-gate: could not upload the shard results as artifact 'perf-gate-ci-shard-1-of-3': Failed to CreateArtifact: .*\(403\) Forbidden/
      )
    ])
    expect(merge.code).toBe(1)
    expect(errors(merge)[0]).toMatch(/shard 1\/3 \(alpha\) is missing/)
  })

  it('retries a blob store that failed once, on upload and on download', async () => {
    store.inject('blob PUT', 503)
    store.inject('blob GET', 503)
    const { shardRuns, merge } = await shardsThenMerge(pullRequest(), '401', {})
    expect([...shardRuns, merge].map((r) => r.code)).toEqual([0, 0, 0, 0])
    expect(merge.stdout).toContain('perf-gate: merged 3 benchmark(s) from the shards')
    expect(store.calls).toEqual(expect.arrayContaining(['blob PUT → 503', 'blob GET → 503']))
    expect(gh.checkRuns).toEqual([expect.objectContaining({ headSha: head })])
  })

  it('fails the merge with the artifact named when the service refuses a download', async () => {
    store.inject('GetSignedArtifactURL', 403)
    const { merge } = await shardsThenMerge(pullRequest(), '402', {})
    expect(merge.code).toBe(1)
    expect(errors(merge)).toEqual([
      expect.stringMatching(
        /^::error::perf-gate: could not download artifact 'perf-gate-ci-shard-1-of-3': .*\(403\) Forbidden/
      )
    ])
    expect(gh.checkRuns).toHaveLength(1)
    expect(gh.checkRuns[0]).toMatchObject({ headSha: head, conclusion: 'failure' })
    expect(gh.checkRuns[0]?.output.summary).toContain(
      "could not download artifact 'perf-gate-ci-shard-1-of-3'"
    )
    expect(ledgers()).toHaveLength(0)
  })
})
