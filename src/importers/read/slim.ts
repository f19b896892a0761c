/**
 * A JSON Lines record with its bulky parts left out, read from the line's bytes: vLLM's
 * `--save-detailed` puts per-request arrays (a few MB of numbers and generated text) on every
 * line, which no importer reads. Parsing them, or even decoding the line into a string, costs
 * more memory than the rest of the import. The line is walked byte by byte and checked as JSON
 * throughout; each array or object under the root whose key is not kept is replaced by an empty
 * one of the same kind, and the rest is returned as text for the usual parser.
 *
 * Only a line the walk can vouch for is slimmed: anything else (not an object, not valid JSON,
 * a number that may overflow, deep nesting) returns undefined and the caller reads the line
 * whole, as before, so every error keeps its wording and line.
 */
const [QUOTE, BACKSLASH, COMMA, COLON] = [0x22, 0x5c, 0x2c, 0x3a]
const [OPEN_OBJ, CLOSE_OBJ, OPEN_ARR, CLOSE_ARR] = [0x7b, 0x7d, 0x5b, 0x5d]
/** Below json.ts's limit, so a line nested near it is left to the whole read. */
const MAX_DEPTH = 256
export const FAIL = -1

/** Bytes that may follow a backslash in a JSON string. */
const ESCAPES = new Uint8Array(256)
for (const c of '"\\/bfnrtu') ESCAPES[c.charCodeAt(0)] = 1
const HEX = new Uint8Array(256)
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1

export function isBlank(b: Uint8Array, start = 0, end = b.length): boolean {
  return skipWs(b, start) >= end
}

/** The record without the non-kept arrays and objects under its root, or undefined (see above). */
export function slimObject(b: Buffer, keep: (key: string) => boolean): string | undefined {
  let i = skipWs(b, 0)
  if (b[i] !== OPEN_OBJ) return undefined
  i = skipWs(b, i + 1)
  let out = '{'
  if (b[i] === CLOSE_OBJ) i++
  else {
    for (;;) {
      const keyStart = i
      i = skipString(b, i)
      if (i === FAIL) return undefined
      const key = b.toString('utf8', keyStart, i)
      i = skipWs(b, i)
      if (b[i] !== COLON) return undefined
      i = skipWs(b, i + 1)
      const valueStart = i
      i = skipValue(b, i, 1)
      if (i === FAIL) return undefined
      const kind = b[valueStart]
      const bulky = kind === OPEN_ARR || kind === OPEN_OBJ
      out +=
        bulky && !keep(JSON.parse(key) as string)
          ? `${key}:${kind === OPEN_ARR ? '[]' : '{}'}`
          : `${key}:${b.toString('utf8', valueStart, i)}`
      i = skipWs(b, i)
      if (b[i] === CLOSE_OBJ) {
        i++
        break
      }
      if (b[i] !== COMMA) return undefined
      out += ','
      i = skipWs(b, i + 1)
    }
  }
  return skipWs(b, i) === b.length ? `${out}}` : undefined
}

export function skipWs(b: Uint8Array, i: number): number {
  for (let c = b[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++i]);
  return i
}

/** The index after the value at `i`, or FAIL. */
export function skipValue(b: Uint8Array, i: number, depth: number): number {
  const c = b[i]
  if (c === QUOTE) return skipString(b, i)
  if (c === OPEN_ARR || c === OPEN_OBJ) {
    if (depth > MAX_DEPTH) return FAIL
    const object = c === OPEN_OBJ
    const close = object ? CLOSE_OBJ : CLOSE_ARR
    i = skipWs(b, i + 1)
    if (b[i] === close) return i + 1
    for (;;) {
      if (object) {
        i = skipString(b, i)
        if (i === FAIL) return FAIL
        i = skipWs(b, i)
        if (b[i] !== COLON) return FAIL
        i = skipWs(b, i + 1)
      }
      i = skipValue(b, i, depth + 1)
      if (i === FAIL) return FAIL
      i = skipWs(b, i)
      const next = b[i]
      if (next === close) return i + 1
      if (next !== COMMA) return FAIL
      i = skipWs(b, i + 1)
    }
  }
  if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return skipNumber(b, i)
  for (const lit of LITERALS) if (matches(b, i, lit)) return i + lit.length
  return FAIL
}

const LITERALS = ['true', 'false', 'null'].map((s) => Buffer.from(s))

function matches(b: Uint8Array, i: number, lit: Uint8Array): boolean {
  for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit[k]) return false
  return true
}

export function skipString(b: Uint8Array, i: number): number {
  if (b[i] !== QUOTE) return FAIL
  for (i++; ; i++) {
    const c = b[i]
    if (c === undefined || c < 0x20) return FAIL
    if (c === QUOTE) return i + 1
    if (c === BACKSLASH) {
      const e = b[++i]
      if (e === undefined || ESCAPES[e] === 0) return FAIL
      if (e === 0x75) {
        for (let k = 1; k <= 4; k++) if (HEX[b[i + k] ?? 0] === 0) return FAIL
        i += 4
      }
    }
  }
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39

/** The index after the JSON number at `i`, or FAIL (also for one that overflows). */
export function skipNumber(b: Uint8Array, i: number): number {
  const start = i
  if (b[i] === 0x2d) i++
  if (b[i] === 0x30) i++
  else if (isDigit(b[i])) while (isDigit(b[++i]));
  else return FAIL
  if (b[i] === 0x2e) {
    if (!isDigit(b[++i])) return FAIL
    while (isDigit(b[++i]));
  }
  let exponent = false
  if (b[i] === 0x65 || b[i] === 0x45) {
    exponent = true
    i++
    if (b[i] === 0x2b || b[i] === 0x2d) i++
    if (!isDigit(b[i])) return FAIL
    while (isDigit(b[++i]));
  }
  // Only a number that may overflow to Infinity is converted; the whole read reports it.
  if (exponent || i - start > 300) {
    let text = ''
    for (let k = start; k < i; k++) text += String.fromCharCode(b[k] ?? 0)
    if (!Number.isFinite(Number(text))) return FAIL
  }
  return i
}
