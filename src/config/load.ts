import { readFile, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { LineCounter, isScalar, parseDocument, visit } from 'yaml'
import type { Document, YAMLError } from 'yaml'
import type { z } from 'zod'
import { quote, UserError } from '../errors.js'
import { isInside } from '../shared/fs.js'
import type { MetricClass } from '../results/model.js'
import type { Thresholds } from '../stats/types.js'
import { ConfigError, type ConfigProblem } from './errors.js'
import { expectProblem, type Expect } from './expect.js'
import { knownKeysAt } from './keys.js'
import { lineOf } from './locate.js'
import { expandMatrix, matrixProblems } from './matrix.js'
import { targetsForCell } from './targets.js'
import { describeIssue, formatPath, sentence, suggestKey } from './messages.js'
import {
  CONFIG_DEFAULTS,
  ConfigInput,
  percentToFraction,
  type BenchmarkInput,
  type MetricOverrideInput,
  type ThresholdsInput
} from './schema.js'
import { resolveMetricClass, thresholdLevels, type ThresholdSource } from './thresholds.js'
import type {
  BenchmarkCommon,
  BenchmarkSpec,
  CommandBenchmark,
  MetricOverride,
  PerfGateConfig,
  SamplingPlan
} from './types.js'

type Path = readonly PropertyKey[]

/** What every check needs to turn a path into "file:line: message". */
class Problems {
  readonly list: ConfigProblem[] = []
  constructor(
    private readonly doc: Document,
    private readonly counter: LineCounter
  ) {}

  line(path: Path): number {
    return lineOf(this.doc, this.counter, path)
  }

  add(path: Path, message: string): void {
    this.list.push({ line: this.line(path), message })
  }
}

/**
 * Parses and validates the text of a `perf-gate.yml`. `file` labels errors and its folder is the
 * base of relative paths; nothing is read from disk. Throws a ConfigError (a UserError) naming
 * the file and line of the first problem.
 */
export interface LoadOptions {
  /**
   * The run imports result files (the action's `results`, `--results`), or only reads budgets
   * (compare, history): the config need not list benchmarks.
   */
  imported?: boolean
}

export const BENCHMARKS_REQUIRED =
  "benchmarks is required: list what to run, or import result files with the action's results input (CLI: --results)"

export function parseConfig(text: string, file: string, opts: LoadOptions = {}): PerfGateConfig {
  // Measured as UTF-16 units here, bytes in loadConfig: either way a bound on the parse's work.
  if (text.length > MAX_CONFIG_BYTES) throw tooLarge(file, text.length)
  const counter = new LineCounter()
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    // Merge keys let a file share settings between benchmarks through anchors.
    merge: true,
    // Tags like !!binary or !!set would produce Buffers and Sets no key of the config can hold.
    resolveKnownTags: false
  })
  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => yamlProblem(e, doc, counter, text))
    )
  }
  const problems = new Problems(doc, counter)
  if (doc.contents === null) {
    throw new ConfigError(file, [
      { line: 1, message: 'the config is empty: it needs at least a benchmarks list' }
    ])
  }
  let data: unknown
  try {
    data = doc.toJS()
  } catch (e) {
    // Only alias trouble gets here (e.g. an alias bomb); the syntax was checked above.
    throw new ConfigError(file, [
      { line: 1, message: `invalid YAML: ${e instanceof Error ? e.message : String(e)}` }
    ])
  }

  const parsed = ConfigInput.safeParse(data, { error: describeIssue })
  if (!parsed.success) {
    // One problem per key: zod can report a length check on top of a wrong type.
    const seen = new Set<string>()
    for (const issue of parsed.error.issues) {
      const key = issue.code === 'unrecognized_keys' ? '' : JSON.stringify(issue.path.map(String))
      if (key && seen.has(key)) continue
      seen.add(key)
      reportIssue(problems, issue, data)
    }
  }
  checkUniqueNames(problems, data)
  if (parsed.success && parsed.data.benchmarks === undefined && !opts.imported) {
    problems.add([], BENCHMARKS_REQUIRED)
  }
  if (!parsed.success || problems.list.length) throw new ConfigError(file, problems.list)
  checkMatricesAndExpectations(problems, parsed.data)
  if (problems.list.length) throw new ConfigError(file, problems.list)

  const { config, firstOfEntry } = build(parsed.data, file, problems)
  checkThresholdOrder(problems, parsed.data, config, firstOfEntry)
  if (problems.list.length) throw new ConfigError(file, problems.list)
  return config
}

