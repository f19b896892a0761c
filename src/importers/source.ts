import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { UserError } from '../errors.js'
import { parseJson, type LocatedJson } from './json.js'
import { streamDocument, type StreamedDocument } from './stream.js'
import type { ByteLine, ImportInput, Line } from './types.js'

/**
 * Inputs for importers, from a string or from a file. A file is read in chunks for line-based
 * formats, so a 100 MB `go test -bench` log or JSON Lines file is never held whole; only formats
 * that are one JSON document read it at once. Reads are synchronous on purpose: importers stay
 * plain functions, and nothing else runs while a result file is imported.
 */
const HEAD_BYTES = 1 << 20
const CHUNK_BYTES = 1 << 16
/** Byte lines are cut from a larger buffer: vLLM's are megabytes each. */
const LINE_BYTES = 1 << 20
/** Below this a JSON document is parsed whole: it is faster, and its memory does not matter. */
const STREAM_ABOVE = 8 << 20

export function stringInput(file: string, text: string): ImportInput {
  let cached: LocatedJson | undefined
  return {
    file,
    head: text.length > HEAD_BYTES ? text.slice(0, HEAD_BYTES) : text,
    size: text.length,
    text: () => text,
    lines: () => splitLines(text),
    json: () => (cached ??= parseJson(text, file))
  }
}

/**
 * `label` names the file in messages when `file` is not how the user wrote it. `streamAbove` is
 * the size from which a JSON document is streamed (tests lower it to stream small files).
 */
export function fileInput(
  file: string,
  label = file,
  { streamAbove = STREAM_ABOVE }: { streamAbove?: number } = {}
): ImportInput {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    throw cannotRead(label, e)
  }
  let head: string
  let size: number
  try {
    size = fstatSync(fd).size
    const buf = Buffer.alloc(Math.min(size, HEAD_BYTES))
    const n = readSync(fd, buf, 0, buf.length, 0)
    // The decoder drops a multi-byte character cut at the end of the head.
    head = new StringDecoder('utf8').write(buf.subarray(0, n))
  } catch (e) {
    throw cannotRead(label, e)
  } finally {
    closeSync(fd)
  }
  let cached: LocatedJson | undefined
  const docs = new Map<string, StreamedDocument | undefined>()
  const read = (): string => {
    try {
      return readFileSync(file, 'utf8')
    } catch (e) {
      throw cannotRead(label, e)
    }
  }
  return {
    file: label,
    path: file,
    head,
    size,
    text: read,
    lines: () => fileLines(file, label),
    byteLines: () => fileByteLines(file, label),
    // The text is dropped once parsed and read again only to name a line in an error.
    json: () => (cached ??= parseJson(read(), label, 1, read)),
    streamed(key) {
      // Once parsed whole (another format's detection did), the value is there to use.
      if (cached || size < streamAbove || !/^\s*\{/.test(head)) return undefined
      if (!docs.has(key)) docs.set(key, streamDocument(file, label, key))
      return docs.get(key)
    }
  }
}

function cannotRead(file: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'EISDIR') return new UserError('is a directory; import a file, or a glob', { file })
  return new UserError(
    code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})`,
    { file }
  )
}

function* splitLines(text: string): Generator<Line> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    yield { text: trimCr(text.slice(start, end)), line: line++ }
    start = end + 1
  }
}

function* fileLines(file: string, label: string): Generator<Line> {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    throw cannotRead(label, e)
  }
  try {
    const decoder = new StringDecoder('utf8')
    const buf = Buffer.alloc(CHUNK_BYTES)
    let rest = ''
    let line = 1
    let first = true
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      let chunk = n > 0 ? decoder.write(buf.subarray(0, n)) : decoder.end()
      if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
      first = false
      let start = 0
      for (;;) {
        const end = chunk.indexOf('\n', start)
        if (end < 0) break
        // Only a line longer than a chunk is ever concatenated.
        const text = rest ? rest + chunk.slice(start, end) : chunk.slice(start, end)
        rest = ''
        yield { text: trimCr(text), line: line++ }
        start = end + 1
      }
      rest += chunk.slice(start)
      if (n === 0) break
    }
    if (rest) yield { text: trimCr(rest), line }
  } finally {
    closeSync(fd)
  }
}

/**
 * As `fileLines`, undecoded. A line longer than the buffer is measured first and then read into
 * a buffer of its own size, kept for the next long line: memory follows the longest line once,
 * not the pieces it was read in as well.
 */
function* fileByteLines(file: string, label: string): Generator<ByteLine> {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    throw cannotRead(label, e)
  }
  try {
    const buf = Buffer.allocUnsafe(LINE_BYTES)
    let long = Buffer.alloc(0)
    /** File offset of buf[0]; bytes [start, n) of buf are not yet handed out. */
    let base = 0
    let n = 0
    let start = 0
    let eof = false
    let line = 1
    const fill = (): Buffer => {
      buf.copy(buf, 0, start, n)
      base += start
      n -= start
      start = 0
      while (n < buf.length && !eof) {
        const k = readSync(fd, buf, n, buf.length - n, base + n)
        if (k === 0) eof = true
        n += k
      }
      return buf.subarray(0, n)
    }
    let view = fill()
    if (view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf) start = 3
    for (;;) {
      const end = view.indexOf(0x0a, start)
      if (end >= 0) {
        yield { bytes: trimCrBytes(view.subarray(start, end)), line: line++ }
        start = end + 1
      } else if (eof) {
        if (start < n) yield { bytes: trimCrBytes(view.subarray(start, n)), line }
        return
      } else if (start > 0) view = fill()
      else {
        // The line fills the buffer: find its end, then read it whole.
        let length = n
        let found = false
        for (;;) {
          const k = readSync(fd, buf, 0, buf.length, base + length)
          if (k === 0) break
          const at = buf.subarray(0, k).indexOf(0x0a)
          if (at >= 0) {
            length += at
            found = true
            break
          }
          length += k
        }
        // With room to spare: appended runs differ by a few bytes, and each outgrown buffer
        // would stay allocated until a collection, which reading bytes rarely brings about.
        if (long.length < length) long = Buffer.allocUnsafe(length + (length >> 2))
        let done = 0
        while (done < length) {
          const k = readSync(fd, long, done, length - done, base + done)
          if (k === 0) break // the file shrank while read
          done += k
        }
        yield { bytes: trimCrBytes(long.subarray(0, done)), line: line++ }
        if (!found) return
        base += length + 1
        n = 0
        view = fill()
      }
    }
  } finally {
    closeSync(fd)
  }
}

function trimCrBytes(b: Buffer): Buffer {
  return b[b.length - 1] === 13 ? b.subarray(0, -1) : b
}

function trimCr(s: string): string {
  return s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s
}
