import { describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runDist } from '../helpers/dist.js'
import { runAction, webhook } from '../helpers/github-standin-run.js'
import { endAll, eventually, sleepers, uniqueSleep } from '../helpers/processes.js'

/*
 * The reproductions of #19 against the built CLI (dist/cli.js), as a user or a CI runner meets
 * them: concurrent runs sharing a ledger, a signal mid-benchmark, children a benchmark leaves
 * behind, and an output folder on a read-only or full file system.
 */

const CLI = path.resolve('dist/cli.js')

function project(config: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-hard-'))
  writeFileSync(path.join(dir, 'perf-gate.yml'), config)
  return dir
}

const FILE_CONFIG =
  'testbed: t\nbenchmarks:\n  - name: c\n    kind: file\n    path: results/*.json\n    format: custom\n'

function withResults(metrics = 1): string {
  const dir = project(FILE_CONFIG)
  mkdirSync(path.join(dir, 'results'))
  const entries = Array.from({ length: metrics }, (_, i) => ({
    name: `op${i}`,
    unit: 'ms',
    values: [1, 1.1, 1.2, 1.05, 0.98]
  }))
  writeFileSync(path.join(dir, 'results', 'a.json'), JSON.stringify(entries))
  return dir
}

function cli(
  args: string[],
  cwd: string
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('concurrent runs (#19 items 1 and 6)', () => {
  it('8 gate runs at once keep all 8 hop lines, each with a results file of its own', async () => {
    const dir = withResults()
    expect(runDist('cli.js', ['baseline', '--results', 'results/*.json'], { cwd: dir }).code).toBe(
      0
    )
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        cli(['gate', '--results', 'results/*.json', '--note', `run-${i}`], dir)
      )
    )
    expect(runs.map((r) => r.code)).toEqual(Array(8).fill(0))
    const ledger = readFileSync(path.join(dir, '.perf-gate/out/ledger.md'), 'utf8')
    expect(ledger.match(/^- .* · perf · /gm)).toHaveLength(9)
    expect(existsSync(path.join(dir, '.perf-gate/out/ledger.md.lock'))).toBe(false)
    const printed = runs.map((r, i) => {
      const all = (r.stdout + r.stderr).match(/results: +(\S+)/g) ?? []
      expect(all).toHaveLength(1)
      const file = /results: +(\S+)/.exec(r.stdout)![1]
      // The file a run names holds that run's results, no other's.
      expect(JSON.parse(readFileSync(file, 'utf8')).note).toBe(`run-${i}`)
      return file
    })
    expect(new Set(printed).size).toBe(8)
    expect(readdirSync(path.join(dir, 'benchmarks/results/raw'))).toHaveLength(9)
  }, 120_000)
})

describe('signals mid-run (#19 item 3)', () => {
  const slow = (d: string) =>
    `testbed: t\nbenchmarks:\n  - name: slow\n    kind: command\n    run: sleep ${d}; echo done\n`

  for (const [signal, code, toGroup] of [
    ['SIGTERM', 143, false],
    ['SIGINT', 130, true]
  ] as const) {
    it(`${signal}${toGroup ? ' to the whole process group (Ctrl-C)' : ''} ends the benchmark, writes nothing and exits ${code}`, async () => {
      const d = uniqueSleep()
      const dir = project(slow(d))
      // Its own process group, as a shell gives a foreground job: Ctrl-C signals all of it.
      const child = spawn(process.execPath, [CLI, 'baseline'], { cwd: dir, detached: true })
      let stderr = ''
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      const closed = new Promise<number | null>((r) => child.on('close', r))
      try {
        expect(await eventually(() => sleepers(d).length === 1, 30_000)).toBe(true)
        const group = sleepers(d)[0]?.pgid
        if (toGroup) process.kill(-child.pid!, signal)
        else child.kill(signal)
        expect(await closed).toBe(code)
        expect(stderr.trimEnd().split('\n').at(-1)).toBe(
          `perf-gate: stopped by ${signal}: ended benchmark 'slow' (process group ${group})`
        )
        expect(sleepers(d)).toEqual([])
        expect(existsSync(path.join(dir, '.perf-gate/baselines'))).toBe(false)
      } finally {
        endAll(sleepers(d))
      }
    }, 60_000)
  }
})

describe('the action cancelled mid-run (#19 item 3)', () => {
  it('SIGINT ends the benchmark, says so as an error and exits 130', async () => {
    const d = uniqueSleep()
    const dir = project(
      `testbed: t\nbenchmarks:\n  - name: slow\n    kind: command\n    run: sleep ${d}; echo done\n`
    )
    try {
      const r = await runAction({
        ws: dir,
        event: {
          name: 'push',
          payload: webhook('push'),
          ref: 'refs/heads/main',
          sha: '9'.repeat(40)
        },
        inputs: { mode: 'gate' },
        onSpawn: (child) =>
          void eventually(() => sleepers(d).length === 1, 30_000).then(() => child.kill('SIGINT'))
      })
      expect(r.code).toBe(130)
      expect(r.stdout).toMatch(
        /^::error::perf-gate: stopped by SIGINT: ended benchmark 'slow' \(process group \d+\)$/m
      )
      expect(sleepers(d)).toEqual([])
    } finally {
      endAll(sleepers(d))
    }
  }, 60_000)
})

describe('children a benchmark leaves behind (#19 item 4)', () => {
  it('ends them after each run and does not wait for a pipe they hold', () => {
    const d = uniqueSleep()
    const dir = project(
      `testbed: t\nwarmup: 1\nrepetitions: 3\nbenchmarks:\n  - name: bg\n    kind: command\n    run: "sleep ${d} & echo started"\n    timeout: 5\n`
    )
    const r = runDist('cli.js', ['baseline'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/bg: ended 4 processes the command left running in its process group/)
    expect(sleepers(d)).toEqual([])
  })
})

/** Runs `script` as root of a new user and mount namespace, where it may mount tmpfs. */
function inNamespace(
  script: string
): { code: number | null; stdout: string; stderr: string } | null {
  const probe = spawnSync('unshare', ['-rm', 'true'])
  if (probe.status !== 0) return null
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('--out that cannot be written (#19 item 9)', () => {
  it('a read-only file system: exit 2, naming the file and EROFS', () => {
    const dir = withResults()
    const ro = path.join(dir, 'ro')
    mkdirSync(ro)
    const r = inNamespace(
      `mount -t tmpfs -o ro,size=64k none ${ro} && cd ${dir} && node ${CLI} run --results 'results/*.json' --out ${ro}/out`
    )
    if (r === null) return void process.stderr.write('skipped: no user namespaces (unshare -rm)\n')
    expect(r.code).toBe(2)
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      `perf-gate: cannot write ${ro}/out/ledger.md: the file system is read-only (EROFS)`
    )
  })

  it('a full disk: exit 2, naming the file and ENOSPC', () => {
    // 2,000 metrics make a report far larger than the 16 KiB file system.
    const dir = withResults(2000)
    const full = path.join(dir, 'full')
    mkdirSync(full)
    const r = inNamespace(
      `mount -t tmpfs -o size=16k none ${full} && cd ${dir} && node ${CLI} run --results 'results/*.json' --out ${full}/out`
    )
    if (r === null) return void process.stderr.write('skipped: no user namespaces (unshare -rm)\n')
    expect(r.code).toBe(2)
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(
      new RegExp(
        `^perf-gate: cannot write ${full}/out/\\S+: no space is left on the device \\(ENOSPC\\)$`
      )
    )
  })
})