/**
 * A config lists benchmarks and settings: a few kilobytes. Parsing 10 MB of YAML took 12.6 s and
 * 962 MB of memory, so a larger file is refused before it is read.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024

function tooLarge(file: string, size: number): UserError {
  const mb = (size / 1024 / 1024).toFixed(1)
  return new UserError(
    `the config is ${mb} MiB; perf-gate reads configs up to 1 MiB. Keep data out of it: results go in files named by a benchmark's 'path:' or 'output:'`,
    { file }
  )
}

/** Reads and parses a config file; see parseConfig. */
export async function loadConfig(path: string, opts: LoadOptions = {}): Promise<PerfGateConfig> {
  let text: string
  try {
    const { size } = await stat(path)
    if (size > MAX_CONFIG_BYTES) throw tooLarge(path, size)
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (e instanceof UserError) throw e
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new UserError(
        `config file not found (looked for ${resolve(path)}; hint: create one, see README)`,
        { file: path }
      )
    }
    const reason = code === 'EISDIR' ? 'it is a directory' : (code ?? String(e))
    throw new UserError(`cannot read the config file: ${reason}`, { file: path })
  }
  return parseConfig(text, path, opts)
}

function yamlProblem(
  error: YAMLError,
  doc: Document,
  counter: LineCounter,
  text: string
): ConfigProblem {
  let offset = error.pos[0]
  const first = error.message.split('\n')[0] ?? ''
  let message = first.charAt(0).toLowerCase() + first.slice(1)
  if (error.code === 'MISSING_CHAR' && /quote/.test(error.message)) {
    // The parser notices at the end of the file; the string that was left open is the news.
    const open = findNode(doc, (n) => n.range?.[1] === error.pos[0] && n.type !== 'PLAIN')
    if (open?.range) {
      offset = open.range[0]
      message = `${message} (the string starting here is never closed)`
    }
  } else if (error.code === 'DUPLICATE_KEY') {
    const key = findNode(doc, (n) => n.range?.[0] === error.pos[0])
    if (key) message = `duplicate key '${String(key.value)}'`
  }
  // Errors at the very end point one past the last line; the last line is the useful one.
  const lastLine = Math.max(1, text.replace(/\n+$/, '').split('\n').length)
  return {
    line: Math.min(counter.linePos(offset).line, lastLine),
    message: `invalid YAML: ${message}`
  }
}

type ScalarNode = {
  range?: [number, number, number] | null
  type?: string | undefined
  value: unknown
}

function findNode(doc: Document, match: (node: ScalarNode) => boolean): ScalarNode | undefined {
  let found: ScalarNode | undefined
  visit(doc, {
    Scalar(_, node) {
      if (isScalar(node) && match(node)) {
        found = node
        return visit.BREAK
      }
      return undefined
    }
  })
  return found
}

