import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { GitHubStandin } from './github-standin.js'

/*
 * Runs the committed dist/index.js the way a runner does (INPUT_* variables, an event payload file,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files) against a stand-in. The process is spawned, not run
 * synchronously: the stand-in lives in this process and must keep answering meanwhile.
 */

const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
  name: string
  examples: Array<Record<string, any>>
}>

/** A real webhook payload from GitHub's documentation, copied so a test may adjust it. */
export function webhook(
  name: string,
  pick: (e: Record<string, any>) => boolean = () => true
): Record<string, any> {
  const found = examples.find((e) => e.name === name)?.examples.find(pick)
  if (!found) throw new Error(`no ${name} example`)
  return structuredClone(found)
}

export interface RunnerEvent {
  name: string
  payload: unknown
  ref: string
  sha: string
}

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/** Waits shrunk a thousandfold, pacing off: see ApiTuning. Never a value a user would set. */
export const FAST_TUNING = JSON.stringify({
  timeScale: 0.001,
  pacing: false,
  requestTimeoutMs: 5000
})

/**
 * A checkout with one imported benchmark. `runner-drift: 0` keeps the within-job rule against the
 * one stored baseline these suites record: they are about the action's plumbing, and their +20 %
 * fixture is a FAIL by that rule (the history rule's verdicts are tested on their own).
 */
export function workspace(): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'pg-gh-'))
  mkdirSync(path.join(ws, 'results'))
  writeFileSync(
    path.join(ws, 'perf-gate.yml'),
    'testbed: ci\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*.json\n    class: core\nrunner-drift: 0\n'
  )
  return ws
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(re)) if (m[1]) out[m[1]] = m[3] ?? ''
  return out
}

export async function runAction(opts: {
  ws: string
  event: RunnerEvent
  inputs: Record<string, string>
  gh?: GitHubStandin
  runId?: string
  env?: NodeJS.ProcessEnv
  /** Called with the action's process once it is spawned (to signal it, say). */
  onSpawn?: (child: ChildProcess) => void
  /** A process group of its own, as a runner gives the step. */
  detached?: boolean
  /** SIGKILL after this long (default 60 s). */
  timeoutMs?: number
}): Promise<ActionRun> {
  const { ws, event } = opts
  const tag = `${event.name}-${opts.runId ?? '4242'}-${Math.random().toString(36).slice(2, 8)}`
  const eventPath = path.join(ws, `event-${tag}.json`)
  const outputFile = path.join(ws, `output-${tag}`)
  const summaryFile = path.join(ws, `summary-${tag}.md`)
  writeFileSync(eventPath, JSON.stringify(event.payload))
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: event.ref,
    GITHUB_SHA: event.sha,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_RUN_ID: opts.runId ?? '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'Codertocat',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...(opts.gh ? { GITHUB_API_URL: opts.gh.url, PERF_GATE_API_TUNING: FAST_TUNING } : {}),
    ...opts.env
  }
  for (const [k, v] of Object.entries(opts.inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  const child = spawn(process.execPath, [path.resolve('dist', 'index.js')], {
    cwd: ws,
    env,
    detached: opts.detached ?? false
  })
  opts.onSpawn?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(killer)
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8')
  }
}
