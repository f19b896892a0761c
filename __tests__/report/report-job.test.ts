import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Ollama } from 'ollama'
import type { AnalystClient } from '../../src/analyst/index.js'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { main } from '../../src/cli/main.js'
import { runJobToFiles, type FileJobOptions } from '../helpers/job.js'
import { createOllamaFetch } from '../../src/runners/ollama-fetch.js'
import { silentReporter } from '../../src/runners/progress.js'
import { startOllamaStandin, standinModel, type OllamaStandin } from '../helpers/ollama-standin.js'
import { ANSWERS } from '../analyst/answers.js'
import { readSet } from './golden-fixture.js'

/*
 * The job's part: where the report file and the registry go, that a pull request never writes the
 * registry, and that the analyst never changes the verdict.
 */

const CONFIG = `testbed: gpu-2x
benchmarks:
  - name: llama-q4
    kind: file
    path: results/*.json
comparisons:
  - name: Q5 vs Q4
    a: llama-q4
    b: llama-q5
`
const PUSH = { onGitHub: true, eventName: 'push', ref: 'refs/heads/main', defaultBranch: 'main' }
const PR = {
  onGitHub: true,
  eventName: 'pull_request',
  ref: 'refs/pull/7/merge',
  defaultBranch: 'main'
}

let standin: OllamaStandin
beforeAll(async () => {
  standin = await startOllamaStandin([standinModel({ name: 'analyst:latest' })])
})
afterAll(async () => standin.close())

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-report-'))
  writeFileSync(path.join(dir, 'perf-gate.yml'), CONFIG)
  return dir
}

function options(
  dir: string,
  over: Partial<FileJobOptions>,
  set = readSet('current.json')
): FileJobOptions {
  return {
    mode: 'gate',
    configPath: path.join(dir, 'perf-gate.yml'),
    resultSet: set,
    store: new LocalBaselineStore(path.join(dir, '.perf-gate/baselines')),
    outDir: path.join(dir, '.perf-gate/out'),
    rawDir: 'benchmarks/results/raw',
    failOn: 'fail',
    commit: set.commit,
    context: PR,
    reporter: silentReporter,
    now: () => new Date('2026-11-22T10:05:00Z'),
    ...over
  }
}