function reportIssue(problems: Problems, issue: z.core.$ZodIssue, data: unknown): void {
  if (issue.code !== 'unrecognized_keys') {
    problems.add(issue.path, sentence(issue.path, issue.message))
    return
  }
  const known = knownKeysAt(ConfigInput, issue.path, data)
  for (const key of issue.keys) {
    let hint = ''
    const suggestion = known && suggestKey(key, known.keys)
    const owners = known?.elsewhere.filter((e) => e.keys.includes(key)).map((e) => e.label)
    // A key another kind takes verbatim says more than a near miss among this kind's keys.
    if (owners?.length) hint = ` (only valid with ${owners.join(' or ')})`
    else if (suggestion) hint = ` (did you mean '${suggestion}'?)`
    // Up to a screenful of keys helps; a longer list would drown the line.
    else if (known && known.keys.length <= 24) hint = ` (known keys: ${known.keys.join(', ')})`
    const what = `unknown key '${key}'${hint}`
    problems.add(
      [...issue.path, key],
      issue.path.length ? `${formatPath(issue.path)} has ${what}` : what
    )
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Runs on the raw data so that a duplicate shows up alongside any other problem.
function checkUniqueNames(problems: Problems, data: unknown): void {
  const list = isRecord(data) ? data.benchmarks : undefined
  if (!Array.isArray(list)) return
  const firstIndex = new Map<string, number>()
  list.forEach((entry: unknown, i) => {
    const name = isRecord(entry) ? entry.name : undefined
    if (typeof name !== 'string') return
    const first = firstIndex.get(name)
    if (first === undefined) {
      firstIndex.set(name, i)
      return
    }
    const firstLine = problems.line(['benchmarks', first])
    problems.add(
      ['benchmarks', i, 'name'],
      `benchmarks[${i}].name '${name}' is already used by benchmarks[${first}] (line ${firstLine})`
    )
  })
}

/** Matrices and answer checks, each problem at the line of the key at fault. */
function checkMatricesAndExpectations(problems: Problems, raw: ConfigInput): void {
  for (const [i, b] of (raw.benchmarks ?? []).entries()) {
    for (const p of matrixProblems(b)) {
      const path = ['benchmarks', i, ...p.path]
      problems.add(path, sentence(path, p.message))
    }
    if (b.kind !== 'ollama') continue
    const check = (expect: Expect | undefined, path: Path): void => {
      const problem = expect ? expectProblem(expect) : null
      if (!problem) return
      const key = Object.keys(expect ?? {})[0] ?? ''
      problems.add([...path, key], sentence([...path, key], problem))
    }
    check(b.expect, ['benchmarks', i, 'expect'])
    b.prompts?.forEach((p, j) => {
      if (typeof p !== 'string') check(p.expect, ['benchmarks', i, 'prompts', j, 'expect'])
    })
  }
}

function partialThresholds(input: ThresholdsInput): Partial<Thresholds> {
  const out: Partial<Thresholds> = {}
  if (input.warn !== undefined) out.warn = percentToFraction(input.warn) ?? 0
  if (input.fail !== undefined) out.fail = percentToFraction(input.fail)
  return out
}

function classThresholds(input: ThresholdsInput | undefined, defaults: Thresholds): Thresholds {
  return { ...defaults, ...partialThresholds(input ?? {}) }
}

function metricOverride(input: MetricOverrideInput): MetricOverride {
  const out: MetricOverride = partialThresholds(input)
  if (input.class !== undefined) out.class = input.class
  if (input.direction !== undefined) out.direction = input.direction
  if (input.gate !== undefined) out.gate = input.gate
  return out
}

/** A benchmark's own metric overrides over the top-level ones, field by field. */
function withGlobalMetrics(
  own: Record<string, MetricOverride>,
  global: ConfigInput['metrics']
): Record<string, MetricOverride> {
  if (!global) return own
  const out = mapValues(global, metricOverride)
  for (const [name, o] of Object.entries(own)) {
    out[name] = { ...(Object.hasOwn(out, name) ? out[name] : {}), ...o }
  }
  return out
}

function mapValues<T, U>(record: Record<string, T> | undefined, f: (v: T) => U): Record<string, U> {
  // fromEntries defines own properties, so a key like "__proto__" stays an ordinary key.
  return Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, f(v)]))
}

