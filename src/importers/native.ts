import type { z } from 'zod'
import { UserError } from '../errors.js'
import { type Benchmark, RESULTS_VERSION, ResultSet } from '../results/model.js'
import { assertUniqueNames, JsonReader } from './checks.js'
import { formatPath, type JsonPath } from './json.js'
import type { Importer, ImportInput } from './types.js'

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
    const v = input.json().value as Record<string, unknown> | null
    return (
      v !== null &&
      typeof v === 'object' &&
      v.version === RESULTS_VERSION &&
      Array.isArray(v.benchmarks)
    )
  },
  parse(input): Benchmark[] {
    return parseResultSet(input).benchmarks
  }
}
