/**
 * JSON text as bytes: the byte values the byte-level readers share (slim.ts, known-records.ts,
 * stream.ts, lines.ts; json.ts for the same characters of a decoded string), and walkers that
 * read past a value in a buffer without building it. A walker returns the index after what it
 * read, or FAIL where the bytes are not JSON it can vouch for; it never says why, because its
 * callers then read the text the usual way (json.ts), which words the error with its line.
 */

/**
 * The bytes the readers compare against, one set for all. Each module copies those it uses into
 * constants of its own (`const { QUOTE } = BYTE`): V8 reads an imported or exported binding
 * through its module cell at every use, which made the byte walkers a fifth slower on
 * `npm run bench:import` (llama-bench and vllm) when they used the exported names directly.
 */
export const BYTE = {
  TAB: 0x09,
  NEWLINE: 0x0a,
  CR: 0x0d,
  SPACE: 0x20,
  QUOTE: 0x22,
  BACKSLASH: 0x5c,
  COMMA: 0x2c,
  COLON: 0x3a,
  OPEN_OBJ: 0x7b,
  CLOSE_OBJ: 0x7d,
  OPEN_ARR: 0x5b,
  CLOSE_ARR: 0x5d,
  PLUS: 0x2b,
  MINUS: 0x2d,
  DOT: 0x2e,
  ZERO: 0x30,
  NINE: 0x39,
  LOWER_E: 0x65,
  UPPER_E: 0x45,
  LOWER_U: 0x75,
  /** The byte order mark, as UTF-8 bytes and as the character a decoder gives. */
  BOM_0: 0xef,
  BOM_1: 0xbb,
  BOM_2: 0xbf,
  BOM: 0xfeff
} as const

const { TAB, NEWLINE, CR, SPACE, QUOTE, BACKSLASH, COMMA, COLON } = BYTE
const { OPEN_OBJ, CLOSE_OBJ, OPEN_ARR, CLOSE_ARR } = BYTE
const { PLUS, MINUS, DOT, ZERO, NINE, LOWER_E, UPPER_E, LOWER_U } = BYTE

/** Below json.ts's limit, so a value nested near it is left to the whole read. */
const MAX_DEPTH = 256
export const FAIL = -1
/** Below 2^53, so the digits are one exact integer and Clinger's fast path applies. */
const MAX_DIGITS = 15
const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, k) => 10 ** k)

/** Bytes that may follow a backslash in a JSON string. */
const ESCAPES = new Uint8Array(256)
for (const c of '"\\/bfnrtu') ESCAPES[c.charCodeAt(0)] = 1
const HEX = new Uint8Array(256)
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1

export function isBlank(b: Uint8Array, start = 0, end = b.length): boolean {
  return skipWs(b, start) >= end
}

export function skipWs(b: Uint8Array, i: number): number {
  for (let c = b[i]; c === SPACE || c === NEWLINE || c === CR || c === TAB; c = b[++i]);
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
  if (c === MINUS || isDigit(c)) return skipNumber(b, i)
  for (const lit of LITERALS) if (matches(b, i, lit)) return i + lit.length
  return FAIL
}

const LITERALS = ['true', 'false', 'null'].map((s) => Buffer.from(s))

function matches(b: Uint8Array, i: number, lit: Uint8Array): boolean {
  for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit[k]) return false
  return true
}

/**
 * The index after the string at `i`, or FAIL. Without `escapes`, a string holding one fails: a
 * key compared by its raw bytes (known-records.ts) must not have to be decoded first.
 */
export function skipString(b: Uint8Array, i: number, escapes = true): number {
  if (b[i] !== QUOTE) return FAIL
  for (i++; ; i++) {
    const c = b[i]
    if (c === undefined || c < SPACE) return FAIL
    if (c === QUOTE) return i + 1
    if (c === BACKSLASH) {
      if (!escapes) return FAIL
      const e = b[++i]
      if (e === undefined || ESCAPES[e] === 0) return FAIL
      if (e === LOWER_U) {
        for (let k = 1; k <= 4; k++) if (HEX[b[i + k] ?? 0] === 0) return FAIL
        i += 4
      }
    }
  }
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= ZERO && c <= NINE

/** The index after the JSON number at `i`, or FAIL (also for one that overflows). */
export function skipNumber(b: Uint8Array, i: number): number {
  const start = i
  if (b[i] === MINUS) i++
  if (b[i] === ZERO) i++
  else if (isDigit(b[i])) while (isDigit(b[++i]));
  else return FAIL
  if (b[i] === DOT) {
    if (!isDigit(b[++i])) return FAIL
    while (isDigit(b[++i]));
  }
  let exponent = false
  if (b[i] === LOWER_E || b[i] === UPPER_E) {
    exponent = true
    i++
    if (b[i] === PLUS || b[i] === MINUS) i++
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

/**
 * The value of a JSON number already checked by skipNumber. Up to 15 digits and no exponent, the
 * digits are an exact integer and dividing by an exact power of ten rounds once, correctly: the
 * same double as Number() gives. Anything longer goes through Number().
 */
export function numberAt(b: Uint8Array, start: number, end: number): number {
  let m = 0
  let digits = 0
  let fraction = -1
  for (let i = start; i < end; i++) {
    const c = b[i] ?? 0
    if (c >= ZERO && c <= NINE) {
      m = m * 10 + (c - ZERO)
      digits++
      if (fraction >= 0) fraction++
    } else if (c === DOT) fraction = 0
    else return slowNumber(b, start, end)
  }
  if (digits > MAX_DIGITS) return slowNumber(b, start, end)
  return fraction > 0 ? m / (POW10[fraction] ?? 1) : m
}

function slowNumber(b: Uint8Array, start: number, end: number): number {
  return Number(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1'))
}