function build(
  raw: ConfigInput,
  file: string,
  problems: Problems
): { config: PerfGateConfig; firstOfEntry: BenchmarkSpec[] } {
  const dir = resolve(dirname(file))
  const repetitions = raw.repetitions ?? CONFIG_DEFAULTS.repetitions
  const warmup = raw.warmup ?? CONFIG_DEFAULTS.warmup
  const timeoutSeconds = raw.timeout ?? CONFIG_DEFAULTS.timeoutSeconds
  const minSamples = raw['min-samples'] ?? CONFIG_DEFAULTS.minSamples
  const planAt = (plan: SamplingPlan | undefined, path: Path): SamplingPlan | undefined => {
    if (!plan) return undefined
    if (plan.max < plan.min)
      problems.add(
        [...path, 'max'],
        sentence([...path, 'max'], `must be >= adaptive.min (${plan.min})`)
      )
    // The first look needs a finite interval, which needs min-samples runs per arm.
    if (plan.min < minSamples)
      problems.add(
        [...path, 'min'],
        sentence([...path, 'min'], `must be >= min-samples (${minSamples})`)
      )
    return plan
  }
  const topPlan = planAt(raw.adaptive, ['adaptive'])
  const benchmarks: BenchmarkSpec[] = []
  const firstOfEntry: BenchmarkSpec[] = []
  const skippedCells: { name: string; reason: string }[] = []
  const entryOf = new Map<string, number>()
  for (const [i, b] of (raw.benchmarks ?? []).entries()) {
    const line = problems.line(['benchmarks', i])
    const plan =
      b.kind === 'command'
        ? (planAt(b.adaptive, ['benchmarks', i, 'adaptive']) ?? topPlan)
        : undefined
    const expansion = expandMatrix(b)
    skippedCells.push(...expansion.skipped)
    for (const cell of expansion.cells) {
      const isCell = cell.name !== b.name
      const common: BenchmarkCommon = {
        name: cell.name,
        line,
        class: b.class ?? 'non-critical',
        repetitions: ('repetitions' in b ? b.repetitions : undefined) ?? repetitions,
        warmup: ('warmup' in b ? b.warmup : undefined) ?? warmup,
        metrics: withGlobalMetrics(mapValues(b.metrics, metricOverride), raw.metrics)
      }
      if (b.thresholds) common.thresholds = partialThresholds(b.thresholds)
      if (b.build !== undefined) common.build = b.build
      if (b.targets) {
        const targets = targetsForCell(b.targets, cell.axes)
        if (targets.length) common.targets = targets
      }
      if (isCell) {
        common.matrix = {
          entry: b.name,
          axes: cell.axes,
          ...(expansion.hosts ? { hosts: expansion.hosts } : {})
        }
      }
      const spec = buildBenchmark(cell.entry, common, dir, timeoutSeconds)
      if (spec.kind === 'command' && plan) spec.adaptive = plan
      if (spec.kind === 'command') checkOutputInside(problems, spec, dir, i)
      const taken = entryOf.get(spec.name)
      if (taken !== undefined && taken !== i) {
        problems.add(
          ['benchmarks', i, 'name'],
          `benchmarks[${i}] produces the benchmark '${spec.name}', which benchmarks[${taken}] (line ${problems.line(['benchmarks', taken])}) produces too`
        )
      }
      entryOf.set(spec.name, i)
      benchmarks.push(spec)
      firstOfEntry[i] ??= spec
    }
  }
  const config: PerfGateConfig = {
    file,
    dir,
    testbed: raw.testbed ?? CONFIG_DEFAULTS.testbed,
    repetitions,
    warmup,
    minSamples,
    timeoutSeconds,
    ab: raw.ab ?? false,
    abOrder: raw['ab-order'] ?? 'balanced',
    ...(raw.build !== undefined ? { build: raw.build } : {}),
    runnerDrift:
      raw['runner-drift'] === undefined
        ? CONFIG_DEFAULTS.runnerDrift
        : (percentToFraction(raw['runner-drift']) ?? CONFIG_DEFAULTS.runnerDrift),
    ...(raw['from-zero'] ? { fromZero: raw['from-zero'] } : {}),
    ...(raw.metrics ? { metrics: mapValues(raw.metrics, metricOverride) } : {}),
    thresholds: {
      core: classThresholds(raw.thresholds?.core, CONFIG_DEFAULTS.thresholds.core),
      nonCritical: classThresholds(
        raw.thresholds?.['non-critical'],
        CONFIG_DEFAULTS.thresholds.nonCritical
      ),
      metrics: mapValues(raw.thresholds?.metrics, partialThresholds)
    },
    benchmarks,
    ...(raw.comparisons ? { comparisons: raw.comparisons } : {}),
    ...(raw['matrix-seed'] !== undefined ? { matrixSeed: raw['matrix-seed'] } : {}),
    ...(skippedCells.length ? { skippedCells } : {})
  }
  return { config, firstOfEntry }
}

