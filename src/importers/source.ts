import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { UserError } from '../errors.js'
import { parseJson, type LocatedJson } from './json.js'
import type { ImportInput, Line } from './types.js'

/**
 * Inputs for importers, from a string or from a file. A file is read in chunks for line-based
 * formats, so a 100 MB `go test -bench` log or JSON Lines file is never held whole; only formats
 * that are one JSON document read it at once. Reads are synchronous on purpose: importers stay
 * plain functions, and nothing else runs while a result file is imported.
 */
const HEAD_BYTES = 1 << 20
const CHUNK_BYTES = 1 << 16

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

/** `label` names the file in messages when `file` is not how the user wrote it. */
export function fileInput(file: string, label = file): ImportInput {
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
    // The text is dropped once parsed and read again only to name a line in an error.
    json: () => (cached ??= parseJson(read(), label, 1, read))
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

function trimCr(s: string): string {
  return s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s
}
