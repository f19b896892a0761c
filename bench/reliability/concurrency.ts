import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { mulberry32 } from '../../__tests__/helpers/random.js'
import {
  Gate,
  GITHUB_ACTIONS_BOT,
  GitHubStandin,
  installationToken
} from '../../__tests__/helpers/github-standin.js'
import { runAction, workspace } from '../../__tests__/helpers/github-standin-run.js'
import { payload } from './events.js'
import { TMP_PREFIX } from '../../src/shared/fs.js'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { makeInput, parseResultSet } from '../../src/importers/index.js'
import { isLedger } from '../../src/report/ledger.js'
import { buildTemplate } from './github-faults.js'
import {
  copyDir,
  hasStackTrace,
  removeDir,
  timed,
  type CaseResult,
  type RunOptions
} from './common.js'

/*
 * Races the product must survive: several gate runs on one pull request at once (one ledger,
 * every hop), and a CLI killed with SIGKILL in the middle of writing a local baseline (the
 * previous baselines stay byte for byte, no reader ever sees a torn file).
 */

const PR = 2
/**
 * GitHub's real settle time (the ledger waits 1-2 s before reading its write back): the race is
 * about that window, and shrinking it a thousandfold, as the fault matrix does, would measure how
 * long 8 processes on 2 busy cores stall rather than the product. Pacing stays off; it is per
 * process and does not order writes from separate runners anyway.
 */
const TUNING = JSON.stringify({ timeScale: 1, pacing: false, requestTimeoutMs: 30_000 })

export interface LedgerRace extends CaseResult {
  runs: number
  ledgers: number
  hops: number
  exitCodes: Array<number | null>
}

/**
 * `runs` gate runs of one PR at once. With `hold`, every comment creation is held until all runs
 * have sent one, so every run believes it is the first: the worst case for duplicates.
 */
export async function ledgerRace(runs: number, hold: boolean): Promise<LedgerRace> {
  const t = await buildTemplate()
  const gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ checks: 'write', issues: 'write', pull_requests: 'write' })
    }
  }).start()
  const workspaces = Array.from({ length: runs }, () => copyDir(t.dir, 'pg-rel-race-'))
  try {
    gh.addPull({ number: PR, headSha: t.head })
    const gate = new Gate()
    if (hold) gh.inject('issues/create-comment', { kind: 'hold', gate }, runs)
    const ids = workspaces.map((_, i) => String(7001 + i))
    const { value: results, ms } = await timed(async () => {
      const started = workspaces.map((ws, i) => {
        copyFileSync('fixtures/hyperfine/work-same.json', path.join(ws, 'results', 'work.json'))
        const p = payload('pull_request', (e) => e.action === 'synchronize')
        return runAction({
          ws,
          event: {
            name: 'pull_request',
            payload: p,
            ref: `refs/pull/${PR}/merge`,
            sha: '9'.repeat(40)
          },
          gh,
          runId: ids[i] ?? '0',
          inputs: { results: 'results/*.json', 'github-token': 'ghs-write' },
          env: { PERF_GATE_API_TUNING: TUNING }
        })
      })
      if (hold) {
        // On a busy machine a run may be slow to arrive; release anyway rather than wait forever.
        await Promise.race([gate.arrived(runs), new Promise((r) => setTimeout(r, 40_000))])
        gate.release()
      }
      return Promise.all(started)
    })
    const ledgers = gh.commentsOn(PR).filter((c) => isLedger(c.body))
    const body = ledgers[0]?.body ?? ''
    const hops = ids.filter((id) => body.includes(`<!-- perf-gate:hop:${id}.1 -->`)).length
    const wrong: string[] = []
    if (ledgers.length !== 1) wrong.push(`${ledgers.length} ledger comments`)
    if (ledgers.some((c) => c.user.login !== GITHUB_ACTIONS_BOT.login)) wrong.push('foreign author')
    if (hops !== runs) wrong.push(`${hops} of ${runs} hop entries`)
    const codes = results.map((r) => r.code)
    if (codes.some((c) => c !== 0)) wrong.push(`exit codes ${codes.join(',')}`)
    if (results.some((r) => hasStackTrace(r.stdout + r.stderr))) wrong.push('stack trace')
    if (gh.violations.length) wrong.push(`contract: ${gh.violations[0]}`)
    return {
      name: `${runs} gate runs on one PR${hold ? ' (creations held until all arrive)' : ''}`,
      outcome: wrong.length ? 'wrong' : 'recovered',
      detail: wrong.join('; '),
      ms,
      runs,
      ledgers: ledgers.length,
      hops,
      exitCodes: codes
    }
  } finally {
    await gh.close()
    for (const ws of workspaces) removeDir(ws)
    removeDir(t.dir)
  }
}

export interface KillReport extends CaseResult {
  kills: number
  /** Kills after which the new baseline was there, complete. */
  landed: number
  /** Kills that left a temporary file behind: the write itself was interrupted. */
  midWrite: number
  /** Baselines unreadable or changed after a kill: must be 0. */
  torn: number
  /** The run time of an uninterrupted `perf-gate baseline`, which the kill delays are drawn over. */
  runMs: number
  /** When, after the spawn, an uninterrupted run wrote its baseline: most kills aim there. */
  writeMs: number
}

