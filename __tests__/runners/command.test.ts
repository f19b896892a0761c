import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { CommandBenchmark } from '../../src/config/types.js'
import { resolveOutputFile, runCommandBenchmark } from '../../src/runners/command.js'
import { progressLine } from '../../src/runners/progress.js'
import { recorder } from '../helpers/capture.js'
import { endAll, sleepers, uniqueSleep } from '../helpers/processes.js'

const FIXTURES = path.resolve('fixtures')

function spec(over: Partial<CommandBenchmark>): CommandBenchmark {
  return {
    kind: 'command',
    name: 'bench',
    line: 3,
    class: 'non-critical',
    repetitions: 3,
    warmup: 1,
    metrics: {},
    run: 'true',
    format: 'none',
    cwd: mkdtempSync(path.join(tmpdir(), 'pg-run-')),
    env: {},
    timeoutSeconds: 30,
    ...over
  }
}

describe('command runner', () => {
  it('records the wall time of each measured run, warm-ups apart', async () => {
    const [b] = await runCommandBenchmark(
      spec({ run: 'sleep 0.02', repetitions: 3, warmup: 2 }),
      recorder()
    )
    const m = b.metrics[0]
    expect(m).toMatchObject({
      name: 'wall-time',
      unit: 'ms',
      direction: 'lower',
      class: 'non-critical'
    })
    expect(m.samples).toHaveLength(3)
    expect(m.warmup).toHaveLength(2)
    expect(m.gate).toBeUndefined()
    // sleep 0.02 cannot finish in under 20 ms of wall time
    expect(Math.min(...m.samples)).toBeGreaterThanOrEqual(20)
  })

  it('reports progress with warm-ups and runs each counted on its own, and an ETA over both', async () => {
    const rec = recorder()
    await runCommandBenchmark(spec({ repetitions: 2, warmup: 1 }), rec)
    expect(rec.lines).toHaveLength(3)
    expect(rec.lines[0]).toMatch(/warm-up 1\/1 · .* elapsed · ETA /)
    expect(rec.lines[1]).toMatch(/run 1\/2 · .* elapsed · ETA /)
    expect(rec.lines[2]).toMatch(/run 2\/2 · .* elapsed · ETA 0\.0 s/)
  })

  it('pools the samples a tool prints as custom JSON on stdout', async () => {
    const run = `echo '[{"name":"parse","unit":"ops/s","values":[10,11]},{"name":"sort","unit":"ms","value":5}]'`
    const benches = await runCommandBenchmark(
      spec({ run, format: 'custom', repetitions: 3, warmup: 1 }),
      recorder()
    )
    expect(benches.map((b) => b.name)).toEqual(['bench/parse', 'bench/sort'])
    const parse = benches[0].metrics.find((m) => m.name === 'value')!
    expect(parse).toMatchObject({
      direction: 'higher',
      samples: [10, 11, 10, 11, 10, 11],
      warmup: [10, 11]
    })
    // The wrapper's wall time rides along for context but is not gated.
    expect(benches[0].metrics.find((m) => m.name === 'wall-time')).toMatchObject({ gate: false })
    expect(benches[1].metrics[0]).toMatchObject({ direction: 'lower', samples: [5, 5, 5] })
  })

  it("reads hyperfine's --export-json file named in the command", async () => {
    const run = `cp ${FIXTURES}/hyperfine/work-baseline.json "out file.json" # hyperfine --export-json "out file.json"`
    const s = spec({ run, format: 'hyperfine', repetitions: 2, warmup: 0 })
    expect(resolveOutputFile(s)).toBe(path.join(s.cwd, 'out file.json'))
    const [b] = await runCommandBenchmark(s, recorder())
    expect(b.name).toBe('bench')
    expect(b.metrics[0]).toMatchObject({ name: 'time', unit: 's' })
    expect(b.metrics[0].samples).toHaveLength(20)
  })

  it('applies per-metric overrides from the config', async () => {
    const [b] = await runCommandBenchmark(
      spec({ metrics: { 'wall-time': { class: 'core', gate: true } }, repetitions: 1, warmup: 0 }),
      recorder()
    )
    expect(b.metrics[0]).toMatchObject({ class: 'core', gate: true })
  })

  it('stops with the exit code and the tail of the output when the command fails', async () => {
    const run =
      'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo line$i; done; echo boom >&2; exit 3'
    await expect(runCommandBenchmark(spec({ run }), recorder())).rejects.toThrow(
      /^benchmark 'bench': the command exited with code 3 on warm-up 1\/1\. Last output:\n( {2}\| line\d+\n){14} {2}\| boom$/
    )
  })

  it('stops when the output has nothing parseable, showing the output', async () => {
    await expect(
      runCommandBenchmark(spec({ run: 'echo hello', format: 'custom' }), recorder())
    ).rejects.toThrow(
      /nothing parseable as custom in the output of warm-up 1\/1: .*Last output:\n {2}\| hello/s
    )
  })

  it('stops when the command prints nothing at all', async () => {
    await expect(
      runCommandBenchmark(spec({ run: 'true', format: 'custom' }), recorder())
    ).rejects.toThrow(/the file is empty: the run produced no results.*\(no output\)/s)
  })

  it('stops a command that outlives its timeout, with its children', async () => {
    await expect(
      runCommandBenchmark(
        spec({ run: 'echo started; sleep 30 & wait', timeoutSeconds: 0.3, warmup: 0 }),
        recorder()
      )
    ).rejects.toThrow(/run 1\/3 did not finish within 0\.3 s and was stopped.*\| started/s)
  })

  it('says so when the output file was not written', async () => {
    await expect(
      runCommandBenchmark(spec({ run: 'true', format: 'hyperfine', output: 'r.json' }), recorder())
    ).rejects.toThrow(/succeeded on warm-up 1\/1 but wrote no r\.json/)
  })

  it('passes the configured environment', async () => {
    const run = `echo "[{\\"name\\":\\"x\\",\\"unit\\":\\"ms\\",\\"value\\":$PG_VALUE}]"`
    const [b] = await runCommandBenchmark(
      spec({ run, format: 'custom', env: { PG_VALUE: '42' }, warmup: 0, repetitions: 1 }),
      recorder()
    )
    expect(b.metrics[0].samples).toEqual([42])
  })
})

