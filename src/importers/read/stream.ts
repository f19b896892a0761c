import { closeSync, openSync, readSync } from 'node:fs'
import { UserError } from '../../errors.js'
import { hasRecords } from './checks.js'
import { parseJson, type LocatedJson } from './json.js'
import { BYTE, FAIL, skipValue, skipWs } from './bytes.js'
import type { ImportInput, StreamedDocument, StreamedRecord } from './types.js'

const {
  BACKSLASH,
  CLOSE_ARR,
  CLOSE_OBJ,
  COLON,
  COMMA,
  CR,
  NEWLINE,
  OPEN_ARR,
  OPEN_OBJ,
  QUOTE,
  SPACE,
  TAB
} = BYTE

/**
 * One large JSON document read a record at a time: the elements of one array under the root
 * object (`benchmarks` in pytest-benchmark, Google Benchmark and perf-gate's own results) are
 * parsed one by one, so memory follows the largest record and what is kept, not the file.
 *
 * A first pass walks the bytes (strings, brackets, commas; no values are built) to find where
 * each element starts and ends. The rest of the document is parsed on its own with the array
 * emptied, and each element is handed to JSON.parse by itself.
 *
 * The streamed path only ever succeeds. Anything it cannot vouch for (a syntax error, a truncated
 * file, a duplicated key, a value an importer refuses) gives it up, and the document is read
 * whole the old way, which words the error exactly as for a small file, with its line. A file
 * that fails costs the old memory; one that imports never does.
 */
export class Unstreamable extends Error {
  constructor() {
    super('the document cannot be read record by record')
  }
}

/**
 * `streamed(doc)` when the input can be streamed, else `whole()`; also `whole()` when the stream
 * gives up part way, so every error a streamed import cannot word itself is worded as before.
 */
export function viaStream<T>(
  input: ImportInput,
  key: string,
  streamed: (doc: StreamedDocument) => T,
  whole: () => T
): T {
  const doc = input.streamed?.(key)
  if (!doc) return whole()
  try {
    return streamed(doc)
  } catch (e) {
    if (e instanceof Unstreamable || e instanceof UserError) return whole()
    throw e
  }
}

/**
 * `hasRecords` (checks.ts) for detection, on the first record alone when the document is
 * streamed; when that record cannot be read on its own, the document is read whole, so a broken
 * file is reported as before.
 */
export function recordsFit(
  input: ImportInput,
  key: string,
  fits: (record: Record<string, unknown>) => boolean
): boolean {
  const doc = input.streamed?.(key)
  if (doc) {
    try {
      const v = doc.first()?.value
      return v !== null && typeof v === 'object' && fits(v as Record<string, unknown>)
    } catch (e) {
      if (!(e instanceof Unstreamable)) throw e
    }
  }
  return hasRecords(input.json().value, key, fits)
}

/** Elements `[first, first + count)`, whose text is the bytes `[start, end)`. */
interface Batch {
  first: number
  count: number
  start: number
  end: number
}

interface Layout {
  /**
   * The elements in batches of neighbours, each parsed with one call. Not one entry per element:
   * Google Benchmark files hold a record per repetition, a million of them in 100 MB.
   */
  batches: Batch[]
  count: number
  /** The array's content, `[open, close)`. */
  open: number
  close: number
  size: number
}

const CHUNK = 1 << 20
/** Small, so what is alive at any moment stays small too (see records.ts on survivors). */
const BATCH = 1 << 14

