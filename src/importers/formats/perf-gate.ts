import type { z } from 'zod'
import { UserError } from '../../errors.js'
import {
  Benchmark as BenchmarkSchema,
  type Benchmark,
  type Metric,
  RESULTS_VERSION,
  ResultSet
} from '../../results/model.js'
import { assertUniqueNames, JsonReader } from '../read/checks.js'
import { formatPath, type JsonPath } from '../read/json.js'
import { Unstreamable, viaStream } from '../read/stream.js'
import type { Importer, ImportInput, StreamedDocument } from '../read/types.js'

/** perf-gate's own results document (schemas/results.schema.json). */
export function parseResultSet(input: ImportInput): ResultSet {
  const json = input.json()
  const parsed = ResultSet.safeParse(json.value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path: JsonPath = issue.path.filter((k): k is string | number => typeof k !== 'symbol')
    throw new UserError(`${formatPath(path)} ${describeIssue(issue)}`, {
      file: input.file,
      line: json.lineOf(path)
    })
  }
  const set = parsed.data
  const r: JsonReader = new JsonReader(input.file, json)
  assertUniqueNames(
    r,
    set.benchmarks.map((b, i) => ({ name: b.name, path: ['benchmarks', i, 'name'] }))
  )
  set.benchmarks.forEach((b, i) =>
    assertUniqueNames(
      r,
      b.metrics.map((m, j) => ({ name: m.name, path: ['benchmarks', i, 'metrics', j, 'name'] }))
    )
  )
  return set
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`
    case 'too_small':
      return issue.origin === 'array'
        ? Number(issue.minimum) === 1
          ? 'must not be empty (an empty sample list means the run recorded nothing)'
          : `must have at least ${String(issue.minimum)} entries`
        : `must be at least ${String(issue.minimum)}`
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`
    default:
      return issue.message
  }
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`
}

export const native: Importer = {
  name: 'perf-gate',
  description: "perf-gate's own results document",
  detect(input) {
    if (!/"version"/.test(input.head) || !/"benchmarks"/.test(input.head)) return false
    const doc = input.streamed?.('benchmarks')
    const v = (doc ? doc.rest : input.json()).value as Record<string, unknown> | null
    return (
      v !== null &&
      typeof v === 'object' &&
      v.version === RESULTS_VERSION &&
      Array.isArray(v.benchmarks)
    )
  },
  parse: (input) =>
    viaStream(input, 'benchmarks', streamedBenchmarks, () => parseResultSet(input).benchmarks)
}

const Rest = ResultSet.omit({ benchmarks: true })

/**
 * A large results document, a benchmark at a time. The schema still judges every field; only the
 * sample lists, which are nearly all of the file, are checked here in a plain loop (what the
 * schema's `finiteNumber` array asks) and stand in as one sample while the schema runs.
 */
function streamedBenchmarks(doc: StreamedDocument): Benchmark[] {
  if (doc.count === 0 || !Rest.safeParse(doc.rest.value).success) throw new Unstreamable()
  const names = new Set<string>()
  const out: Benchmark[] = []
  for (const { value } of doc.records()) {
    const b = value as { metrics?: unknown }
    if (b === null || typeof b !== 'object' || !Array.isArray(b.metrics)) throw new Unstreamable()
    const metrics = b.metrics as Array<Partial<Metric> | null>
    const light = metrics.map((m) => {
      if (m === null || typeof m !== 'object') return m
      if (!finiteNumbers(m.samples, 1)) throw new Unstreamable()
      if (m.warmup !== undefined && !finiteNumbers(m.warmup, 0)) throw new Unstreamable()
      return { ...m, samples: [0], ...(m.warmup ? { warmup: [] } : {}) }
    })
    const parsed = BenchmarkSchema.safeParse({ ...b, metrics: light })
    if (!parsed.success || names.has(parsed.data.name)) throw new Unstreamable()
    names.add(parsed.data.name)
    const metricNames = new Set<string>()
    parsed.data.metrics.forEach((m, j) => {
      const raw = metrics[j] as Metric
      if (metricNames.has(m.name)) throw new Unstreamable()
      metricNames.add(m.name)
      m.samples = raw.samples
      if (raw.warmup) m.warmup = raw.warmup
    })
    out.push(parsed.data)
  }
  return out
}

function finiteNumbers(v: unknown, min: number): v is number[] {
  if (!Array.isArray(v) || v.length < min) return false
  for (const x of v) if (typeof x !== 'number' || !Number.isFinite(x)) return false
  return true
}