const CLI = path.resolve('dist', 'cli.js')

/** A result file big enough (about 130 kB as a baseline) that its write takes measurable time. */
function bigResults(file: string, n: number, seed: number): void {
  const rng = mulberry32(seed)
  const times = Array.from({ length: n }, () => 0.05 + rng() * 0.001)
  writeFileSync(file, JSON.stringify({ results: [{ command: 'work', times }] }))
}

function baselineArgs(ws: string): string[] {
  return [
    CLI,
    'baseline',
    '--config',
    path.join(ws, 'perf-gate.yml'),
    '--results',
    path.join(ws, 'results', 'work.json'),
    '--store',
    `local:${path.join(ws, 'store')}`,
    '--out',
    path.join(ws, 'out'),
    '--raw-dir',
    path.join(ws, 'raw')
  ]
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    return out
  }
  for (const n of names) out.set(n, readFileSync(path.join(dir, n), 'utf8'))
  return out
}

function killAfter(args: string[], cwd: string, delayMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, stdio: 'ignore' })
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

export async function killMidWrite(kills: number, seed: number): Promise<KillReport> {
  const ws = workspace()
  const t0 = performance.now()
  try {
    bigResults(path.join(ws, 'results', 'work.json'), 5_000, seed)
    const testbedDir = path.join(ws, 'store', 'ci')
    // Uninterrupted runs first: the first baseline, and when (after the spawn) a write lands.
    const runMs: number[] = []
    const writeAt: number[] = []
    for (let i = 0; i < 3; i++) {
      const before = new Set(snapshot(testbedDir).keys())
      const t = Date.now()
      const r = spawnSync(process.execPath, baselineArgs(ws), { cwd: ws, encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`perf-gate baseline failed: ${r.stderr}`)
      runMs.push(Date.now() - t)
      const added = [...snapshot(testbedDir).keys()].find((n) => !before.has(n))
      if (added) writeAt.push(statSync(path.join(testbedDir, added)).mtimeMs - t)
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
    const typical = median(runMs) || 1000
    const write = median(writeAt) || typical * 0.9
    const rng = mulberry32(seed)
    let landed = 0
    let midWrite = 0
    const torn: string[] = []
    let before = snapshot(testbedDir)
    for (let i = 0; i < kills; i++) {
      // Most kills aim at the moment the baseline is written, the rest anywhere in the run.
      const delay =
        rng() < 0.75
          ? Math.max(0, write + (rng() - 0.5) * Math.max(60, write * 0.2))
          : rng() * typical
      await killAfter(baselineArgs(ws), ws, delay)
      const after = snapshot(testbedDir)
      for (const [name, content] of before) {
        if (name.startsWith(TMP_PREFIX)) continue
        if (after.get(name) !== content)
          torn.push(`${name} changed or vanished after kill ${i + 1}`)
      }
      for (const [name, content] of after) {
        if (name.startsWith(TMP_PREFIX)) {
          if (!before.has(name)) midWrite++
          continue
        }
        if (before.has(name)) continue
        try {
          parseResultSet(makeInput(name, content))
          landed++
        } catch (e) {
          torn.push(`${name} unreadable after kill ${i + 1}: ${(e as Error).message.slice(0, 80)}`)
        }
      }
      const latest = await new LocalBaselineStore(path.join(ws, 'store')).latest('ci')
      if (!latest) torn.push(`no readable baseline after kill ${i + 1}`)
      before = after
    }
    return {
      name: `SIGKILL of 'perf-gate baseline' mid-write × ${kills}`,
      outcome: torn.length ? 'wrong' : 'recovered',
      detail: torn.slice(0, 3).join('; '),
      ms: performance.now() - t0,
      kills,
      landed,
      midWrite,
      torn: torn.length,
      runMs: Math.round(typical),
      writeMs: Math.round(write)
    }
  } finally {
    removeDir(ws)
  }
}

export interface ConcurrencyReport {
  ledger: LedgerRace[]
  baselineWriters: CaseResult & Record<string, unknown>
  sigkill: KillReport
}

export async function concurrency(
  opts: RunOptions,
  writers: () => Promise<CaseResult & Record<string, unknown>>
): Promise<ConcurrencyReport> {
  const variants = opts.quick ? [true] : [true, false]
  const ledger: LedgerRace[] = []
  for (const hold of variants) {
    const r = await ledgerRace(8, hold)
    opts.log(`  ${r.name}: ${r.outcome} (${r.ledgers} ledger, ${r.hops} hops) ${r.detail}`)
    ledger.push(r)
  }
  const baselineWriters = await writers()
  opts.log(`  ${baselineWriters.name}: ${baselineWriters.outcome} ${baselineWriters.detail}`)
  const sigkill = await killMidWrite(opts.quick ? 8 : 50, opts.seed)
  opts.log(
    `  ${sigkill.name}: ${sigkill.outcome} (landed ${sigkill.landed}, mid-write ${sigkill.midWrite}, torn ${sigkill.torn})`
  )
  return { ledger, baselineWriters, sigkill }
}
