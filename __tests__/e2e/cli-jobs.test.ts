import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { runDist } from '../helpers/dist.js'
import { lognormal, mulberry32 } from '../helpers/results.js'

function project(config: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-job-'))
  writeFileSync(path.join(dir, 'perf-gate.yml'), config)
  return dir
}

const emit = (file: string) =>
  `node -e "process.stdout.write(require('fs').readFileSync('${file}','utf8'))"`

describe('perf-gate run / gate / baseline (dist/cli.js)', () => {
  it('records the first baseline, then gates later runs against it', () => {
    const dir = project(
      `testbed: t\nrepetitions: 6\nwarmup: 1\nbenchmarks:\n  - name: tool\n    kind: command\n    run: ${emit('out.json')}\n    format: custom\n`
    )
    const write = (median: number, seed: number) =>
      writeFileSync(
        path.join(dir, 'out.json'),
        JSON.stringify([
          { name: 'op', unit: 'ms', values: lognormal(mulberry32(seed), 5, median, 0.02) }
        ])
      )
    write(100, 1)
    const first = runDist('cli.js', ['run'], { cwd: dir })
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/verdict: neutral/)
    expect(first.stdout).toMatch(/recorded as the baseline/)
    expect(first.stderr).toMatch(/run 6\/7 · .* ETA/)

    write(101, 2)
    const second = runDist('cli.js', ['run'], { cwd: dir })
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/verdict: pass/)

    write(130, 3)
    const third = runDist('cli.js', ['gate'], { cwd: dir })
    expect(third.code).toBe(1)
    expect(third.stdout).toMatch(/verdict: fail/)
    // gate never writes, run wrote only the first baseline
    expect(readdirSync(path.join(dir, '.perf-gate/baselines/t'))).toHaveLength(1)
    const ledger = readFileSync(path.join(dir, '.perf-gate/out/ledger.md'), 'utf8')
    expect(ledger.match(/^- .* · perf · /gm)).toHaveLength(3)
    const checkRun = JSON.parse(
      readFileSync(path.join(dir, '.perf-gate/out/check-run.json'), 'utf8')
    )
    expect(checkRun).toMatchObject({ name: 'review:gate:perf', conclusion: 'failure' })
  })

  it('stops adding runs once the comparison is settled (adaptive sampling)', () => {
    // runner-drift 0: the within-job rule, whose looks this is about (the history rule's are below).
    const dir = project(
      'testbed: t\nwarmup: 0\nrunner-drift: 0\nadaptive: { min: 5, max: 12, step: 3 }\nbenchmarks:\n  - name: tool\n    kind: command\n    run: cat out.json\n    format: custom\n'
    )
    const write = (value: number) =>
      writeFileSync(path.join(dir, 'out.json'), JSON.stringify([{ name: 'op', unit: 'ms', value }]))
    const samplesOf = (stdout: string) => {
      const file = /results: +(\S+)/.exec(stdout)![1]
      return JSON.parse(readFileSync(file, 'utf8')).benchmarks[0].metrics[0].samples.length
    }
    write(100)
    // No baseline yet: this run may become it, so it takes every run the plan allows.
    const first = runDist('cli.js', ['run'], { cwd: dir })
    expect(first.code).toBe(0)
    expect(samplesOf(first.stdout)).toBe(12)
    // Identical numbers settle at the first look.
    const same = runDist('cli.js', ['gate'], { cwd: dir })
    expect(same.code).toBe(0)
    expect(same.stderr).toMatch(/after 5 runs: /)
    expect(samplesOf(same.stdout)).toBe(5)
    expect(same.stdout).toMatch(/verdict: pass/)
    // A deterministic +30 % is established at the first look too, at alpha / looks.
    write(130)
    const slower = runDist('cli.js', ['gate'], { cwd: dir })
    expect(slower.code).toBe(1)
    expect(samplesOf(slower.stdout)).toBe(5)
    expect(slower.stdout).toMatch(/verdict: fail/)
  })

  it('reports a broken config as one line naming file, line and key, exit 2', () => {
    const dir = project(
      'testbed: t\nbenchmarks:\n  - name: a\n    kind: command\n    run: "true"\n    repetitions: 0\n'
    )
    const r = runDist('cli.js', ['run'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'perf-gate: perf-gate.yml:6: benchmarks[0].repetitions must be an integer >= 1\n'
    )
  })

  it('reports a missing config with a hint', () => {
    const r = runDist('cli.js', ['gate', '--config', 'nope.yml'], { cwd: tmpdir() })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^perf-gate: nope\.yml: config file not found/)
  })

  it('reports a benchmark whose command fails, with its output', () => {
    const dir = project(
      `benchmarks:\n  - name: broken\n    kind: command\n    run: 'echo compiling; echo "error: no such file" >&2; exit 7'\n`
    )
    const r = runDist('cli.js', ['run'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /benchmark 'broken': the command exited with code 7 on warm-up 1\/1\. Last output:\n {2}\| compiling\n {2}\| error: no such file/
    )
  })

  it('leaves the previous baseline intact when the writer is killed mid-write (SIGKILL, 12 times)', async () => {
    const dir = project(
      'testbed: k\nbenchmarks:\n  - name: big\n    kind: file\n    path: results/*.json\n'
    )
    mkdirSync(path.join(dir, 'results'))
    // A large result set makes the write slow enough to be interrupted at different points.
    const rand = mulberry32(7)
    const big = Array.from({ length: 20 }, (_, i) => ({
      name: `b${i}`,
      unit: 'ms',
      values: lognormal(rand, 3000, 10, 0.05)
    }))
    writeFileSync(path.join(dir, 'results', 'big.json'), JSON.stringify(big))
    expect(
      runDist('cli.js', ['baseline', '--results', 'results/*.json', '--note', 'first'], {
        cwd: dir
      }).code
    ).toBe(0)

    const store = new LocalBaselineStore(path.join(dir, '.perf-gate/baselines'))
    const storeDir = path.join(dir, '.perf-gate/baselines/k')
    let caughtMidWrite = 0
    for (let i = 0; i < 12; i++) {
      const child = spawn(
        process.execPath,
        [path.resolve('dist/cli.js'), 'baseline', '--results', 'results/*.json'],
        {
          cwd: dir,
          stdio: 'ignore'
        }
      )
      const closed = new Promise((r) => child.on('close', r))
      // Kill as soon as the new baseline's temporary file exists: the write is under way.
      for (let waited = 0; waited < 3000 && child.exitCode === null; waited += 2) {
        if (readdirSync(storeDir).some((n) => n.startsWith('.tmp-'))) {
          caughtMidWrite++
          break
        }
        await new Promise((r) => setTimeout(r, 2))
      }
      child.kill('SIGKILL')
      await closed
      const latest = await store.latest('k')
      expect(latest).not.toBeNull()
      expect(latest!.results.benchmarks).toHaveLength(20)
      expect(latest!.results.benchmarks[0].metrics[0].samples).toHaveLength(3000)
    }
    // How often the kill landed inside the write depends on timing; the invariant above may not.
    process.stderr.write(
      `SIGKILL test: ${caughtMidWrite}/12 kills landed during the baseline write\n`
    )
    // Every file in the store is complete; only temporary files may be left behind.
    for (const f of readdirSync(path.join(dir, '.perf-gate/baselines/k')).filter(
      (n) => !n.startsWith('.')
    )) {
      expect(() =>
        JSON.parse(readFileSync(path.join(dir, '.perf-gate/baselines/k', f), 'utf8'))
      ).not.toThrow()
    }
  }, 120_000)
})
