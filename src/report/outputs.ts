import { open, readFile } from 'node:fs/promises'
import path from 'node:path'
import { Ollama } from 'ollama'
import {
  buildFacts,
  deterministicSection,
  runAnalyst,
  type AnalystClient
} from '../analyst/index.js'
import { writeFileAtomic } from '../shared/fs.js'
import type { ResultSet } from '../results/model.js'
import { resolveHost } from '../runners/ollama-client.js'
import { createOllamaFetch } from '../runners/ollama-fetch.js'
import { scanLog, type LogFinding } from './observations.js'
import { mergeRegistry, registryRows } from './registry.js'
import { renderReportFile, reportFileName } from './report-file.js'
import type { AnalystSection, ComparisonSpec, WorkflowFacts } from '../types/report.js'
import type { GateReport } from '../types/report.js'

/*
 * The report file, the models registry and the analyst narrative, written after the gate has
 * decided: nothing here can change the verdict. Gathers what the pure renderers need and writes
 * what they return.
 */

export const DEFAULT_REPORTS_DIR = 'benchmarks/results/reports'
export const REGISTRY_PATH = 'docs/models/models-registry.md'
export const DEFAULT_ANALYST_TIMEOUT_MS = 180_000

export interface AnalystOptions {
  model: string
  /** Default: a client for OLLAMA_HOST (or the local server). */
  client?: AnalystClient
  host?: string
  timeoutMs?: number
}

export interface ReportOutputsInput {
  report: GateReport
  current: ResultSet
  baseline: ResultSet | null
  comparisons: ComparisonSpec[]
  /** The config's folder: reports and the registry are placed relative to it. */
  configDir: string
  configFile: string
  reportsDir?: string
  outDir: string
  resultsPath: string
  ledgerPath: string
  /** Only a trusted run that wrote a baseline may update the registry. */
  baselineWritten: boolean
  analyst?: AnalystOptions
  phasesMs: WorkflowFacts['phasesMs']
  clock?: () => number
  env?: NodeJS.ProcessEnv
}

export interface ReportOutputs {
  content: string
  reportFile: string
  /** The copy in the output folder (`report.md`). */
  reportCopy: string
  registry: string | null
  analyst: AnalystSection
}

/** Files read by type: the config, imported result files by format, Ollama runs by benchmark. */
export function filesRead(configFile: string, current: ResultSet): WorkflowFacts['filesRead'] {
  const counts = new Map<string, Set<string>>()
  const add = (type: string, id: string): void => {
    const set = counts.get(type) ?? new Set<string>()
    set.add(id)
    counts.set(type, set)
  }
  add(`config (${path.basename(configFile)})`, configFile)
  for (const b of current.benchmarks) {
    const s = b.source
    if (s?.file) add(`${s.format ?? 'result'} file`, s.file)
  }
  return [...counts].map(([type, ids]) => ({ type, count: ids.size }))
}

function rel(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/')
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return null
  }
}

// Structured files carry no log lines; text outputs (go, cargo, criterion, catch2, …) do.
const STRUCTURED = new Set(['.json', '.jsonl', '.ndjson', '.csv'])
const LOG_BYTES = 1 << 20

/** Warning and error lines of the imported text outputs, the logs this run has. */
async function logFindings(configDir: string, files: string[]): Promise<LogFinding[]> {
  const out: LogFinding[] = []
  for (const file of files) {
    if (STRUCTURED.has(path.extname(file).toLowerCase())) continue
    try {
      const handle = await open(path.resolve(configDir, file), 'r')
      try {
        const buf = Buffer.alloc(LOG_BYTES)
        const { bytesRead } = await handle.read(buf, 0, LOG_BYTES, 0)
        out.push(...scanLog(file, buf.subarray(0, bytesRead).toString('utf8')))
      } finally {
        await handle.close()
      }
    } catch {
      // A file imported earlier may be gone (an artifact folder); the report does without it.
    }
  }
  return out
}

async function analystSection(input: ReportOutputsInput): Promise<AnalystSection> {
  const facts = buildFacts(input.report, input.current, input.baseline)
  const a = input.analyst
  if (!a) return deterministicSection(facts)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), a.timeoutMs ?? DEFAULT_ANALYST_TIMEOUT_MS)
  try {
    const client =
      a.client ??
      new Ollama({
        host: resolveHost(a.host, input.env ?? process.env),
        fetch: createOllamaFetch({ signal: controller.signal })
      })
    const run = await runAnalyst({
      client,
      model: a.model,
      facts,
      ...(input.clock ? { clock: input.clock } : {})
    })
    return run.section
  } catch (e) {
    // resolveHost rejects a malformed host; the narrative is optional, so it only says so.
    return deterministicSection(
      facts,
      `the analyst could not run: ${e instanceof Error ? e.message : String(e)}`
    )
  } finally {
    clearTimeout(timer)
  }
}

export async function writeReportOutputs(input: ReportOutputsInput): Promise<ReportOutputs> {
  const clock = input.clock ?? (() => performance.now())
  const started = clock()
  const analyst = await analystSection(input)
  const reportsDir = path.resolve(input.configDir, input.reportsDir ?? DEFAULT_REPORTS_DIR)
  const reportFile = path.join(
    reportsDir,
    reportFileName(input.current.createdAt, input.current.commit.sha)
  )
  const reportCopy = path.join(path.resolve(input.outDir), 'report.md')

  let registry: string | null = null
  const rows = input.baselineWritten ? registryRows(input.current) : []
  if (rows.length) {
    registry = path.resolve(input.configDir, REGISTRY_PATH)
    const merged = mergeRegistry(await readIfExists(registry), rows)
    await writeFileAtomic(registry, merged)
    // A copy next to the ledger, for an artifact upload when the workspace is not committed.
    await writeFileAtomic(path.join(path.resolve(input.outDir), 'models-registry.md'), merged)
  }

  const sources = [
    ...new Set(input.current.benchmarks.flatMap((b) => (b.source?.file ? [b.source.file] : [])))
  ]
  const rawData = [
    { label: 'Raw results (JSON)', path: rel(reportsDir, input.resultsPath) },
    ...sources.map((f) => ({
      label: `Source: ${path.basename(f)}`,
      path: rel(reportsDir, path.resolve(input.configDir, f))
    })),
    { label: 'Ledger', path: rel(reportsDir, input.ledgerPath) },
    ...(registry ? [{ label: 'Models registry', path: rel(reportsDir, registry) }] : [])
  ]
  const content = renderReportFile({
    report: input.report,
    current: input.current,
    baseline: input.baseline,
    comparisons: input.comparisons,
    workflow: {
      filesRead: filesRead(input.configFile, input.current),
      phasesMs: {
        ...input.phasesMs,
        reporting: clock() - started + (input.phasesMs.reporting ?? 0)
      }
    },
    rawData,
    analyst,
    logs: await logFindings(input.configDir, sources)
  })
  await writeFileAtomic(reportFile, content)
  await writeFileAtomic(reportCopy, content)
  return { content, reportFile, reportCopy, registry, analyst }
}
