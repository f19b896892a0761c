import { UserError } from '../../errors.js'
import { BYTE } from './bytes.js'

const {
  BACKSLASH,
  BOM,
  CR,
  DOT,
  LOWER_E,
  MINUS,
  NEWLINE,
  NINE,
  PLUS,
  QUOTE,
  SPACE,
  TAB,
  UPPER_E,
  ZERO
} = BYTE

/**
 * JSON with a line for every value, so a bad sample in a 10,000-line result file is reported as
 * `file:1234`, not "somewhere".
 *
 * The value comes from the engine's JSON.parse, which is an order of magnitude faster than any
 * parser written in JavaScript (it matters for 100 MB files). Lines are not recorded while
 * parsing: `lineOf` scans the text again, and only when an importer has something to report,
 * which keeps memory at the size of the value. When JSON.parse refuses the text, or accepted a
 * number that overflowed to Infinity (`1e309` is valid JSON), the scanner below walks it to
 * name the line, the path and the reason: a truncated file, Python's `NaN`/`Infinity`
 * (json.dumps writes them by default), an overflowing number.
 */
export type JsonPath = Array<string | number>

export interface LocatedJson {
  value: unknown
  /** 1-based line where the value at `path` starts; the nearest existing ancestor otherwise. */
  lineOf(path: JsonPath): number
}

/**
 * `firstLine` shifts every line number: a JSON Lines record is parsed on its own but reported
 * at its line in the file. `reload` gives the text back for `lineOf` when the caller chose not to
 * keep it (a file re-read on error instead of held during the whole import).
 */
export function parseJson(
  text: string,
  file: string,
  firstLine = 1,
  reload?: () => string
): LocatedJson {
  const start = text.charCodeAt(0) === BOM ? 1 : 0
  let value: unknown
  try {
    value = JSON.parse(start ? text.slice(start) : text)
  } catch (e) {
    new Scanner(text, file, firstLine).validate()
    // The scanner accepts what JSON.parse refused: not expected, but say what the engine said.
    throw new UserError(`not valid JSON (${(e as Error).message})`, { file, line: firstLine })
  }
  if (hasNonFinite(value)) new Scanner(text, file, firstLine).validate()
  let kept: string | undefined = reload ? undefined : text
  return {
    value,
    lineOf: (path) => new Scanner((kept ??= reload ? reload() : text), file, firstLine).lineOf(path)
  }
}

/** The scanner's nesting limit: deeper than any result file, shallow enough for any stack. */
const MAX_DEPTH = 512

/**
 * JSON.parse turns `1e309` into Infinity without complaint; such a number is never a measurement.
 * Nesting past MAX_DEPTH counts too, so the scanner reports it with its line. Walked with a stack
 * rather than recursion: JSON.parse accepts nesting deep enough to overflow a recursive walk.
 */
function hasNonFinite(root: unknown): boolean {
  if (typeof root === 'number') return !Number.isFinite(root)
  const nodes: object[] = []
  const depths: number[] = []
  if (root !== null && typeof root === 'object') {
    nodes.push(root)
    depths.push(0)
  }
  for (let node = nodes.pop(); node !== undefined; node = nodes.pop()) {
    const depth = depths.pop() ?? 0
    if (depth > MAX_DEPTH) return true
    const items: unknown[] = Array.isArray(node) ? node : Object.values(node)
    for (const x of items) {
      if (typeof x === 'number') {
        if (!Number.isFinite(x)) return true
      } else if (x !== null && typeof x === 'object') {
        nodes.push(x)
        depths.push(depth + 1)
      }
    }
  }
  return false
}

const PY_LITERALS = ['NaN', '-Infinity', 'Infinity'] as const

