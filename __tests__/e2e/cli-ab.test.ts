import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runDist } from '../helpers/dist.js'
import { commit, git, gitRepo, worktrees } from '../helpers/git-repo.js'

/*
 * `perf-gate ab` through the built dist/cli.js, in real git repositories: the base commit checked
 * out beside the clone, both trees measured in pairs, nothing recorded, the worktree gone after.
 * The benchmark prints a fixed value, so the verdicts do not depend on this machine's noise.
 */

const config = (opts: { ab?: boolean; coreFail?: string } = {}) =>
  [
    'testbed: t',
    ...(opts.ab ? ['ab: true'] : []),
    'repetitions: 6',
    'warmup: 1',
    `thresholds:\n  core: { warn: 5%, fail: ${opts.coreFail ?? '5%'} }`,
    'benchmarks:',
    '  - name: tool',
    '    kind: command',
    '    run: cat out.json',
    '    format: custom',
    '    class: core',
    ''
  ].join('\n')

const value = (v: number) => JSON.stringify([{ name: 'op', unit: 'ms', value: v }])

/** A clone of a repository whose last commit sets the value the benchmark prints. */
function cloneOf(commits: Array<Record<string, string>>): { clone: string; shas: string[] } {
  const origin = gitRepo(commits)
  const clone = path.join(mkdtempSync(path.join(tmpdir(), 'pg-clone-')), 'clone')
  git(origin.dir, 'clone', '-q', origin.dir, clone)
  return { clone, shas: origin.shas }
}

const short = (sha: string | undefined) => sha?.slice(0, 7)
const pairLines = (stderr: string) => stderr.split('\n').filter((l) => /: pair \d+\/\d+/.test(l))