/** The document in `path` with `key`'s array streamed, or undefined when it cannot be. */
export function streamDocument(
  path: string,
  file: string,
  key: string
): StreamedDocument | undefined {
  const layout = scan(path, key)
  if (!layout) return undefined
  let rest: LocatedJson
  try {
    rest = parseJson(readRest(path, layout), file)
  } catch {
    return undefined
  }
  const window = new Window(path, layout.size)
  // Small records are parsed a batch at a time, as one array: their text and the commas between
  // them are one already. Per-record calls would cost more than the parsing itself.
  const parse = (b: Batch): unknown[] => {
    const text = window.text(b.start, b.end)
    let values: unknown
    try {
      // A large record alone is parsed as it is: bracketing it would copy it.
      values = b.count === 1 ? [parseJson(text, file).value] : parseJson(`[${text}]`, file).value
    } catch {
      throw new Unstreamable()
    }
    if (!Array.isArray(values) || values.length !== b.count) throw new Unstreamable()
    return values
  }
  const record = (index: number, value: unknown): StreamedRecord => ({
    index,
    value,
    json: { value, lineOf: giveUp }
  })
  /** The first batch, once parsed for detection (kept, so reading does not parse it twice). */
  let head: unknown[] | undefined
  return {
    rest,
    count: layout.count,
    first: () => {
      const b = layout.batches[0]
      return b ? record(0, (head ??= parse(b))[0]) : undefined
    },
    *records(take) {
      // With a taker every record is offered to it, the first batch too: a second pass of it
      // (KnownRecords.replay) must meet the records the first met.
      if (take) head = undefined
      for (const b of layout.batches) {
        if (!take) {
          const values = b.first === 0 && head ? head : parse(b)
          // Held only until handed over: the importer keeps what it needs of it.
          head = undefined
          for (let k = 0; k < b.count; k++) yield record(b.first + k, values[k])
          continue
        }
        // The batch's records one by one from its bytes: those the taker reads are done; the
        // batch is parsed (once) only for the others, each handed over in its place, so order
        // is kept. One loop here, not a generator per batch: those were most of the garbage.
        let values: unknown[] | undefined
        let base = window.load(b.start, b.end)
        /** Offset in the batch of the next record. */
        let at = 0
        for (let k = 0; k < b.count; k++) {
          const bytes = window.bytes
          const limit = base + b.end - b.start
          const start = skipWs(bytes, base + at)
          const taken = take.take(bytes, start, limit)
          let end = take.end
          if (end === FAIL) end = skipValue(bytes, start, 1)
          // What the walk cannot follow (deep nesting), JSON.parse is given, as without a taker.
          if (end === FAIL || end > limit) {
            values ??= parse(b)
            for (; k < b.count; k++) yield record(b.first + k, values[k])
            break
          }
          at = end - base
          if (!taken) {
            values ??= parse(b)
            yield record(b.first + k, values[k])
            // Parsing reads through the same window; the batch is found where it is now.
            base = window.load(b.start, b.end)
          }
          const next = skipWs(window.bytes, base + at)
          if (k < b.count - 1 && window.bytes[next] !== COMMA) throw new Unstreamable()
          at = next + 1 - base
        }
      }
    }
  }
}

function giveUp(): never {
  throw new Unstreamable()
}

/** The document outside the array. */
function readRest(path: string, l: Layout): string {
  const head = readRange(path, 0, l.open).toString('utf8')
  const tail = readRange(path, l.close, l.size - l.close).toString('utf8')
  return head + tail
}

/** A byte range of the file; the file is not kept open between calls. */
function readRange(path: string, start: number, length: number, into?: Buffer): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = into ? into.subarray(0, length) : Buffer.allocUnsafe(length)
    let done = 0
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, start + done)
      if (n === 0) throw new Unstreamable() // the file shrank since the walk
      done += n
    }
    return buf
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads records in order through a window of at least a chunk, so thousands of small records
 * (Google Benchmark writes one per repetition) cost a read per chunk, not one each. Records are
 * cut at ASCII bytes, so every slice decodes on its own.
 */
class Window {
  private start = 0
  private buf: Buffer = Buffer.alloc(0)
  private store: Buffer = Buffer.alloc(0)

  constructor(
    private readonly path: string,
    private readonly size: number
  ) {}

  text(start: number, end: number): string {
    const at = this.load(start, end)
    return this.buf.toString('utf8', at, at + end - start)
  }

  /** Loads the file's bytes `[start, end)` into `buf`; returns where they begin in it. */
  load(start: number, end: number): number {
    if (start < this.start || end > this.start + this.buf.length) {
      const length = Math.max(end - start, Math.min(CHUNK, this.size - start))
      // A record larger than a chunk gets a buffer of its own, dropped at the next load.
      if (length > CHUNK) {
        this.start = start
        this.buf = readRange(this.path, start, end - start)
        return 0
      }
      // One buffer for every chunk: a new one each time would wait for a collection to be freed.
      if (this.store.length < CHUNK) this.store = Buffer.allocUnsafe(CHUNK)
      this.start = start
      this.buf = readRange(this.path, start, length, this.store)
    }
    return start - this.start
  }

  get bytes(): Buffer {
    return this.buf
  }
}

