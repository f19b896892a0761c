import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli/main.js'
import { ResultSet } from '../../src/results/model.js'
import { runAction, webhook } from '../helpers/github-standin-run.js'
import {
  standinModel,
  startOllamaStandin,
  type OllamaStandin,
  type Timing
} from '../helpers/ollama-standin.js'

/*
 * A config with a matrix, end to end against the Ollama stand-in: through the CLI in this process,
 * and through the built dist/cli.js and dist/index.js in a process of their own (spawned, so the
 * stand-in here keeps answering).
 */

// 20 ms a token alone: decode_tps is 50 tokens/s from the server's own numbers, exactly.
const TIMING: Partial<Timing> = {
  loadMs: 5,
  warmLoadMs: 0,
  promptEvalMs: 0,
  prefillTokenMs: 0.5,
  tokenMs: 20,
  shareSlowdown: 0.5,
  outputTokens: 6
}

let s: OllamaStandin
beforeAll(async () => {
  s = await startOllamaStandin(
    [
      standinModel({
        name: 'q4:latest',
        timing: TIMING,
        answer: (p) => (p.includes('6*7') ? 'It is 42 my friend' : undefined)
      }),
      standinModel({
        name: 'q8:latest',
        digest: 'e'.repeat(64),
        // 8 GB of weights and 1e5 bytes a token of context in each of 2 slots: at 4096 the model
        // takes 8.8 GB of the 9 GB of VRAM, at 8192 it takes 9.6 GB and spills onto the CPU.
        size: 8e9,
        kvBytesPerToken: 1e5,
        timing: TIMING
      })
    ],
    { parallel: 2, vramBytes: 9e9 }
  )
})
afterAll(async () => {
  await s.close()
})

function project(targets: string, extra = ''): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-sweep-'))
  writeFileSync(
    path.join(dir, 'perf-gate.yml'),
    `testbed: dual-gpu
repetitions: 5
warmup: 1
matrix-seed: 11
benchmarks:
  - name: chat
    kind: ollama
    host: ${s.host}
    model: q4
    class: core
    prompts:
      - { text: "What is 6*7?", expect: { contains: "42" } }
    options: { num_ctx: 4096, num_predict: 6 }
    matrix:
      concurrency: [1, 2]
${extra}    targets:
${targets}`
  )
  return dir
}

async function cli(dir: string, command = 'run'): Promise<{ code: number; out: string }> {
  const out: string[] = []
  const code = await main(
    [
      command,
      '-c',
      path.join(dir, 'perf-gate.yml'),
      '--store',
      `local:${path.join(dir, '.perf-gate/baselines')}`,
      '--out',
      path.join(dir, '.perf-gate/out')
    ],
    { stdout: (x) => out.push(x), stderr: () => undefined },
    {}
  )
  return { code, out: out.join('') }
}

function reportOf(dir: string): string {
  const folder = path.join(dir, 'benchmarks/results/reports')
  return readFileSync(path.join(folder, readdirSync(folder)[0] ?? ''), 'utf8')
}

