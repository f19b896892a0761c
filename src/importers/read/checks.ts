import { UserError } from '../../errors.js'
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

  /** Like `measurement`, but absent or null is allowed and gives undefined. */
  optionalMeasurement(v: unknown, path: JsonPath): number | undefined {
    return v === undefined || v === null ? undefined : this.measurement(v, path)
  }

  /** A duration or size: finite and not negative. */
  nonNegative(v: unknown, path: JsonPath): number {
    const n = this.measurement(v, path)
    if (n < 0) this.fail(path, `must not be negative, got ${n}`)
    return n
  }

  /**
   * `samples` of `nonNegative` values. Sample lists are most of a large file, so the common case
   * is one plain loop that hands the list back as it is; a bad value is then found and worded
   * the general way.
   */
  nonNegativeSamples(v: unknown, path: JsonPath): number[] {
    if (Array.isArray(v) && v.length > 0) {
      let ok = true
      for (const x of v) if (!(typeof x === 'number' && x >= 0 && x !== Infinity)) ok = false
      if (ok) return v as number[]
    }
    return this.samples(v, path, (x, p) => this.nonNegative(x, p))
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

/** An error at a line of a text file (line-based formats). */
export function failAt(file: string, line: number, message: string): never {
  throw new UserError(message, { file, line })
}

/**
 * A number as tools print it: `18,149`, `148.70`, `1.5e-3`. Thousands separators are removed;
 * anything that is not a finite, non-negative number is refused with the line.
 */
export function textNumber(
  raw: string,
  file: string,
  line: number,
  name: string,
  unit?: string
): number {
  // parseFloat is twice as fast as Number() and equal on what the pattern lets through.
  const n = TEXT_NUMBER.test(raw)
    ? parseFloat(raw.includes(',') ? raw.replaceAll(',', '') : raw)
    : NaN
  if (n >= 0 && n !== Infinity) return n
  // Built only on failure: this runs for every value of files with millions of lines.
  const what = unit ? `${name} ${unit}` : name
  if (Number.isNaN(n)) failAt(file, line, `${what}: '${raw}' is not a number`)
  if (!Number.isFinite(n))
    failAt(
      file,
      line,
      `${what}: ${raw} is too large to be a measurement (it overflows to Infinity)`
    )
  if (n < 0) failAt(file, line, `${what}: must not be negative, got ${raw}`)
  return n
}

const TEXT_NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/**
 * Names seen in a line-based file, to refuse a second benchmark of the same name (two bench
 * targets that both define `bench_fib`, say): one would silently shadow the other.
 */
export class LineNames {
  private readonly seen = new Map<string, number>()
  constructor(private readonly file: string) {}

  add(name: string, line: number): void {
    const first = this.seen.get(name)
    if (first !== undefined)
      failAt(
        this.file,
        line,
        `duplicates the benchmark name ${JSON.stringify(name)} first used at line ${first}`
      )
    this.seen.set(name, line)
  }
}

/**
 * For `detect`: the value is an object whose `key` is a non-empty array of records that each
 * satisfy `fits`. Several JSON formats are told apart only by the keys their records carry.
 */
export function hasRecords(
  value: unknown,
  key: string,
  fits: (record: Record<string, unknown>) => boolean
): boolean {
  if (value === null || typeof value !== 'object') return false
  const list = (value as Record<string, unknown>)[key]
  return (
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((r) => r !== null && typeof r === 'object' && fits(r as Record<string, unknown>))
  )
}