/** Bytes that change the walk's state inside a record: quotes and brackets. */
const STRUCTURAL = new Uint8Array(256)
for (const c of [QUOTE, OPEN_OBJ, CLOSE_OBJ, OPEN_ARR, CLOSE_ARR]) STRUCTURAL[c] = 1

/**
 * The byte walk. It tracks only depth, strings and the root's keys; whether each piece is valid
 * JSON is left to JSON.parse on the pieces. `undefined` when the root is not an object holding
 * `key` once, as an array, or the brackets do not balance. Inside strings and records, where
 * nearly all bytes are, tight loops skip to the next byte that matters.
 */
// Not bytes.ts's skipValue: this walk resumes across chunks of a file too large to hold at once.
function scan(path: string, key: string): Layout | undefined {
  const want = Buffer.from(key)
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(CHUNK)
    const l: Layout = { batches: [], count: 0, open: -1, close: -1, size: 0 }
    let batch: Batch | undefined
    let lastEnd = 0
    let depth = 0
    let inString = false
    let escaped = false
    let expectKey = false
    /** While reading a root key: how much of `key` it matched so far, or -1. */
    let keyAt = -1
    let readingKey = false
    /** The root key just read was `key`: its value must be the array. */
    let targetNext = false
    let inArray = false
    let elementHasContent = false
    let rootDone = false
    let offset = 0
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null)
      if (n === 0) break
      for (let i = 0; i < n; i++) {
        let c = buf[i]
        if (inString) {
          if (escaped) {
            escaped = false
            if (readingKey) keyAt = -1
            continue
          }
          if (!readingKey) {
            while (c !== QUOTE && c !== BACKSLASH && ++i < n) c = buf[i]
            if (i === n) break
          }
          if (c === BACKSLASH) {
            escaped = true
            keyAt = -1
          } else if (c !== QUOTE) {
            keyAt = keyAt >= 0 && want[keyAt] === c ? keyAt + 1 : -1
          } else {
            inString = false
            if (readingKey) {
              readingKey = false
              if (keyAt === want.length) {
                if (l.open >= 0) return undefined // JSON.parse keeps the last of duplicates
                targetNext = true
              }
            }
          }
          continue
        }
        if (depth > 2) {
          while (STRUCTURAL[c] === 0 && ++i < n) c = buf[i]
          if (i === n) break
          if (c === QUOTE) inString = true
          else if (c === OPEN_OBJ || c === OPEN_ARR) depth++
          else depth--
          continue
        }
        if (c === SPACE || c === NEWLINE || c === TAB || c === CR) continue
        // Colons are left to JSON.parse, except one where an element should be.
        if (c === COLON && !(inArray && depth === 2)) continue
        if (rootDone) return undefined
        if (inArray && depth === 2) {
          if (c === COMMA || c === CLOSE_ARR) {
            if (elementHasContent) {
              const end = offset + i
              if (batch && end - batch.start <= BATCH) {
                batch.end = end
                batch.count++
              } else {
                const start = l.count === 0 ? l.open : lastEnd + 1
                l.batches.push((batch = { first: l.count, count: 1, start, end }))
              }
              lastEnd = end
              l.count++
            }
            // An empty element, or a trailing comma; `[]` is fine.
            else if (c === COMMA || l.count > 0) return undefined
            if (c === CLOSE_ARR) {
              inArray = false
              l.close = offset + i
              depth--
              continue
            }
            elementHasContent = false
            continue
          }
          elementHasContent = true
        }
        if (depth === 1 && targetNext) {
          if (c !== OPEN_ARR) return undefined
          targetNext = false
          inArray = true
          l.open = offset + i + 1
          elementHasContent = false
          depth++
          continue
        }
        if (c === QUOTE) {
          inString = true
          if (depth === 1 && expectKey) {
            readingKey = true
            keyAt = 0
            expectKey = false
          }
        } else if (c === OPEN_OBJ || c === OPEN_ARR) {
          if (depth === 0 && c !== OPEN_OBJ) return undefined
          depth++
          if (depth === 1) expectKey = true
        } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
          depth--
          if (depth < 0) return undefined
          if (depth === 0) rootDone = true
        } else if (c === COMMA && depth === 1) expectKey = true
        else if (depth === 0) return undefined
      }
      offset += n
    }
    l.size = offset
    if (!rootDone || inString || l.close < 0) return undefined
    return l
  } finally {
    closeSync(fd)
  }
}
