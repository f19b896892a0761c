import { UserError } from '../errors.js'
import { formatPath, type JsonPath, type LocatedJson } from './json.js'

/**
 * Small readers for importers: each names the file, line and path of a value that is not what a
 * measurement must be, so the user can open the file at the right place.
 */
export class JsonReader {
  constructor(
    readonly file: string,
    readonly json: LocatedJson
  ) {}

  fail(path: JsonPath, message: string): never {
    throw new UserError(`${formatPath(path)} ${message}`, {
      file: this.file,
      line: this.json.lineOf(path)
    })
  }

  object(v: unknown, path: JsonPath): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      this.fail(path, 'must be an object')
    return v as Record<string, unknown>
  }

  array(v: unknown, path: JsonPath): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'must be an array')
    return v
  }

  string(v: unknown, path: JsonPath): string {
    if (typeof v !== 'string') this.fail(path, `must be a string, got ${describe(v)}`)
    return v
  }

  nonEmptyString(v: unknown, path: JsonPath): string {
    const s = this.string(v, path)
    if (s.trim() === '') this.fail(path, 'must not be empty')
    return s
  }

  /** A measurement: a finite number (strings such as "12.5" are refused, not coerced). */
  measurement(v: unknown, path: JsonPath): number {
    if (typeof v !== 'number') this.fail(path, `must be a number, got ${describe(v)}`)
    if (!Number.isFinite(v)) this.fail(path, 'must be a finite number')
    return v
  }

  /** A duration or size: finite and not negative. */
  nonNegative(v: unknown, path: JsonPath): number {
    const n = this.measurement(v, path)
    if (n < 0) this.fail(path, `must not be negative, got ${n}`)
    return n
  }

  samples(v: unknown, path: JsonPath, read: (x: unknown, p: JsonPath) => number): number[] {
    const arr = this.array(v, path)
    if (arr.length === 0) this.fail(path, 'is an empty sample list: the run recorded nothing')
    return arr.map((x, i) => read(x, [...path, i]))
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (typeof v === 'string')
    return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`
  if (Array.isArray(v)) return 'an array'
  return typeof v === 'object' ? 'an object' : String(typeof v)
}

/** Refuses two benchmarks of the same name in one file: the later would silently shadow the earlier. */
export function assertUniqueNames(
  reader: JsonReader,
  names: Array<{ name: string; path: JsonPath }>
): void {
  const seen = new Map<string, JsonPath>()
  for (const { name, path } of names) {
    const first = seen.get(name)
    if (first) {
      reader.fail(
        path,
        `duplicates the benchmark name ${JSON.stringify(name)} first used at line ${reader.json.lineOf(first)}`
      )
    }
    seen.set(name, path)
  }
}