describe('perf-gate ab (dist/cli.js)', () => {
  it("fails a +30 % head from a fresh clone of two commits, by the base's budget, and writes nothing", () => {
    const { clone, shas } = cloneOf([
      { 'perf-gate.yml': config(), 'out.json': value(100) },
      // The pull request also loosens the core budget it would be judged by.
      { 'perf-gate.yml': config({ coreFail: '50%' }), 'out.json': value(130) }
    ])
    const r = runDist('cli.js', ['ab', '--seed', '42'], { cwd: clone })
    expect(r.code).toBe(1)
    const line = `A/B in this job: base ${short(shas[0])} vs head ${short(shas[1])}, 6 interleaved pairs (seed 42).`
    expect(r.stdout).toContain(line)
    expect(r.stdout).toContain("This PR changes core.fail 5 % → 50 %; the base's budget was used.")
    expect(r.stdout).toMatch(/^tool +value +100 ms +130 ms +\+30\.0 % .* fail$/m)
    expect(r.stdout).toMatch(/verdict: fail/)
    expect(r.stderr).toContain(`seed 42`)
    expect(pairLines(r.stderr)).toHaveLength(6)

    const ledger = readFileSync(path.join(clone, '.perf-gate/out/ledger.md'), 'utf8')
    expect(ledger).toContain(
      `A/B in this job: base \`${short(shas[0])}\` vs head \`${short(shas[1])}\`, 6 interleaved pairs (seed 42).`
    )
    expect(ledger).toContain('This PR changes core.fail 5 % → 50 %')
    const checkRun = JSON.parse(
      readFileSync(path.join(clone, '.perf-gate/out/check-run.json'), 'utf8')
    )
    expect(checkRun.conclusion).toBe('failure')
    expect(checkRun.output.summary).toContain('A/B in this job')
    // Never a baseline, and no worktree left behind.
    expect(existsSync(path.join(clone, '.perf-gate/baselines'))).toBe(false)
    expect(worktrees(clone)).toEqual([expect.stringMatching(/clone$/)])
  })

  it('passes an unchanged head, and replays the visit order from the printed seed (--json)', () => {
    const { clone } = cloneOf([
      { 'perf-gate.yml': config(), 'out.json': value(100) },
      { 'perf-gate.yml': config(), 'out.json': value(100), 'README.md': 'docs only\n' }
    ])
    const first = runDist('cli.js', ['ab', '--seed', '7', '--json'], { cwd: clone })
    expect(first.code).toBe(0)
    const json = JSON.parse(first.stdout)
    expect(json).toMatchObject({
      verdict: 'pass',
      ab: { seed: 7, order: 'balanced', benchmarks: [{ name: 'tool', pairs: 6 }], stored: [] },
      metrics: [
        {
          benchmark: 'tool',
          metric: 'value',
          verdict: 'pass',
          change: 0,
          baseline: { n: 6, median: 100 }
        }
      ]
    })
    const again = runDist('cli.js', ['ab', '--seed', '7', '--json'], { cwd: clone })
    expect(pairLines(again.stderr).map((l) => l.replace(/ · ETA.*/, ''))).toEqual(
      pairLines(first.stderr).map((l) => l.replace(/ · ETA.*/, ''))
    )
    const orders = pairLines(first.stderr).map((l) => /\((base, head|head, base)\)/.exec(l)?.[1])
    expect(orders.filter((o) => o === 'base, head')).toHaveLength(3)
  })

  it('builds each tree once, and compares a file benchmark with the stored baseline, saying so', () => {
    const yml = [
      config(),
      '  - name: imported',
      '    kind: file',
      '    path: results/*.json',
      '    format: custom',
      ''
    ]
      .join('\n')
      .replace('benchmarks:', 'build: echo building > built.txt\nbenchmarks:')
    const { clone, shas } = cloneOf([
      {
        'perf-gate.yml': yml,
        'out.json': value(100),
        'results/r.json': value(50),
        '.gitignore': '.perf-gate/\nbenchmarks/\nbuilt.txt\n'
      },
      { 'out.json': value(100), 'results/r.json': value(50), 'x.txt': 'x\n' }
    ])
    // A baseline recorded by a trusted run of the base commit: what the file benchmark is judged by.
    git(clone, 'checkout', '-q', shas[0])
    expect(runDist('cli.js', ['baseline'], { cwd: clone }).code).toBe(0)
    git(clone, 'checkout', '-q', 'main')
    const r = runDist('cli.js', ['ab', '--seed', '3'], { cwd: clone })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      `Compared with the stored baseline, not A/B (kind: file cannot be re-run): imported. Stored baseline: ${short(shas[0])} (ancestor).`
    )
    expect(r.stdout).toMatch(/Build time \(not gated\): base \d+\.\d s, head \d+\.\d s\./)
    expect(r.stdout).toMatch(/^imported +value +50 ms +50 ms/m)
    expect(readFileSync(path.join(clone, 'built.txt'), 'utf8')).toBe('building\n')
    const ledger = readFileSync(path.join(clone, '.perf-gate/out/ledger.md'), 'utf8')
    expect(ledger).toContain(
      'Compared with the stored baseline, not A/B (kind: file cannot be re-run): imported. Baseline: `'
    )
    expect(readdirSync(path.join(clone, '.perf-gate/baselines/t'))).toHaveLength(1)
  })

  it('tries an uncommitted change through --head-env: the base arm never sees it', () => {
    const env = config().replace(
      'run: cat out.json',
      `run: node -e "process.stdout.write(JSON.stringify([{name:'op',unit:'ms',value:Number(process.env.OP_MS||100)}]))"`
    )
    const { clone } = cloneOf([{ 'perf-gate.yml': env }, { 'perf-gate.yml': env, 'x.txt': 'x\n' }])
    const r = runDist('cli.js', ['ab', '--head-env', 'OP_MS=120', '--json'], { cwd: clone })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).metrics[0]).toMatchObject({
      verdict: 'fail',
      baseline: { median: 100 },
      current: { median: 120 }
    })
    const bad = runDist('cli.js', ['ab', '--head-env', 'OP_MS'], { cwd: clone })
    expect(bad.stderr).toBe("perf-gate: --head-env must be NAME=VALUE, got 'OP_MS'\n")
  })

  it('run with ab: true records the first baseline on a first commit, then gates A/B and records nothing', () => {
    const origin = gitRepo([
      {
        'perf-gate.yml': config({ ab: true }),
        'out.json': value(100),
        '.gitignore': '.perf-gate/\nbenchmarks/\n'
      }
    ])
    const first = runDist('cli.js', ['run'], { cwd: origin.dir })
    expect(first.code).toBe(0)
    expect(first.stderr).toMatch(/no base commit for an A\/B run \(HEAD has no parent commit\)/)
    expect(first.stdout).toMatch(/recorded as the baseline/)
    expect(readdirSync(path.join(origin.dir, '.perf-gate/baselines/t'))).toHaveLength(1)

    const second = commit(origin.dir, { 'out.json': value(101) })
    const r = runDist('cli.js', ['run'], { cwd: origin.dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      `A/B in this job: base ${short(origin.shas[0])} vs head ${short(second)}`
    )
    expect(r.stdout).not.toMatch(/recorded as the baseline/)
    expect(readdirSync(path.join(origin.dir, '.perf-gate/baselines/t'))).toHaveLength(1)
    // --stored gates against that baseline instead.
    const stored = runDist('cli.js', ['gate', '--stored'], { cwd: origin.dir })
    expect(stored.stdout).not.toContain('A/B in this job')
    expect(stored.stdout).toMatch(/verdict: (pass|warn)/)
  })

  it('removes the base worktree when stopped by SIGTERM mid-run', async () => {
    const slow = config().replace('run: cat out.json', 'run: sleep 1; cat out.json')
    const { clone } = cloneOf([
      { 'perf-gate.yml': slow, 'out.json': value(100) },
      { 'perf-gate.yml': slow, 'out.json': value(100), 'x.txt': 'x\n' }
    ])
    const tmp = mkdtempSync(path.join(tmpdir(), 'pg-sigterm-'))
    const child = spawn(process.execPath, [path.resolve('dist/cli.js'), 'ab'], {
      cwd: clone,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp }
    })
    let stderr = ''
    const measuring = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        if (stderr.includes('benchmark 1/1: tool')) resolve()
      })
    })
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    await measuring
    expect(worktrees(clone)).toHaveLength(2)
    child.kill('SIGTERM')
    expect(await exited).toBe(143)
    expect(worktrees(clone)).toHaveLength(1)
    expect(readdirSync(tmp)).toEqual([])
  })

  it('tells a shallow clone to fetch the history (fetch-depth: 0), exit 2', () => {
    const origin = gitRepo([
      { 'perf-gate.yml': config(), 'out.json': value(100) },
      { 'out.json': value(120) }
    ])
    const clone = path.join(mkdtempSync(path.join(tmpdir(), 'pg-shallow-')), 'c')
    git(origin.dir, 'clone', '-q', '--depth', '1', `file://${origin.dir}`, clone)
    const r = runDist('cli.js', ['ab'], { cwd: clone })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'perf-gate: cannot run A/B: the checkout is shallow and lacks HEAD~1: use actions/checkout with fetch-depth: 0 (or git fetch --unshallow)\n'
    )
  })
})
