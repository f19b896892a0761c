import type { Benchmark, MetricClass } from '../../results/model.js'
import type { LocatedJson } from './json.js'

export interface Line {
  text: string
  /** 1-based. */
  line: number
}

export interface ByteLine {
  /** Without the `\n` and a trailing `\r`; a view into a buffer that the next line reuses. */
  bytes: Buffer
  /** 1-based. */
  line: number
}

/** Lines as byte ranges of a reused buffer, for formats read a line at a time without copies. */
export interface ByteLineReader {
  /** Moves to the next line; false after the last. */
  next(): boolean
  /** The current line is `bytes[start, end)`, without its `\n` and a trailing `\r`. */
  readonly bytes: Buffer
  readonly start: number
  readonly end: number
  /** 1-based. */
  readonly line: number
  close(): void
}

export interface ImportInput {
  /** Label used in error messages (a path). */
  file: string
  /** The file on disk, when the content is read from one: formats that read a file beside it. */
  path?: string
  /** The first MiB of the content: what detection looks at, so it stays cheap on large files. */
  head: string
  /** Size of the whole content (bytes for a file, characters for a string). */
  size: number
  /** The whole content; formats that can be read line by line use `lines()` instead. */
  text(): string
  /** The content line by line, streamed from a file; a trailing `\r` is removed. */
  lines(): Iterable<Line>
  /**
   * The content line by line as bytes, for a format that leaves most of a long line unread
   * (slim.ts); each line's bytes are only valid until the next is read. Files only: for a string,
   * `lines()` is the way.
   */
  byteLines?(): Iterable<ByteLine>
  /** As `byteLines`, with no view made per line; the caller closes it. Files only. */
  byteReader?(): ByteLineReader
  /** The content as one JSON document, parsed once and shared between detection and parsing. */
  json(): LocatedJson
  /**
   * A large file holding one JSON document, with the array under its root's `key` read record
   * by record (stream.ts); undefined when the content is small or not shaped so, and `json()`
   * is the way to read it.
   */
  streamed?(key: string): StreamedDocument | undefined
}

export interface ImportContext {
  /** Class given to metrics the file does not classify itself. */
  class: MetricClass
}

/** One benchmark tool's output format. Importers never return half-parsed data: they throw. */
export interface Importer {
  readonly name: string
  readonly description: string
  /** True when the content looks like this format (content, not file name). */
  detect(input: ImportInput): boolean
  parse(input: ImportInput, ctx: ImportContext): Benchmark[]
}

/** A record of a JSON document read record by record (stream.ts). */
export interface StreamedRecord {
  index: number
  value: unknown
  /** For importers' readers: naming a line gives the stream up (stream.ts). */
  json: LocatedJson
}

/** Reads a record from its bytes (known-records.ts), or leaves it to be parsed. */
export interface TakeRecord {
  /** Whether it read the record at `start`, which ends before `limit`. */
  take(bytes: Buffer, start: number, limit: number): boolean
  /** After `take`: one past the record, or -1 when it could not tell. */
  readonly end: number
}

export interface StreamedDocument {
  /** The document with the array emptied. */
  rest: LocatedJson
  count: number
  /** The first record, for detection (kept, so reading the records does not parse it twice). */
  first(): StreamedRecord | undefined
  /**
   * Every record in order; throws Unstreamable when one is not valid JSON on its own. With
   * `take`, a record it reads from its bytes (known-records.ts) is not parsed or handed over.
   */
  records(take?: TakeRecord): Generator<StreamedRecord>
}
