import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import type { CommandBenchmark } from '../config/types.js'
import { UserError, errorMessage } from '../errors.js'
import { isReallyInside } from '../shared/fs.js'
import { plural } from '../shared/text.js'
import { importText, type ImportResult } from '../importers/index.js'
import { mergeFingerprint, type Fingerprint } from '../results/environment.js'
import type { Benchmark, Metric } from '../results/model.js'
import { formatTail, runShell, STDOUT_LIMIT } from './process.js'
import { describeProcesses, type ProcessInfo } from './process-table.js'
import { progressLine, type Reporter } from './progress.js'
import { nestBenchmarks, applyMetricOverrides } from './shape.js'

export const WALL_TIME = 'wall-time'

/** After a batch of measured runs: stop, or how many more to run (adaptive sampling). */
export type Decide = (
  benches: Benchmark[],
  runs: number
) => { stop: boolean; nextRuns: number; reason: string }

/**
 * Runs a `command` benchmark: warm-up runs, then N measured runs. Each run's wall time is a sample;
 * with a `format`, the tool's own metrics are read from its output and their samples pooled
 * across runs. Warm-up samples are kept apart and never gated. With an adaptive plan and a
 * `decide` callback, N is not fixed: `decide` looks after `min` runs and after every batch, and
 * the runs stop once it says the comparison is settled, or at `max`. The settings the tool's output
 * records (Go's GOMAXPROCS) are added to `fingerprint`.
 */
export async function runCommandBenchmark(
  spec: CommandBenchmark,
  reporter: Reporter,
  env: NodeJS.ProcessEnv = process.env,
  decide?: Decide,
  fingerprint: Fingerprint = {}
): Promise<Benchmark[]> {
  const plan = decide ? spec.adaptive : undefined
  let target = plan ? plan.min : spec.repetitions
  const outputFile = resolveOutputFile(spec)
  if (outputFile) await confineOutput(spec, outputFile)
  const wall: { warmup: number[]; samples: number[] } = { warmup: [], samples: [] }
  const tool: ToolSlots = new Map()
  const started = Date.now()
  const ended: ProcessInfo[] = []
  const escaped: ProcessInfo[] = []

  for (let i = 0; i < spec.warmup + target; i++) {
    const warm = i < spec.warmup
    const upTo = plan ? ` (adaptive, up to ${plan.max})` : ''
    const label = warm
      ? `warm-up ${i + 1}/${spec.warmup}`
      : `run ${i - spec.warmup + 1}/${target}${upTo}`
    const visit = await runOnce(spec, label, env, outputFile)
    ;(warm ? wall.warmup : wall.samples).push(visit.wallMs)
    addToolSamples(tool, visit.tool.benchmarks, warm)
    if (visit.tool.fingerprint) mergeFingerprint(fingerprint, visit.tool.fingerprint)
    ended.push(...visit.ended)
    escaped.push(...visit.escaped)
    warnEscaped(spec, label, visit.escaped, reporter)
    const overall = { done: i + 1, total: spec.warmup + target, elapsedMs: Date.now() - started }
    const line = warm
      ? progressLine('warm-up', i + 1, spec.warmup, overall)
      : progressLine('run', i + 1 - spec.warmup, target, overall) + upTo
    reporter.info(`  ${spec.name}: ${line}`)
    const measured = i + 1 - spec.warmup
    if (plan && decide && measured === target && target < plan.max) {
      const look = decide(assemble(spec, wall, tool), measured)
      reporter.info(`  ${spec.name}: after ${measured} runs: ${look.reason}`)
      if (!look.stop && look.nextRuns > 0) target = Math.min(plan.max, measured + look.nextRuns)
    }
  }
  if (ended.length) {
    reporter.info(
      `  ${spec.name}: ended ${plural(ended.length, 'process', 'processes')} the command left running in its process group: ${describeProcesses(ended)}`
    )
  }
  return assemble(spec, wall, tool, leftoverNotes(ended, escaped))
}