/** perf-gate deletes a command's output file before each run: it must not be outside the project. */
function checkOutputInside(
  problems: Problems,
  spec: CommandBenchmark,
  dir: string,
  index: number
): void {
  if (spec.output === undefined) return
  const target = resolve(spec.cwd, spec.output)
  if (isInside(dir, target)) return
  const at = ['benchmarks', index, 'output']
  problems.add(
    at,
    sentence(
      at,
      `must stay inside the config's folder (${dir}), where perf-gate may delete and read it; ${quote(spec.output)} is ${target}`
    )
  )
}

function buildBenchmark(
  b: BenchmarkInput,
  common: BenchmarkCommon,
  dir: string,
  timeoutSeconds: number
): BenchmarkSpec {
  switch (b.kind) {
    case 'command':
      return {
        kind: 'command',
        ...common,
        run: b.run,
        format: b.format ?? 'none',
        ...(b.output !== undefined && { output: b.output }),
        cwd: resolve(dir, b.cwd ?? '.'),
        root: dir,
        env: mapValues(b.env, String),
        timeoutSeconds: b.timeout ?? timeoutSeconds
      }
    case 'ollama': {
      const options: Record<string, number | boolean | string> = {}
      for (const [key, value] of Object.entries(b.options ?? {})) {
        if (value !== undefined) options[key] = value
      }
      const promptExpects = b.prompts?.map((p) => (typeof p === 'string' ? undefined : p.expect))
      const slo = b.slo
      return {
        kind: 'ollama',
        ...common,
        ...(b.host !== undefined && { host: b.host }),
        // The schema requires a model unless matrix.model lists them, and every cell has one.
        model: b.model ?? '',
        prompts: b.prompts
          ? b.prompts.map((p) => (typeof p === 'string' ? p : p.text))
          : b.prompt !== undefined
            ? [b.prompt]
            : [],
        ...(promptExpects?.some((e) => e !== undefined) && { promptExpects }),
        ...(b.expect !== undefined && { expect: b.expect }),
        ...(b.concurrency !== undefined && { concurrency: b.concurrency }),
        ...(b.depth !== undefined && { depth: b.depth }),
        ...(slo && {
          slo: {
            ...(slo.ttft_ms !== undefined && { ttftMs: slo.ttft_ms }),
            ...(slo.tpot_ms !== undefined && { tpotMs: slo.tpot_ms }),
            ...(slo.e2e_ms !== undefined && { e2eMs: slo.e2e_ms }),
            attainment:
              slo.attainment !== undefined ? (percentToFraction(slo.attainment) ?? 0.95) : 0.95
          }
        }),
        ...(b['prompt-file'] !== undefined && { promptFile: resolve(dir, b['prompt-file']) }),
        ...(b['keep-alive'] !== undefined && { keepAlive: b['keep-alive'] }),
        options,
        ...(b.api !== undefined && { api: b.api }),
        ...(b.timeout !== undefined && { timeoutSeconds: b.timeout }),
        ...(b['stall-timeout'] !== undefined && { stallTimeoutSeconds: b['stall-timeout'] })
      }
    }
    case 'file':
      return { kind: 'file', ...common, path: b.path, format: b.format ?? 'auto' }
  }
}

const CLASS_KEY: Record<MetricClass, 'core' | 'non-critical'> = {
  core: 'core',
  'non-critical': 'non-critical'
}

interface Budget {
  value: number | null
  /** Path of the mapping that set it; the key is appended when naming it. */
  at: Path
  /** Rank of its level, 0 = most specific. */
  rank: number
  isDefault: boolean
}

