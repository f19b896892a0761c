import type { z } from 'zod'

/**
 * Wording for validation problems. Zod's defaults ("Invalid input: expected number, received
 * string") speak about JavaScript; these speak about the YAML the user wrote, and complete a
 * sentence that starts with the key's path: "benchmarks[1].repetitions must be an integer >= 1".
 */

type Issue = z.core.$ZodRawIssue

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
  tuple: 'a list',
  null: 'empty'
}

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? `a ${expected}`
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export function oneOf(values: readonly unknown[]): string {
  return values.length === 1
    ? `must be ${show(values[0])}`
    : `must be one of: ${values.map(show).join(', ')}`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function bound(
  kind: 'min' | 'max',
  origin: string,
  limit: number | bigint,
  inclusive: boolean
): string {
  const n = Number(limit)
  switch (origin) {
    case 'string':
      if (kind === 'min') return n === 1 ? 'must not be empty' : `must be at least ${n} characters`
      return `must be at most ${n} characters`
    case 'array':
    case 'set':
      if (kind === 'min') return n === 1 ? 'must not be empty' : `must list at least ${n} items`
      return `must list at most ${n} items`
    default: {
      const op = kind === 'min' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<'
      return `must be ${origin === 'int' ? 'an integer' : 'a number'} ${op} ${n}`
    }
  }
}

/** For a union that matched nothing: the closest branch's complaint, else the accepted shapes. */
function unionMessage(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const near = branches.find((issues) =>
    issues.some(
      (i) => !(i.code === 'invalid_type' || i.code === 'invalid_value') || i.path.length > 0
    )
  )
  const first = near?.[0]
  if (first) return first.message
  const kinds: string[] = []
  for (const issues of branches) {
    for (const i of issues) {
      if (i.code === 'invalid_type' && i.expected === 'boolean') kinds.push('true', 'false')
      else if (i.code === 'invalid_type') kinds.push(typeName(i.expected))
      else if (i.code === 'invalid_value') kinds.push(...i.values.map(show))
    }
  }
  const unique = [...new Set(kinds)]
  if (unique.length === 0) return 'is not valid here'
  const last = unique.pop() as string
  return `must be ${unique.length ? `${unique.join(', ')} or ${last}` : last}`
}

/** A zod error map: every issue gets a message in the config's own terms. */
export function describeIssue(issue: Issue): string {
  const input = issue.input
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required'
      if (input === null && issue.expected !== 'null')
        return `must be ${typeName(issue.expected)}, not empty`
      return `must be ${typeName(issue.expected)}`
    case 'too_small':
      return bound('min', issue.origin, issue.minimum, issue.inclusive ?? true)
    case 'too_big':
      return bound('max', issue.origin, issue.maximum, issue.inclusive ?? true)
    case 'invalid_value':
      return oneOf(issue.values)
    case 'invalid_format':
      return issue.format === 'regex'
        ? 'is not in the expected form'
        : `must be a valid ${issue.format}`
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`
    case 'unrecognized_keys':
      // The loader reports each key on its own line with a suggestion; this is the fallback.
      return `has unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
    case 'invalid_union':
      if (issue.discriminator !== undefined && 'options' in issue && Array.isArray(issue.options)) {
        const given = isObject(input) ? input[issue.discriminator] : undefined
        return given === undefined
          ? `is required (${oneOf(issue.options).replace(/^must be /, '')})`
          : oneOf(issue.options)
      }
      return unionMessage(issue.errors)
    case 'invalid_key':
      return 'has an invalid key'
    case 'invalid_element':
      return 'has an invalid element'
    case 'custom':
      return issue.message ?? 'is not valid'
  }
}

/** `benchmarks[1].metrics.wall-time.warn`; keys that would read ambiguously get brackets. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else {
      const key = String(seg)
      if (/^[A-Za-z_][\w-]*$/.test(key)) out += out ? `.${key}` : key
      else out += `[${JSON.stringify(key)}]`
    }
  }
  return out
}

/** Completes a problem sentence with its subject, or leaves it alone at the top level. */
export function sentence(path: readonly PropertyKey[], predicate: string): string {
  return path.length ? `${formatPath(path)} ${predicate}` : `the config ${predicate}`
}

/** Edits between two strings, a swap of neighbours counting as one: "fial" is one from "fail". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity
  for (let i = 1; i <= a.length; i++) {
    const row = d[i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1)
      }
    }
  }
  return at(a.length, b.length)
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '')
}

/** The known key the user most likely meant, if any is close enough to be a typo. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const exact = known.find((k) => normalize(k) === normalize(unknown))
  if (exact) return exact
  let best: string | undefined
  let bestDistance = Infinity
  for (const k of known) {
    const d = editDistance(normalize(unknown), normalize(k))
    if (d < bestDistance) {
      best = k
      bestDistance = d
    }
  }
  const allowed = Math.min(3, Math.max(1, Math.floor(unknown.length / 3)))
  return bestDistance <= allowed ? best : undefined
}