/** A scanner that builds nothing: it validates with located messages, or seeks a path's line. */
// Not merged with bytes.ts's walkers: it reads decoded text to name a line; they only FAIL.
class Scanner {
  private pos = 0
  private line: number
  private readonly path: JsonPath = []
  /** Seeking runs over text JSON.parse accepted: numbers need no checking, only skipping. */
  private validating = true

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly firstLine: number
  ) {
    this.line = firstLine
    if (text.charCodeAt(0) === BOM) this.pos = 1
  }

  validate(): void {
    this.skipWs()
    if (this.pos >= this.text.length) this.fail('the file is empty', this.firstLine)
    this.skipValue(0)
    this.skipWs()
    if (this.pos < this.text.length) this.unexpected('unexpected content after the JSON value')
  }

  lineOf(target: JsonPath): number {
    this.validating = false
    this.skipWs()
    for (const key of target) {
      const c = this.text[this.pos]
      if (c === '{' && typeof key === 'string') {
        if (!this.seekKey(key)) break
      } else if (c === '[' && typeof key === 'number') {
        if (!this.seekIndex(key)) break
      } else break
    }
    return this.line
  }

  /** Moves to the value of `key` (the last one, as JSON.parse keeps the last duplicate). */
  private seekKey(key: string): boolean {
    const open = { pos: this.pos, line: this.line }
    let found: { pos: number; line: number } | undefined
    this.pos++
    this.skipWs()
    if (this.text[this.pos] !== '}') {
      for (;;) {
        this.skipWs()
        const k = this.readString()
        this.skipWs()
        this.pos++ // ':'
        this.skipWs()
        if (k === key) found = { pos: this.pos, line: this.line }
        this.skipValue(0)
        this.skipWs()
        if (this.text[this.pos++] !== ',') break
      }
    }
    const at = found ?? open
    this.pos = at.pos
    this.line = at.line
    return found !== undefined
  }

  private seekIndex(index: number): boolean {
    const open = { pos: this.pos, line: this.line }
    this.pos++
    this.skipWs()
    if (this.text[this.pos] !== ']') {
      for (let i = 0; ; i++) {
        this.skipWs()
        if (i === index) return true
        this.skipValue(0)
        this.skipWs()
        if (this.text[this.pos++] !== ',') break
      }
    }
    this.pos = open.pos
    this.line = open.line
    return false
  }

  private fail(message: string, line = this.line): never {
    throw new UserError(message, { file: this.file, line })
  }

  private where(): string {
    return this.path.length ? formatPath(this.path) : 'the value'
  }

  private skipWs(): void {
    const t = this.text
    let p = this.pos
    while (p < t.length) {
      const c = t.charCodeAt(p)
      if (c === NEWLINE) this.line++
      else if (c !== SPACE && c !== TAB && c !== CR) break
      p++
    }
    this.pos = p
  }

  /** What was found instead of `expected`; the end of the text means a truncated file. */
  private unexpected(expected: string): never {
    if (this.pos >= this.text.length) this.fail('the file ends early (truncated JSON?)')
    const snippet = this.text.slice(this.pos, this.pos + 12).split('\n')[0] ?? ''
    this.fail(`unexpected '${snippet}': ${expected}`)
  }

  private readString(): string {
    const t = this.text
    if (t[this.pos] !== '"') this.unexpected('expected a "key"')
    const start = this.pos + 1
    let i = start
    let simple = true
    for (;;) {
      if (i >= t.length) this.fail('unterminated string (truncated JSON?)')
      const c = t.charCodeAt(i)
      if (c === QUOTE) break
      if (c === BACKSLASH) {
        simple = false
        i += 2
        continue
      }
      if (c < SPACE) this.fail('a string contains a raw control character or line break')
      i++
    }
    this.pos = i + 1
    const raw = t.slice(start, i)
    if (simple) return raw
    try {
      return JSON.parse(`"${raw}"`) as string
    } catch {
      return this.fail('invalid escape sequence in string')
    }
  }

  private skipNumber(): void {
    if (!this.validating) {
      const t = this.text
      let p = this.pos + 1
      for (
        let c = t.charCodeAt(p);
        (c >= ZERO && c <= NINE) ||
        c === DOT ||
        c === LOWER_E ||
        c === UPPER_E ||
        c === PLUS ||
        c === MINUS;
        c = t.charCodeAt(++p)
      );
      this.pos = p
      return
    }
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
    m.lastIndex = this.pos
    const found = m.exec(this.text)
    if (!found) this.unexpected('not a valid number')
    this.pos += found[0].length
    if (!Number.isFinite(Number(found[0])))
      this.fail(
        `${this.where()} is ${found[0]}, too large to be a measurement (it overflows to Infinity)`
      )
  }

  private skipValue(depth: number): void {
    const t = this.text
    if (depth > MAX_DEPTH) this.fail('JSON nested too deeply')
    this.skipWs()
    if (this.pos >= t.length) this.fail('the file ends early (truncated JSON?)')
    const c = t[this.pos]
    if (c === '{') {
      this.pos++
      this.skipWs()
      if (t[this.pos] === '}') {
        this.pos++
        return
      }
      for (;;) {
        this.skipWs()
        const key = this.readString()
        this.skipWs()
        if (t[this.pos] !== ':') this.unexpected(`expected ':' after "${key}"`)
        this.pos++
        if (this.validating) this.path.push(key)
        this.skipValue(depth + 1)
        if (this.validating) this.path.pop()
        this.skipWs()
        const next = t[this.pos++]
        if (next === ',') continue
        if (next === '}') return
        this.pos--
        this.unexpected("expected ',' or '}'")
      }
    }
    if (c === '[') {
      this.pos++
      this.skipWs()
      if (t[this.pos] === ']') {
        this.pos++
        return
      }
      for (let i = 0; ; i++) {
        if (this.validating) this.path.push(i)
        this.skipValue(depth + 1)
        if (this.validating) this.path.pop()
        this.skipWs()
        const next = t[this.pos++]
        if (next === ',') continue
        if (next === ']') return
        this.pos--
        this.unexpected("expected ',' or ']'")
      }
    }
    if (c === '"') {
      this.readString()
      return
    }
    if ((c >= '0' && c <= '9') || (c === '-' && t[this.pos + 1] !== 'I')) return this.skipNumber()
    for (const lit of PY_LITERALS) {
      if (t.startsWith(lit, this.pos)) {
        this.fail(
          `${this.where()} is ${lit}, which JSON does not allow: the tool wrote a missing or invalid measurement (Python's json.dumps writes ${lit} by default)`
        )
      }
    }
    for (const lit of ['true', 'false', 'null']) {
      if (t.startsWith(lit, this.pos)) {
        this.pos += lit.length
        return
      }
    }
    this.unexpected('not valid JSON')
  }
}

/** `benchmarks[1].metrics[0].samples[3]` */
export function formatPath(path: JsonPath): string {
  let out = ''
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k
  return out || '(root)'
}