function percentText(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(10))}%`
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((seg, i) => seg === b[i])
}

/**
 * warn > fail would make a regression fail before it warns. Checked for every mapping that sets
 * both, and for every pair a benchmark actually inherits, since warn and fail resolve
 * independently and can come from different levels.
 */
function checkThresholdOrder(
  problems: Problems,
  raw: ConfigInput,
  config: PerfGateConfig,
  firstOfEntry: BenchmarkSpec[]
): void {
  const complain = (warn: Budget, fail: Budget, forBenchmark?: string): void => {
    if (fail.value === null || warn.value === null || warn.value <= fail.value) return
    const name = (b: Budget, key: 'warn' | 'fail', other: Budget): string => {
      const label = samePath(b.at, other.at) ? key : formatPath([...b.at, key])
      return `${label} (${percentText(b.value ?? 0)}${b.isDefault ? ', the default' : ''})`
    }
    // Blame the value the user wrote, and of two, the more specific one.
    const warnIsCulprit =
      warn.isDefault === fail.isDefault ? warn.rank <= fail.rank : fail.isDefault
    const context =
      samePath(warn.at, fail.at) || !forBenchmark ? '' : ` for benchmark '${forBenchmark}'`
    if (warnIsCulprit) {
      problems.add(
        [...warn.at, 'warn'],
        `${formatPath([...warn.at, 'warn'])} (${percentText(warn.value)}) must be <= ${name(fail, 'fail', warn)}${context}`
      )
    } else {
      problems.add(
        [...fail.at, 'fail'],
        `${formatPath([...fail.at, 'fail'])} (${percentText(fail.value)}) must be >= ${name(warn, 'warn', fail)}${context}`
      )
    }
  }

  const single = (at: Path, t: Partial<Thresholds> | undefined): void => {
    if (t?.warn === undefined || t.fail === undefined) return
    complain(
      { value: t.warn, at, rank: 0, isDefault: false },
      { value: t.fail, at, rank: 0, isDefault: false }
    )
  }
  for (const cls of ['core', 'non-critical'] as const) {
    const resolved = cls === 'core' ? config.thresholds.core : config.thresholds.nonCritical
    const given = raw.thresholds?.[cls]
    complain(
      {
        value: resolved.warn,
        at: ['thresholds', cls],
        rank: 0,
        isDefault: given?.warn === undefined
      },
      {
        value: resolved.fail,
        at: ['thresholds', cls],
        rank: 0,
        isDefault: given?.fail === undefined
      }
    )
  }
  for (const [m, t] of Object.entries(config.thresholds.metrics))
    single(['thresholds', 'metrics', m], t)

  // Every cell of a matrix entry has the entry's budgets: one check per entry, at its own lines.
  firstOfEntry.forEach((b, i) => {
    single(['benchmarks', i, 'thresholds'], b.thresholds)
    for (const [m, t] of Object.entries(b.metrics)) single(['benchmarks', i, 'metrics', m], t)
    const metrics = new Set<string | undefined>([
      undefined,
      ...Object.keys(config.thresholds.metrics),
      ...Object.keys(b.metrics)
    ])
    for (const metric of metrics) {
      const cls = metric === undefined ? b.class : resolveMetricClass(b, metric, b.class)
      const at: Record<ThresholdSource, Path> = {
        'benchmark-metric': ['benchmarks', i, 'metrics', metric ?? ''],
        benchmark: ['benchmarks', i, 'thresholds'],
        metric: ['thresholds', 'metrics', metric ?? ''],
        class: ['thresholds', CLASS_KEY[cls]]
      }
      let warn: Budget | undefined
      let fail: Budget | undefined
      thresholdLevels(config, b, metric, cls).forEach(({ source, values }, rank) => {
        const isDefault = (key: 'warn' | 'fail'): boolean =>
          source === 'class' && raw.thresholds?.[CLASS_KEY[cls]]?.[key] === undefined
        if (!warn && values?.warn !== undefined) {
          warn = { value: values.warn, at: at[source], rank, isDefault: isDefault('warn') }
        }
        if (!fail && values?.fail !== undefined) {
          fail = { value: values.fail, at: at[source], rank, isDefault: isDefault('fail') }
        }
      })
      if (warn && fail) complain(warn, fail, b.matrix?.entry ?? b.name)
    }
  })
}