describe('report file, registry and analyst in the job', () => {
  it('writes the report under benchmarks/results/reports and the same content to report.md', async () => {
    const dir = project()
    const r = await runJobToFiles(options(dir, {}))
    expect(path.relative(dir, r.files.paths.reportFile)).toBe(
      'benchmarks/results/reports/2026-11-22T100000.000Z_abc1234.md'
    )
    const report = readFileSync(r.files.paths.reportFile, 'utf8')
    expect(readFileSync(r.files.paths.report, 'utf8')).toBe(report)
    expect(report).toContain('### Q5 vs Q4: llama-q5 vs llama-q4')
    expect(report).toMatch(
      /Files read by type: config \\\(perf-gate\.yml\\\): 1, hyperfine file: 1\./
    )
    expect(report).toMatch(/\| ingesting \| \d/)
    expect(report).toContain('Deterministic summary computed from the facts')
    expect(report).toContain(
      `- [Raw results \\(JSON\\)](../raw/${path.basename(r.files.paths.results)})`
    )
  })

  it('lists warning and error lines of imported text outputs under Observations', async () => {
    const dir = project()
    mkdirSync(path.join(dir, 'bench'))
    writeFileSync(
      path.join(dir, 'bench/go-bench.txt'),
      'goos: linux\nBenchmarkX-8  100  12 ns/op\nwarning: CPU scaling is enabled\nok\n'
    )
    const set = readSet('current.json')
    set.benchmarks[2].source = { kind: 'import', format: 'go', file: 'bench/go-bench.txt' }
    const r = await runJobToFiles(options(dir, {}, set))
    const report = readFileSync(r.files.paths.reportFile, 'utf8')
    expect(report).toContain('**Warnings and errors in benchmark logs**')
    expect(report).toContain('- `bench/go-bench.txt:3` warning: CPU scaling is enabled')
  })

  it('updates the models registry on a trusted baseline run, never from a pull request', async () => {
    const dir = project()
    const registry = path.join(dir, 'docs/models/models-registry.md')
    const gate = await runJobToFiles(options(dir, { mode: 'gate', context: PR }))
    expect(gate.files.paths.registry).toBeNull()
    expect(existsSync(registry)).toBe(false)
    expect(existsSync(path.join(dir, '.perf-gate/out/models-registry.md'))).toBe(false)

    const base = await runJobToFiles(options(dir, { mode: 'baseline', context: PUSH }))
    expect(base.files.paths.registry).toBe(registry)
    const text = readFileSync(registry, 'utf8')
    expect(text).toContain('| llama3.2:3b-instruct-q4\\_K\\_M | gpu-2x | ')
    expect(text).toContain('| llama3.2:3b-instruct-q5\\_K\\_M | gpu-2x | ')
    expect(readFileSync(path.join(dir, '.perf-gate/out/models-registry.md'), 'utf8')).toBe(text)

    // A later pull request leaves it as the baseline run wrote it.
    await runJobToFiles(options(dir, { mode: 'gate', context: PR }))
    expect(readFileSync(registry, 'utf8')).toBe(text)
  })

  it('never changes the verdict, whatever the analyst answers or when it is unreachable', async () => {
    const dir = project()
    await runJobToFiles(options(dir, { mode: 'baseline', context: PUSH }, readSet('baseline.json')))
    const plain = await runJobToFiles(options(dir, {}))
    expect(plain.outcome.verdict).toBe('fail')
    const client = new Ollama({
      host: standin.host,
      fetch: createOllamaFetch()
    }) as unknown as AnalystClient
    for (const answer of [ANSWERS.inventedNumbers, ANSWERS.empty]) {
      standin.models.get('analyst:latest')!.script = [answer]
      const r = await runJobToFiles(options(dir, { analyst: { model: 'analyst:latest', client } }))
      expect(r.outcome).toEqual(plain.outcome)
      expect(r.failed).toBe(true)
      expect(readFileSync(r.files.paths.reportFile, 'utf8')).not.toContain('92.3')
    }
    const gone = await runJobToFiles(
      options(dir, { analyst: { model: 'analyst:latest', host: 'http://127.0.0.1:9' } })
    )
    expect(gone.outcome).toEqual(plain.outcome)
    expect(readFileSync(gone.files.paths.reportFile, 'utf8')).toMatch(
      /_Note: the analyst model analyst:latest could not be reached/
    )
  })

  it('takes the analyst model from the CLI flag and the host from OLLAMA_HOST', async () => {
    const dir = project()
    writeFileSync(
      path.join(dir, 'perf-gate.yml'),
      'testbed: t\nbenchmarks:\n  - name: work\n    kind: file\n    path: r.json\n'
    )
    writeFileSync(
      path.join(dir, 'r.json'),
      readFileSync(path.resolve('fixtures/hyperfine/work-baseline.json'))
    )
    standin.models.get('analyst:latest')!.script = [ANSWERS.grounded]
    const out: string[] = []
    const io = { stdout: (t: string) => out.push(t), stderr: () => undefined }
    const code = await main(
      [
        'gate',
        '--config',
        path.join(dir, 'perf-gate.yml'),
        '--results',
        path.join(dir, 'r.json'),
        '--out',
        path.join(dir, 'out'),
        '--store',
        `local:${path.join(dir, 'store')}`,
        '--analyst-model',
        'analyst:latest'
      ],
      io,
      { OLLAMA_HOST: standin.host }
    )
    expect(code).toBe(0)
    const file = /report: +(\S+)/.exec(out.join(''))![1]
    expect(readFileSync(file, 'utf8')).toMatch(/Written by analyst:latest from the computed facts/)
    expect(standin.requests.at(-1)?.path).toBe('/api/chat')
  })
})
