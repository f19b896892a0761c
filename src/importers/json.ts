import { UserError } from '../errors.js'

/**
 * A JSON parser that remembers the line of every value, so a bad sample in a 10,000-line result
 * file is reported as `file:1234`, not "somewhere". It also recognises Python's `NaN`, `Infinity`
 * and `-Infinity` (json.dumps writes them by default) so they get a deliberate message instead of
 * "Unexpected token N", and refuses numbers that overflow to Infinity (`1e309` is valid JSON).
 */
export type JsonPath = Array<string | number>

export interface LocatedJson {
  value: unknown
  /** 1-based line where the value at `path` starts; the nearest located ancestor otherwise. */
  lineOf(path: JsonPath): number
}

const PY_LITERALS = ['NaN', 'Infinity', '-Infinity'] as const

export function parseJson(text: string, file: string): LocatedJson {
  const lines = new WeakMap<object, Map<string | number, number>>()
  let pos = 0
  let line = 1
  const len = text.length

  const fail = (message: string, at = line): never => {
    throw new UserError(message, { file, line: at })
  }

  const skipWs = (): void => {
    while (pos < len) {
      const c = text.charCodeAt(pos)
      if (c === 10) {
        line++
        pos++
      } else if (c === 32 || c === 9 || c === 13) pos++
      else break
    }
  }

  const describeAt = (): string => {
    if (pos >= len) return 'the file ends early (truncated JSON?)'
    const snippet = text.slice(pos, pos + 12).split('\n')[0] ?? ''
    return `unexpected '${snippet}'`
  }

  const parseString = (): string => {
    const start = pos + 1
    let i = start
    let simple = true
    while (i < len) {
      const c = text.charCodeAt(i)
      if (c === 34) break
      if (c === 92) {
        simple = false
        i += 2
        continue
      }
      if (c === 10) fail('unterminated string')
      i++
    }
    if (i >= len) fail('unterminated string (truncated JSON?)')
    const raw = text.slice(start, i)
    pos = i + 1
    if (simple) return raw
    try {
      return JSON.parse(`"${raw}"`) as string
    } catch {
      return fail('invalid escape sequence in string')
    }
  }

  const parseNumber = (): number => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400))
    if (!m) return fail(`${describeAt()}: not a valid number`)
    pos += m[0].length
    const v = Number(m[0])
    if (!Number.isFinite(v))
      fail(`number ${m[0]} is too large to be a measurement (it overflows to Infinity)`)
    return v
  }

  const parseValue = (depth: number): unknown => {
    if (depth > 512) fail('JSON nested too deeply')
    skipWs()
    if (pos >= len) fail('the file ends early (truncated JSON?)')
    const c = text[pos]
    if (c === '{') {
      pos++
      const obj: Record<string, unknown> = {}
      const childLines = new Map<string | number, number>()
      lines.set(obj, childLines)
      skipWs()
      if (text[pos] === '}') {
        pos++
        return obj
      }
      for (;;) {
        skipWs()
        if (text[pos] !== '"') fail(`${describeAt()}: expected a "key"`)
        const key = parseString()
        skipWs()
        if (text[pos] !== ':') fail(`${describeAt()}: expected ':' after "${key}"`)
        pos++
        skipWs()
        childLines.set(key, line)
        obj[key] = parseValue(depth + 1)
        skipWs()
        if (text[pos] === ',') {
          pos++
          continue
        }
        if (text[pos] === '}') {
          pos++
          return obj
        }
        fail(`${describeAt()}: expected ',' or '}'`)
      }
    }
    if (c === '[') {
      pos++
      const arr: unknown[] = []
      const childLines = new Map<string | number, number>()
      lines.set(arr, childLines)
      skipWs()
      if (text[pos] === ']') {
        pos++
        return arr
      }
      for (;;) {
        skipWs()
        childLines.set(arr.length, line)
        arr.push(parseValue(depth + 1))
        skipWs()
        if (text[pos] === ',') {
          pos++
          continue
        }
        if (text[pos] === ']') {
          pos++
          return arr
        }
        fail(`${describeAt()}: expected ',' or ']'`)
      }
    }
    if (c === '"') return parseString()
    for (const lit of PY_LITERALS) {
      if (text.startsWith(lit, pos)) {
        fail(
          `${lit} is not a number JSON allows; the tool wrote a missing or invalid measurement (Python's json.dumps writes ${lit} by default)`
        )
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber()
    if (text.startsWith('true', pos)) {
      pos += 4
      return true
    }
    if (text.startsWith('false', pos)) {
      pos += 5
      return false
    }
    if (text.startsWith('null', pos)) {
      pos += 4
      return null
    }
    return fail(`${describeAt()}: not valid JSON`)
  }

  // A UTF-8 BOM is common in files written on Windows.
  if (text.charCodeAt(0) === 0xfeff) pos = 1
  skipWs()
  if (pos >= len) fail('the file is empty', 1)
  const startLine = line
  const value = parseValue(0)
  skipWs()
  if (pos < len) fail(`${describeAt()}: unexpected content after the JSON value`)

  const lineOf = (path: JsonPath): number => {
    let node: unknown = value
    let found = startLine
    for (const key of path) {
      if (node === null || typeof node !== 'object') break
      const at = lines.get(node)?.get(key)
      if (at === undefined) break
      found = at
      node = (node as Record<string | number, unknown>)[key]
    }
    return found
  }
  return { value, lineOf }
}

/** `benchmarks[1].metrics[0].samples[3]` */
export function formatPath(path: JsonPath): string {
  let out = ''
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k
  return out || '(root)'
}
