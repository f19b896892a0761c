import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { sourceFiles } from '../engine/analyse.js'
import type { DecidedJob } from '../engine/job.js'
import { renderLedger } from '../report/ledger.js'
import { mergeRegistry, registryRows } from '../report/registry.js'
import { RAW_RESULTS_LABEL, renderReportFile, reportFileName } from '../report/report-file.js'
import type { Reporter } from '../runners/progress.js'
import { fileError, UserError } from '../errors.js'
import type { ResultSet } from '../results/model.js'
import { readIfExists, writeFileAtomic, writeFileExclusive } from '../shared/fs.js'
import { LockTimeoutError, withFileLock } from '../shared/lock.js'
import { shortSha } from '../shared/text.js'
import { checkRunPayload } from './check-run-payload.js'
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
  /**
   * The config file as the repository names it, which check-run.json's annotations point at;
   * default: the config file relative to the current folder.
   */
  configPath?: string
  /** Milliseconds, for the report's own phase time; tests may pin it. */
  clock?: () => number
  /**
   * Log each file's path as it is written (the action's log). The CLI prints the paths in its
   * answer instead, so each appears once.
   */
  announce?: boolean
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
  const announce = settings.announce !== false
  const results = await writeResults(path.resolve(config.dir, settings.rawDir), current)
  if (announce) settings.reporter.info(`results: ${results}`)

  // Every run appends its hop to the ledger: concurrent runs take turns (a lost turn is a lost hop).
  const ledgerPath = path.join(outDir, 'ledger.md')
  const ledger = await locked(ledgerPath, async () => {
    const body = renderLedger(await readIfExists(ledgerPath), report)
    await put(ledgerPath, () => writeFileAtomic(ledgerPath, body))
    return body
  })
  // What the API call would send, annotations included.
  const checkRun = checkRunPayload(job, {
    headSha: current.commit.sha,
    configPath:
      settings.configPath ?? path.relative(process.cwd(), config.file).split(path.sep).join('/')
  })
  const checkRunPath = path.join(outDir, 'check-run.json')
  await put(checkRunPath, () =>
    writeFileAtomic(checkRunPath, JSON.stringify(checkRun, null, 2) + '\n')
  )

  // Only a trusted run that stored a baseline updates the registry: never a pull request.
  let registry: string | null = null
  const rows = job.baselineWritten ? registryRows(current) : []
  if (rows.length) {
    const file = path.resolve(config.dir, REGISTRY_PATH)
    registry = file
    const merged = await locked(file, async () => {
      const text = mergeRegistry(await readIfExists(file), rows)
      await put(file, () => writeFileAtomic(file, text))
      return text
    })
    // A copy next to the ledger, for an artifact upload when the workspace is not committed.
    const copy = path.join(outDir, 'models-registry.md')
    await put(copy, () => writeFileAtomic(copy, merged))
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
      { label: RAW_RESULTS_LABEL, path: rel(results) },
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
  await put(reportFile, () => writeFileAtomic(reportFile, content))
  await put(reportCopy, () => writeFileAtomic(reportCopy, content))
  if (announce) settings.reporter.info(`report: ${reportFile}`)
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

/**
 * The raw results under a name no other run takes: the time to the millisecond, the commit and a
 * random suffix (runs of one commit in the same millisecond, on several runners sharing a
 * folder), written whole and never over another file.
 */
async function writeResults(dir: string, current: ResultSet): Promise<string> {
  const content = JSON.stringify(current, null, 2) + '\n'
  const stem = `${fileStamp(current.createdAt)}_${shortSha(current.commit.sha) ?? 'nosha'}`
  for (let attempt = 0; attempt < 8; attempt++) {
    const file = path.join(dir, `${stem}_${randomBytes(3).toString('hex')}.json`)
    if (await put(file, () => writeFileExclusive(file, content))) return file
  }
  throw new UserError(`cannot find a free name for the raw results in ${dir}`)
}

/** `2026-11-22T10:01:02.345Z` → `20261122T100102345Z`: sortable, to the millisecond. */
function fileStamp(iso: string): string {
  return iso.replace(/[-:.]/g, '')
}

/** A write whose file-system failure is the user's to fix (a read-only or full disk), named. */
async function put<T>(file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (e) {
    throw fileError('write', file, e) ?? e
  }
}

async function locked<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await withFileLock(file, fn)
  } catch (e) {
    if (e instanceof LockTimeoutError) {
      throw new UserError(
        `cannot update ${file}: ${e.lockFile} has been held by ${e.holder} for over a minute; if no perf-gate run is using that folder, remove the lock file`
      )
    }
    // The lock file is created beside the file: a read-only or full folder fails here first.
    throw fileError('write', file, e) ?? e
  }
}
