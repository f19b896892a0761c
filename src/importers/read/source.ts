import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { UserError } from '../../errors.js'
import { parseJson, type LocatedJson } from './json.js'
import { streamDocument } from './stream.js'
import { cannotRead, fileByteLines, fileLines, FileLineReader, splitLines } from './lines.js'
import type { ImportInput, StreamedDocument } from './types.js'

/**
 * Inputs for importers, from a string or from a file. A file is read in chunks for line-based
 * formats (lines.ts), so a 100 MB `go test -bench` log or JSON Lines file is never held whole;
 * only formats that are one JSON document read it at once. Reads are synchronous on purpose:
 * importers stay plain functions, and nothing else runs while a result file is imported.
 */
const HEAD_BYTES = 1 << 20
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
    byteReader: () => new FileLineReader(file, label),
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

/**
 * The size and modification time of an input's file, for an importer that reads it twice: a
 * file written to between the passes is refused rather than read half old, half new.
 */
export function fileStamp(input: ImportInput): string | undefined {
  if (!input.path) return undefined
  try {
    const s = statSync(input.path)
    return `${s.size}:${s.mtimeMs}`
  } catch {
    return 'gone'
  }
}

/** The error for a file that `fileStamp` says changed while it was read. */
export function changedWhileRead(file: string): UserError {
  return new UserError('changed while it was read; import it again once it is complete', { file })
}
