import { open } from 'node:fs/promises'
import path from 'node:path'
import { analystSection } from '../analyst/section.js'
import type { PerfGateConfig } from '../config/types.js'
import type { ResultSet } from '../results/model.js'
import { scanLog, type LogFinding } from '../report/observations.js'
import { sweepViews } from '../report/sweep-view.js'
import type {
  AbRun,
  AnalystSection,
  FingerprintDifference,
  GateReport,
  WorkflowFacts
} from '../types/report.js'
import type { BaselineChoice } from './baseline-select.js'
import { trendHistory } from './history.js'
import type { AnalystOptions } from '../analyst/section.js'
import type { BaselineEntry, BaselineStore } from '../baseline/store.js'
import type { Reporter } from '../runners/progress.js'
import type { GateOutcome } from '../stats/types.js'
import type { Acceptance } from '../types/report.js'

/*
 * Phase 6 of the job: the report model (what was compared with what, the trend over the stored
 * baselines, an acceptance), the narrative, and the warnings in the benchmarks' own logs. It reads
 * but never changes the verdict.
 */

export interface Analysis {
  analyst: AnalystSection
  /** Warning and error lines of the imported text outputs. */
  logs: LogFinding[]
  filesRead: WorkflowFacts['filesRead']
}

/** What the analysis reads of the job's options. */
export interface AnalyseOptions {
  store: BaselineStore
  reporter: Reporter
  analyst?: AnalystOptions
  clock?: () => number
  runId?: string
  runUrl?: string
  dashboardUrl?: string
}

/** The verdict as the decide phase left it. */
export interface Decision {
  outcome: GateOutcome
  baselineWritten: BaselineEntry | null
  acceptance?: Acceptance
}

export async function analyse(
  opts: AnalyseOptions,
  config: PerfGateConfig,
  choice: BaselineChoice,
  current: ResultSet,
  decided: Decision,
  fingerprint: FingerprintDifference[],
  now: () => Date,
  ab?: { run: AbRun; base: ResultSet }
): Promise<{ report: GateReport; analysis: Analysis }> {
  const baseline = choice.stored
  const history = await opts.store.history(config.testbed, 12)
  const sweeps = sweepViews(current)
  // In an A/B run the base's arm is the baseline; a stored one only judged the `file` benchmarks.
  const compared = ab
    ? { sha: ab.run.base.sha, createdAt: ab.base.createdAt }
    : baseline
      ? { sha: baseline.results.commit.sha, createdAt: baseline.results.createdAt }
      : null
  const report: GateReport = {
    outcome: decided.outcome,
    testbed: config.testbed,
    current: { sha: current.commit.sha, createdAt: current.createdAt },
    baseline: compared,
    ...(baseline && choice.how
      ? {
          baselineUsed: {
            how: choice.how,
            commit: choice.commit,
            distance: choice.distance,
            walkedFrom: choice.walkedFrom,
            recordedAt: choice.date ?? baseline.results.createdAt,
            ageMs: choice.ageMs,
            testbed: config.testbed,
            ...(choice.reason ? { note: choice.reason } : {})
          }
        }
      : {}),
    ...(!baseline && !ab ? { baselineMissing: choice.reason } : {}),
    ...(fingerprint.length > 0 ? { fingerprint } : {}),
    ...(sweeps.length > 0 ? { sweeps } : {}),
    timestamp: now().toISOString(),
    history: trendHistory(
      history.map((h) => h.results),
      decided.baselineWritten ? null : current
    ),
    ...(opts.runId ? { runId: opts.runId } : {}),
    ...(opts.runUrl ? { runUrl: opts.runUrl } : {}),
    ...(decided.acceptance ? { acceptance: decided.acceptance } : {}),
    ...(ab ? { ab: ab.run } : {}),
    ...(opts.dashboardUrl ? { dashboardUrl: opts.dashboardUrl } : {})
  }
  const analyst = await analystSection(
    { report, current, baseline: ab?.base ?? baseline?.results ?? null },
    opts.analyst,
    opts.clock ? { clock: opts.clock } : {}
  )
  if (analyst.note) opts.reporter.info(`analyst: ${analyst.note}`)
  const sources = sourceFiles(current)
  return {
    report,
    analysis: {
      analyst,
      logs: await logFindings(config.dir, sources),
      filesRead: filesRead(config.file, current)
    }
  }
}

/** The result files this run imported, as its benchmarks name them. */
export function sourceFiles(current: ResultSet): string[] {
  return [...new Set(current.benchmarks.flatMap((b) => (b.source?.file ? [b.source.file] : [])))]
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