describe('progressLine', () => {
  it('estimates the time left from the mean so far', () => {
    const all = (done: number, total: number, elapsedMs: number) => ({ done, total, elapsedMs })
    expect(progressLine('run', 2, 10, all(2, 10, 4000))).toBe(
      'run 2/10 · 4.0 s elapsed · ETA 16.0 s'
    )
    expect(progressLine('run', 1, 100, all(1, 100, 2000))).toBe(
      'run 1/100 · 2.0 s elapsed · ETA 3 min 18 s'
    )
    // One warm-up of 1 s before ten runs: the ETA counts the runs left, the count the warm-ups.
    expect(progressLine('warm-up', 1, 1, all(1, 11, 1000))).toBe(
      'warm-up 1/1 · 1.0 s elapsed · ETA 10.0 s'
    )
  })
})

describe('adaptive sampling in the command runner', () => {
  const plan = { min: 5, max: 20, step: 5 }

  it('looks after min runs and stops when the comparison is settled', async () => {
    const looks: number[] = []
    const [b] = await runCommandBenchmark(
      spec({ warmup: 1, adaptive: plan }),
      recorder(),
      process.env,
      (benches, runs) => {
        looks.push(runs)
        expect(benches[0].metrics[0].samples).toHaveLength(runs)
        return { stop: true, nextRuns: 0, reason: 'settled' }
      }
    )
    expect(looks).toEqual([5])
    expect(b.metrics[0].samples).toHaveLength(5)
  })

  it('adds batches while undecided, never past max', async () => {
    const looks: number[] = []
    const rec = recorder()
    const [b] = await runCommandBenchmark(
      spec({ warmup: 0, adaptive: plan }),
      rec,
      process.env,
      (_b, runs) => {
        looks.push(runs)
        return { stop: false, nextRuns: 5, reason: 'still open' }
      }
    )
    expect(looks).toEqual([5, 10, 15])
    expect(b.metrics[0].samples).toHaveLength(20)
    expect(rec.lines.filter((l) => l.includes('after 10 runs: still open'))).toHaveLength(1)
    expect(rec.lines.at(-1)).toMatch(/run 20\/20 · .* \(adaptive, up to 20\)$/)
  })

  it('ignores the plan without a decide callback (no baseline to compare with)', async () => {
    const [b] = await runCommandBenchmark(
      spec({ warmup: 0, repetitions: 3, adaptive: plan }),
      recorder()
    )
    expect(b.metrics[0].samples).toHaveLength(3)
  })

  it('ends what a run leaves in its process group, and says so', async () => {
    const d = uniqueSleep()
    const rec = recorder()
    const [b] = await runCommandBenchmark(
      spec({ run: `sleep ${d} >/dev/null 2>&1 & echo started`, warmup: 1, repetitions: 3 }),
      rec
    )
    expect(sleepers(d)).toEqual([])
    expect(b.metrics[0].samples).toHaveLength(3)
    // Listed as they were seen: a background job may still be the shell, forked and not yet exec'd.
    expect(rec.lines.join('\n')).toMatch(
      /bench: ended 4 processes the command left running in its process group: .*sleep /
    )
    expect(b.notes?.join('\n')).toMatch(/left 4 processes running in its process group, ended/)
  })

  it('reports the processes that escaped the process group, in the results and the log', async () => {
    const d = uniqueSleep()
    const rec = recorder()
    try {
      const [b] = await runCommandBenchmark(
        spec({
          // The pause lets setsid detach before the command exits; a child still in the group at
          // the exit is ended with it instead (the bench's probe covers that race).
          run: `setsid sleep ${d} >/dev/null 2>&1 & sleep 0.3; echo started`,
          warmup: 0,
          repetitions: 2
        }),
        rec
      )
      const escaped = sleepers(d)
      expect(escaped).toHaveLength(2)
      expect(rec.lines.filter((l) => l.startsWith('warning: '))).toHaveLength(2)
      expect(rec.lines[0]).toMatch(
        new RegExp(
          `^warning: benchmark 'bench': run 1/2 left sleep ${d.replace('.', '\\.')} \\(pid \\d+\\) running outside its process group`
        )
      )
      expect(b.notes?.join('\n')).toMatch(
        /started 2 processes that left its process group and kept running \(setsid or a daemon\)/
      )
      for (const p of escaped) expect(b.notes?.join('\n')).toContain(`pid ${p.pid}`)
    } finally {
      endAll(sleepers(d))
    }
  })

  it('stops reading once the command exits, though a child holds its output open', async () => {
    // Before: the run waited on the inherited pipe until the timeout, and failed.
    const d = uniqueSleep()
    const [b] = await runCommandBenchmark(
      spec({ run: `sleep ${d} & echo started`, timeoutSeconds: 5, warmup: 0, repetitions: 2 }),
      recorder()
    )
    expect(b.metrics[0].samples).toHaveLength(2)
    expect(sleepers(d)).toEqual([])
  })

  it('says that stdout passed its 64 MiB cap, and how to read a file instead', async () => {
    const run = `head -c 70000000 /dev/zero | tr '\\0' x; echo; echo '[{"name":"a","unit":"ms","value":1}]'`
    await expect(
      runCommandBenchmark(spec({ run, format: 'custom', warmup: 0, repetitions: 1 }), recorder())
    ).rejects.toThrow(
      "benchmark 'bench': the output of run 1/1 passed the 64 MiB cap on stdout (66.8 MiB written), so it cannot be read whole; have the tool write its results to a file and name that file in 'output:'"
    )
  })

  it('reads the file named in output: when stdout is past the cap', async () => {
    const run = `head -c 70000000 /dev/zero; echo '[{"name":"a","unit":"ms","value":1}]' > r.json`
    const [b] = await runCommandBenchmark(
      spec({ run, format: 'custom', output: 'r.json', warmup: 0, repetitions: 1 }),
      recorder()
    )
    expect(b.metrics[0].samples).toEqual([1])
  })

  it('never deletes a file outside the config folder named by output: or --export-json', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'pg-root-'))
    const project = path.join(root, 'project')
    mkdirSync(project)
    const victim = path.join(root, 'victim.txt')
    writeFileSync(victim, 'keep me')
    symlinkSync(root, path.join(project, 'up'))
    const cases: Array<Partial<CommandBenchmark>> = [
      { output: '../victim.txt' },
      { output: victim },
      { output: 'up/victim.txt' },
      { format: 'hyperfine', run: 'hyperfine --export-json ../victim.txt true' }
    ]
    for (const c of cases) {
      await expect(
        runCommandBenchmark(
          spec({ format: 'custom', cwd: project, root: project, ...c }),
          recorder()
        )
      ).rejects.toThrow(/leads to .*victim\.txt, outside the config's folder/)
      expect(existsSync(victim)).toBe(true)
    }
  })
})