/** What the command left behind, for the results: it may have skewed the runs after it. */
function leftoverNotes(ended: ProcessInfo[], escaped: ProcessInfo[]): string[] {
  const notes: string[] = []
  if (ended.length) {
    notes.push(
      `the command left ${plural(ended.length, 'process', 'processes')} running in its process group, ended after each run: ${describeProcesses(ended, 3)}`
    )
  }
  if (escaped.length) {
    notes.push(
      `the command started ${plural(escaped.length, 'process', 'processes')} that left its process group and kept running (setsid or a daemon), not ended by perf-gate: ${describeProcesses(escaped, 3)}`
    )
  }
  return notes
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`
}

type ToolSlots = Map<string, { bench: string; metric: Metric; warmup: number[] }>

/** One run of the command: its wall time and what the tool reported (nothing with format none). */
async function runOnce(
  spec: CommandBenchmark,
  label: string,
  env: NodeJS.ProcessEnv,
  outputFile: string | undefined
): Promise<{
  wallMs: number
  tool: Pick<ImportResult, 'benchmarks' | 'fingerprint'>
  ended: ProcessInfo[]
  escaped: ProcessInfo[]
}> {
  if (outputFile) await rm(outputFile, { force: true })
  let res
  try {
    res = await runShell(spec.run, {
      cwd: spec.cwd,
      env: { ...env, ...spec.env },
      timeoutMs: spec.timeoutSeconds * 1000,
      label: `benchmark '${spec.name}'`,
      keepStdout: spec.format !== 'none' && !outputFile
    })
  } catch (e) {
    throw new UserError(`benchmark '${spec.name}': could not start the command: ${errorMessage(e)}`)
  }
  if (res.timedOut) {
    throw new UserError(
      `benchmark '${spec.name}': ${label} did not finish within ${spec.timeoutSeconds} s and was stopped; raise 'timeout' if that is expected. Last output:\n${formatTail(res.tail)}`
    )
  }
  if (res.code !== 0) {
    const how =
      res.code === null
        ? `was killed by ${res.signal ?? 'a signal'}`
        : `exited with code ${res.code}`
    throw new UserError(
      `benchmark '${spec.name}': the command ${how} on ${label}. Last output:\n${formatTail(res.tail)}`
    )
  }
  if (spec.format !== 'none' && !outputFile && res.stdoutCapped) {
    throw new UserError(
      `benchmark '${spec.name}': the output of ${label} passed the ${mib(STDOUT_LIMIT)} cap on stdout (${mib(res.stdoutBytes)} written), so it cannot be read whole; have the tool write its results to a file and name that file in 'output:'`
    )
  }
  const tool =
    spec.format === 'none'
      ? { benchmarks: [] }
      : await readToolOutput(spec, outputFile, res.stdout, res.tail, label)
  return { wallMs: res.wallMs, tool, ended: res.ended, escaped: res.escaped }
}

function warnEscaped(
  spec: CommandBenchmark,
  label: string,
  escaped: ProcessInfo[],
  reporter: Reporter
): void {
  if (!escaped.length) return
  reporter.warning(
    `benchmark '${spec.name}': ${label} left ${describeProcesses(escaped)} running outside its process group; perf-gate does not end them`
  )
}

function addToolSamples(tool: ToolSlots, parsed: Benchmark[], warm: boolean): void {
  for (const b of parsed) {
    for (const m of b.metrics) {
      const key = `${b.name}\u0000${m.name}`
      let slot = tool.get(key)
      if (!slot) {
        slot = { bench: b.name, metric: { ...m, samples: [] }, warmup: [] }
        tool.set(key, slot)
      }
      if (warm) slot.warmup.push(...m.samples)
      else slot.metric.samples.push(...m.samples)
    }
  }
}

/**
 * One visit of an A/B run: a single run of the command (a fresh process), shaped exactly as a
 * whole benchmark run is, so each visit's samples can be reduced to its centre. `label` names the
 * visit in errors ("pair 3, base tree").
 */
export async function runCommandVisit(
  spec: CommandBenchmark,
  label: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<Benchmark[]> {
  const outputFile = resolveOutputFile(spec)
  if (outputFile) await confineOutput(spec, outputFile)
  const visit = await runOnce(spec, label, env, outputFile)
  const tool: ToolSlots = new Map()
  addToolSamples(tool, visit.tool.benchmarks, false)
  const notes = leftoverNotes(visit.ended, visit.escaped)
  return assemble(spec, { warmup: [], samples: [visit.wallMs] }, tool, notes)
}

function assemble(
  spec: CommandBenchmark,
  wall: { warmup: number[]; samples: number[] },
  tool: ToolSlots,
  notes: string[] = []
): Benchmark[] {
  const source = { kind: 'command' as const, format: spec.format, command: spec.run }
  const wallMetric: Metric = {
    name: WALL_TIME,
    unit: 'ms',
    direction: 'lower',
    class: spec.class,
    samples: [...wall.samples],
    ...(wall.warmup.length ? { warmup: [...wall.warmup] } : {}),
    // A tool that reports its own timings is the better measure; the wrapper's wall time is context.
    ...(spec.format !== 'none' ? { gate: false } : {})
  }
  const withNotes = (b: Benchmark): Benchmark =>
    notes.length ? { ...b, notes: [...(b.notes ?? []), ...notes] } : b
  if (spec.format === 'none') {
    return [
      withNotes(applyMetricOverrides({ name: spec.name, source, metrics: [wallMetric] }, spec))
    ]
  }

  const grouped = new Map<string, Metric[]>()
  for (const slot of tool.values()) {
    if (slot.metric.samples.length === 0) continue
    const metric: Metric = {
      ...slot.metric,
      samples: [...slot.metric.samples],
      ...(slot.warmup.length ? { warmup: [...slot.warmup] } : {})
    }
    grouped.set(slot.bench, [...(grouped.get(slot.bench) ?? []), metric])
  }
  const benches = nestBenchmarks(
    spec.name,
    [...grouped].map(([name, metrics]) => ({ name, source, metrics }))
  )
  // The wall time rides along with the first benchmark, for context, and so do the notes.
  const first = benches[0]
  if (first) first.metrics.push(wallMetric)
  return benches.map((b, i) => {
    const shaped = applyMetricOverrides(b, spec)
    return i === 0 ? withNotes(shaped) : shaped
  })
}

/** `output:` if set, else the file hyperfine was told to write, else stdout. */
export function resolveOutputFile(spec: CommandBenchmark): string | undefined {
  if (spec.output) return path.resolve(spec.cwd, spec.output)
  if (spec.format === 'hyperfine') {
    const m = /--export-json(?:=|\s+)(?:'([^']+)'|"([^"]+)"|(\S+))/.exec(spec.run)
    const file = m?.[1] ?? m?.[2] ?? m?.[3]
    if (file) return path.resolve(spec.cwd, file)
  }
  return undefined
}

/**
 * The file is deleted before each run (so a run that writes none is caught): it must not be a
 * file outside the project, by `..`, an absolute path or a symbolic link.
 */
async function confineOutput(spec: CommandBenchmark, file: string): Promise<void> {
  const root = spec.root ?? spec.cwd
  if (await isReallyInside(root, file)) return
  const named = spec.output !== undefined ? `'output: ${spec.output}'` : `--export-json`
  throw new UserError(
    `benchmark '${spec.name}': ${named} leads to ${file}, outside the config's folder (${root}); perf-gate deletes that file before each run, so it must be inside`
  )
}

async function readToolOutput(
  spec: CommandBenchmark,
  outputFile: string | undefined,
  stdout: string,
  tail: string,
  label: string
): Promise<ImportResult> {
  let text = stdout
  let file = `${spec.name} (stdout of ${label})`
  if (outputFile) {
    try {
      text = await readFile(outputFile, 'utf8')
      file = outputFile
    } catch {
      throw new UserError(
        `benchmark '${spec.name}': the command succeeded on ${label} but wrote no ${path.basename(outputFile)} (expected at ${outputFile}). Last output:\n${formatTail(tail)}`
      )
    }
  }
  try {
    return importText(file, text, spec.format, { class: spec.class })
  } catch (e) {
    throw new UserError(
      `benchmark '${spec.name}': nothing parseable as ${spec.format} in the output of ${label}: ${errorMessage(e)}. Last output:\n${formatTail(tail)}`
    )
  }
}