describe('a matrix through the CLI', () => {
  it('passes targets met with no baseline, and the report has the Scaling section', async () => {
    const dir = project('      decode_tps[concurrency=1]: ">= 45"\n      accuracy: ">= 0.5"\n')
    const { code, out } = await cli(dir)
    expect({ code, out }).toMatchObject({ code: 0 })
    expect(out).toMatch(/verdict: pass/)
    const report = reportOf(dir)
    expect(report).toContain('## Scaling')
    expect(report).toContain('title "Aggregate tokens per s by concurrency"')
    expect(report).toContain('## Targets')
    const [file] = readdirSync(path.join(dir, 'benchmarks/results/raw'))
    const results = ResultSet.parse(
      JSON.parse(readFileSync(path.join(dir, 'benchmarks/results/raw', file ?? ''), 'utf8'))
    )
    expect(results.benchmarks.map((b) => b.name)).toEqual([
      'chat[concurrency=1]',
      'chat[concurrency=2]'
    ])
    const two = results.benchmarks[1]
    expect(two?.matrix).toMatchObject({ entry: 'chat', axes: { concurrency: 2 }, seed: 11 })
    expect(two?.metrics.find((m) => m.name === 'batch_efficiency')?.samples).toHaveLength(5)
    expect(two?.metrics.find((m) => m.name === 'accuracy')?.samples).toEqual(new Array(10).fill(1))
  })

  it('fails the first run on a target missed, with the number, the bound and the CI', async () => {
    const dir = project('      decode_tps[concurrency=1]: ">= 55"\n')
    const { code, out } = await cli(dir)
    expect(code).toBe(1)
    expect(out).toContain(
      'reason: 1 target missed: chat[concurrency=1]/decode_tps 50 tokens/s, target ≥ 55 missed (90 % CI 50 … 50)'
    )
    const ledger = readFileSync(path.join(dir, '.perf-gate/out/ledger.md'), 'utf8')
    expect(ledger).toContain(
      '❌ `perf: chat[concurrency=1]/decode_tps: 50 tokens/s; target ≥ 55; Δ vs baseline: n/a`'
    )
  })

  it('keeps a cell with part of the model on the CPU out of the gate, as invalid', async () => {
    const dir = project(
      '      decode_tps: ">= 10"\n',
      // Warn-only: the client-side timings of a busy test machine must not fail the gate here.
      '      model: [q8]\n      num_ctx: [4096, 8192]\n    thresholds: { warn: 50%, fail: none }\n'
    )
    const first = await cli(dir)
    expect(first.code).toBe(0)
    const gate = await cli(dir, 'gate')
    expect(gate.code).toBe(0)
    const checkRun = JSON.parse(
      readFileSync(path.join(dir, '.perf-gate/out/check-run.json'), 'utf8')
    ) as { output: { text: string } }
    const text = checkRun.output.text
    expect(text).toMatch(
      /\| chat\\\[concurrency=1,model=q8,num\\_ctx=8192\\\] \| decode\\_tps \|[^\n]*⚪ neutral \|/
    )
    expect(text).toMatch(
      /\| chat\\\[concurrency=1,model=q8,num\\_ctx=4096\\\] \| decode\\_tps \|[^\n]*✅ pass \|/
    )
    const report = reportOf(dir)
    expect(report).toMatch(
      /Invalid, shown but not gated: concurrency=1, num\\_ctx=8192 \(partial-offload: only 93\.4 % of q8 is in VRAM/
    )
  })
})

function spawnCli(dir: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [path.resolve('dist', 'cli.js'), 'run'], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME }
  })
  let stdout = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', () => undefined)
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout })))
}

describe('a matrix through the built bundles', () => {
  it('dist/cli.js runs it and reports the Scaling section', async () => {
    const dir = project('      decode_tps[concurrency=1]: ">= 45"\n')
    const r = await spawnCli(dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/verdict: pass/)
    expect(reportOf(dir)).toContain('## Scaling')
  }, 60_000)

  it('dist/index.js runs it on a runner, fails on the missed target, and summarises the Scaling', async () => {
    const ws = project('      decode_tps[concurrency=1]: ">= 55"\n')
    const p = webhook('push')
    const run = await runAction({
      ws,
      event: {
        name: 'push',
        payload: p,
        ref: `refs/heads/${String(p.repository.default_branch)}`,
        sha: 'b'.repeat(40)
      },
      inputs: { mode: 'gate' }
    })
    expect(run.code).toBe(1)
    expect(run.outputs.verdict).toBe('fail')
    expect(run.summary).toContain('## Scaling')
    expect(run.summary).toContain(
      '❌ `perf: chat[concurrency=1]/decode_tps: 50 tokens/s; target ≥ 55; Δ vs baseline: n/a`'
    )
  }, 60_000)
})
