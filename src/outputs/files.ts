import path from 'node:path'
import { sourceFiles } from '../engine/analyse.js'
import type { DecidedJob } from '../engine/job.js'
import { renderCheckRun } from '../report/check-run.js'
import { renderLedger } from '../report/ledger.js'
import { mergeRegistry, registryRows } from '../report/registry.js'
import { renderReportFile, reportFileName } from '../report/report-file.js'
import type { Reporter } from '../runners/progress.js'
import { readIfExists, writeFileAtomic } from '../shared/fs.js'
import { shortSha } from '../shared/text.js'
import type { Delivered, Output } from './output.js'

/*
 * The files a run leaves: the raw results, the ledger (locally it plays the part of the PR
 * comment, kept across runs so its hop log grows), the check-run payload, the report file with
 * its copy beside the ledger, and the models registry after a trusted baseline run.
 */

export const DEFAULT_REPORTS_DIR = 'benchmarks/results/reports'
export const REGISTRY_PATH = 'docs/models/models-registry.md'

export interface FilesSettings {
  /** Ledger, check-run payload and report copy go here. */
  outDir: string
  /** Raw results JSON goes here; relative paths are taken from the config's folder. */
  rawDir: string
  /** Report files go here; relative paths are taken from the config's folder. */
  reportsDir?: string
  reporter: Reporter
  /** Milliseconds, for the report's own phase time; tests may pin it. */
  clock?: () => number
}

export function filesOutput(settings: FilesSettings): Output {
  return { deliver: (job, before) => writeFiles(job, before, settings) }
}

async function writeFiles(
  job: DecidedJob,
  before: Delivered,
  settings: FilesSettings
): Promise<Delivered> {
  const clock = settings.clock ?? (() => performance.now())
  const started = clock()
  const { config, current, report } = job
  const outDir = path.resolve(settings.outDir)
  const results = path.join(
    path.resolve(config.dir, settings.rawDir),
    `${fileStamp(current.createdAt)}_${shortSha(current.commit.sha) ?? 'nosha'}.json`
  )
  await writeFileAtomic(results, JSON.stringify(current, null, 2) + '\n')
  settings.reporter.info(`results: ${results}`)

  const ledgerPath = path.join(outDir, 'ledger.md')
  const ledger = renderLedger(await readIfExists(ledgerPath), report)
  const checkRun = renderCheckRun(report, {
    headSha: current.commit.sha,
    ...(report.runUrl ? { detailsUrl: report.runUrl } : {})
  })
  const checkRunPath = path.join(outDir, 'check-run.json')
  await writeFileAtomic(ledgerPath, ledger)
  await writeFileAtomic(checkRunPath, JSON.stringify(checkRun, null, 2) + '\n')

  // Only a trusted run that stored a baseline updates the registry: never a pull request.
  let registry: string | null = null
  const rows = job.baselineWritten ? registryRows(current) : []
  if (rows.length) {
    registry = path.resolve(config.dir, REGISTRY_PATH)
    const merged = mergeRegistry(await readIfExists(registry), rows)
    await writeFileAtomic(registry, merged)
    // A copy next to the ledger, for an artifact upload when the workspace is not committed.
    await writeFileAtomic(path.join(outDir, 'models-registry.md'), merged)
  }

  const reportsDir = path.resolve(config.dir, settings.reportsDir ?? DEFAULT_REPORTS_DIR)
  const reportFile = path.join(reportsDir, reportFileName(current.createdAt, current.commit.sha))
  const rel = (to: string): string => path.relative(reportsDir, to).split(path.sep).join('/')
  const content = renderReportFile({
    report,
    current,
    baseline: job.ab?.base ?? job.baseline?.results ?? null,
    comparisons: config.comparisons ?? [],
    workflow: {
      filesRead: job.analysis.filesRead,
      phasesMs: { ...job.analysis.phasesMs, reporting: clock() - started }
    },
    rawData: [
      { label: 'Raw results (JSON)', path: rel(results) },
      ...sourceFiles(current).map((f) => ({
        label: `Source: ${path.basename(f)}`,
        path: rel(path.resolve(config.dir, f))
      })),
      { label: 'Ledger', path: rel(ledgerPath) },
      ...(registry ? [{ label: 'Models registry', path: rel(registry) }] : [])
    ],
    analyst: job.analysis.analyst,
    logs: job.analysis.logs
  })
  const reportCopy = path.join(outDir, 'report.md')
  await writeFileAtomic(reportFile, content)
  await writeFileAtomic(reportCopy, content)
  settings.reporter.info(`report: ${reportFile}`)
  return {
    ...before,
    files: {
      paths: {
        results,
        report: reportCopy,
        ledger: ledgerPath,
        checkRun: checkRunPath,
        reportFile,
        registry
      },
      ledger,
      checkRun
    }
  }
}

function fileStamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}
