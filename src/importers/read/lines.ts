import { closeSync, openSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { UserError } from '../../errors.js'
import { BYTE } from './bytes.js'
import type { ByteLine, ByteLineReader, Line } from './types.js'

const { BOM, BOM_0, BOM_1, BOM_2, CR, NEWLINE } = BYTE

/**
 * The lines of a string or a file. A file is read in chunks, so a 100 MB `go test -bench` log
 * or JSON Lines file is never held whole; a trailing `\r` and a leading byte order mark are
 * dropped.
 */
const CHUNK_BYTES = 1 << 16
/** Byte lines are cut from a larger buffer: vLLM's are megabytes each. */
const LINE_BYTES = 1 << 20

/** A file that cannot be opened or read, said the way a user can act on. */
export function cannotRead(file: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'EISDIR') return new UserError('is a directory; import a file, or a glob', { file })
  return new UserError(
    code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})`,
    { file }
  )
}

export function* splitLines(text: string): Generator<Line> {
  let start = text.charCodeAt(0) === BOM ? 1 : 0
  let line = 1
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    yield { text: trimCr(text.slice(start, end)), line: line++ }
    start = end + 1
  }
}

export function* fileLines(file: string, label: string): Generator<Line> {
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
      if (first && chunk.charCodeAt(0) === BOM) chunk = chunk.slice(1)
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

/** As `fileLines`, undecoded: a view per line, over a buffer the next line reuses. */
export function* fileByteLines(file: string, label: string): Generator<ByteLine> {
  const reader = new FileLineReader(file, label)
  try {
    while (reader.next())
      yield { bytes: reader.bytes.subarray(reader.start, reader.end), line: reader.line }
  } finally {
    reader.close()
  }
}

/**
 * The lines of a file as byte ranges, without a view or an object per line: on a file of short
 * lines those are most of what an import allocates. A line longer than the buffer is measured
 * first and then read into a buffer of its own size, kept for the next long line: memory
 * follows the longest line once, not the pieces it was read in as well.
 */
export class FileLineReader implements ByteLineReader {
  /** The current line is `bytes[start, end)`, without its `\n` and a trailing `\r`. */
  bytes: Buffer
  start = 0
  end = 0
  /** 1-based. */
  line = 0
  private readonly fd: number
  private readonly buf = Buffer.allocUnsafe(LINE_BYTES)
  private long = Buffer.alloc(0)
  /** File offset of buf[0]; bytes [pos, n) of buf are not yet handed out. */
  private base = 0
  private n = 0
  private pos = 0
  private eof = false
  private finished = false
  private closed = false
  private nextLine = 1

  constructor(file: string, label: string) {
    try {
      this.fd = openSync(file, 'r')
    } catch (e) {
      throw cannotRead(label, e)
    }
    this.bytes = this.buf
    try {
      this.fill()
    } catch (e) {
      this.close()
      throw e
    }
    const b = this.buf
    if (b[0] === BOM_0 && b[1] === BOM_1 && b[2] === BOM_2 && this.n >= 3) this.pos = 3
  }

  /** Moves to the next line; false after the last. */
  next(): boolean {
    for (;;) {
      if (this.finished) return false
      const nl = this.buf.indexOf(NEWLINE, this.pos)
      if (nl >= 0 && nl < this.n) {
        this.take(this.buf, this.pos, nl, this.nextLine++)
        this.pos = nl + 1
        return true
      }
      if (this.eof) {
        this.finished = true
        if (this.pos >= this.n) return false
        this.take(this.buf, this.pos, this.n, this.nextLine)
        this.pos = this.n
        return true
      }
      if (this.pos > 0) this.fill()
      else return this.longLine()
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = this.finished = true
    closeSync(this.fd)
  }

  private take(bytes: Buffer, start: number, end: number, line: number): void {
    this.bytes = bytes
    this.start = start
    this.end = end > start && bytes[end - 1] === CR ? end - 1 : end
    this.line = line
  }

  private fill(): void {
    const { buf } = this
    buf.copy(buf, 0, this.pos, this.n)
    this.base += this.pos
    this.n -= this.pos
    this.pos = 0
    while (this.n < buf.length && !this.eof) {
      const k = readSync(this.fd, buf, this.n, buf.length - this.n, this.base + this.n)
      if (k === 0) this.eof = true
      this.n += k
    }
  }

  /** The line fills the buffer: find its end, then read it whole. */
  private longLine(): boolean {
    const { buf, fd } = this
    let length = this.n
    let found = false
    for (;;) {
      const k = readSync(fd, buf, 0, buf.length, this.base + length)
      if (k === 0) break
      const at = buf.subarray(0, k).indexOf(NEWLINE)
      if (at >= 0) {
        length += at
        found = true
        break
      }
      length += k
    }
    // With room to spare: appended runs differ by a few bytes, and each outgrown buffer
    // would stay allocated until a collection, which reading bytes rarely brings about.
    if (this.long.length < length) this.long = Buffer.allocUnsafe(length + (length >> 2))
    let done = 0
    while (done < length) {
      const k = readSync(fd, this.long, done, length - done, this.base + done)
      if (k === 0) break // the file shrank while read
      done += k
    }
    this.take(this.long, 0, done, this.nextLine++)
    if (!found) this.finished = true
    else {
      this.base += length + 1
      this.n = 0
      this.fill()
    }
    return true
  }
}

function trimCr(s: string): string {
  return s.charCodeAt(s.length - 1) === CR ? s.slice(0, -1) : s
}
