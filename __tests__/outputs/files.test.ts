import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { actionOutput } from '../../src/outputs/action.js'
import { filesOutput } from '../../src/outputs/files.js'
import { runWithOutputs } from '../../src/outputs/index.js'
import { MAX_SUMMARY_BYTES } from '../../src/report/summary.js'
import { silentReporter } from '../../src/runners/progress.js'
import { recorder } from '../helpers/capture.js'
import { runJobToFiles, type FileJobOptions } from '../helpers/job.js'

/*
 * The files output under the conditions a hostile or unlucky user meets (#19): runs of one
 * commit in the same millisecond, a folder that cannot be written, a job summary of 12,000
 * metrics.
 */

const NOW = new Date('2026-11-22T12:00:00.123Z')

function workspace(metrics = 1): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-files-'))
  mkdirSync(path.join(dir, 'results'))
  writeFileSync(
    path.join(dir, 'perf-gate.yml'),
    'testbed: test\nbenchmarks:\n  - name: work\n    kind: file\n    path: results/*.json\n'
  )
  const entries = Array.from({ length: metrics }, (_, i) => ({
    name: `m${i}`,
    unit: 'ms',
    values: [10, 10.1, 9.9, 10.05, 9.95]
  }))
  writeFileSync(path.join(dir, 'results', 'r.json'), JSON.stringify(entries))
  return dir
}

function options(dir: string, over: Partial<FileJobOptions> = {}): FileJobOptions {
  return {
    mode: 'gate',
    configPath: path.join(dir, 'perf-gate.yml'),
    resultsGlob: path.join(dir, 'results', '*.json'),
    store: new LocalBaselineStore(path.join(dir, 'store')),
    outDir: path.join(dir, 'out'),
    rawDir: path.join(dir, 'raw'),
    failOn: 'never',
    commit: { sha: 'abcdef0123456789abcdef0123456789abcdef01' },
    context: { onGitHub: false },
    reporter: silentReporter,
    now: () => NOW,
    ...over
  }
}

describe('raw results files (#19 item 6)', () => {
  it('gives each run a file of its own, even runs of one commit in one millisecond', async () => {
    const dir = workspace()
    const paths: string[] = []
    for (let i = 0; i < 6; i++) {
      const r = await runJobToFiles(options(dir, { note: `run ${i}` }))
      paths.push(r.files.paths.results)
    }
    expect(new Set(paths).size).toBe(6)
    expect(readdirSync(path.join(dir, 'raw')).sort()).toEqual(
      paths.map((p) => path.basename(p)).sort()
    )
    for (const p of paths)
      expect(path.basename(p)).toMatch(/^20261122T120000123Z_abcdef0_[0-9a-f]{6}\.json$/)
  })

  it('names each file once in the log', async () => {
    const dir = workspace()
    const rec = recorder()
    const r = await runJobToFiles(options(dir, { reporter: rec }))
    expect(rec.lines.filter((l) => l.includes(r.files.paths.results))).toHaveLength(1)
  })
})

describe('a folder that cannot be written (#19 item 9)', () => {
  it('names the file and the cause, as the user’s error', async () => {
    const dir = workspace()
    // A file where the output folder should be: every write under it fails with ENOTDIR.
    writeFileSync(path.join(dir, 'out'), 'not a folder')
    await expect(runJobToFiles(options(dir))).rejects.toMatchObject({
      name: 'UserError',
      message: `cannot write ${path.join(dir, 'out', 'ledger.md')}: a part of the path is a file, not a folder (ENOTDIR)`
    })
  })
})

describe('the job summary (#19 item 5)', () => {
  it('stays under GitHub’s 1 MiB with 12,000 metrics and a note after it', async () => {
    const dir = workspace(12_000)
    let summary = ''
    const note = `\n> ${'n'.repeat(5000)}\n`
    const { outDir, rawDir, ...job } = options(dir)
    await runWithOutputs(job, [
      filesOutput({ outDir, rawDir, reporter: silentReporter }),
      actionOutput(
        {
          setOutput: () => undefined,
          summary: (markdown) => {
            summary += markdown
            return Promise.resolve()
          }
        },
        { summaryNote: note }
      )
    ])
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(summary.endsWith(note)).toBe(true)
    expect(summary).toContain('… 11000 more rows')
    const reportFile = readFileSync(path.join(dir, 'out', 'report.md'), 'utf8')
    expect(reportFile).toMatch(
      /… 11000 more rows \(all unchanged\) folded; every metric, with its samples, is in the \[raw results\]\(\.\.\/\.\.\/\.\.\/raw\/\S+\.json\)/
    )
  })
})
