import { JsonReader } from './checks.js'
import { parseJson, type JsonPath, type LocatedJson } from './json.js'
import { isBlank } from './bytes.js'
import { slimObject } from './slim.js'
import type { ByteLine, ImportInput } from './types.js'

/**
 * For tools whose file is either one JSON document or JSON Lines (llama-bench `-o jsonl`, vLLM's
 * `--append-result`, which writes one result object per line). JSON Lines are parsed one line
 * at a time, so a file of many large records never sits in memory whole.
 */
export interface JsonRecord {
  value: unknown
  /** Reports errors at the record's own line (JSON Lines) or anywhere in the document. */
  reader: JsonReader
  /** Where the record sits in its document: `[]`, or `[i]` in a top-level array. */
  path: JsonPath
  /** The record's first line, for messages that compare records (found on demand: a rescan). */
  line(): number
}

/** True when the first non-blank line is a JSON value on its own, i.e. the file is JSON Lines. */
export function isJsonLines(input: ImportInput): boolean {
  for (const { text } of input.lines()) {
    if (text.trim() === '') continue
    return isJsonLine(text)
  }
  return false
}

/** A non-blank line that is a JSON object or array on its own. */
function isJsonLine(text: string): boolean {
  const t = text.trimStart()
  if (t[0] !== '{' && t[0] !== '[') return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * Every record; a top-level array (in a document or on a line) is taken element by element.
 * With `keep`, the arrays and objects under a JSON Lines record's root whose key it refuses are
 * read past and given as empty (slim.ts), for an importer that only reads the rest; only a file
 * is read so (`byteLines`), a string as it is.
 */
export function* jsonRecords(
  input: ImportInput,
  keep?: (key: string) => boolean
): Generator<JsonRecord> {
  if (input.byteLines && (yield* byteRecords(input, input.byteLines(), keep))) return
  if (isJsonLines(input)) {
    for (const { text, line } of input.lines())
      if (text.trim() !== '') yield* jsonLineRecords(input.file, text, line)
    return
  }
  const json = input.json()
  const reader = new JsonReader(input.file, json)
  yield* spread(json.value, reader, () => json.lineOf([]))
}

/**
 * The records of JSON Lines read from bytes, slimmed where `keep` is given and the line allows,
 * else decoded a line at a time. Returns false, having yielded nothing, when the first line says
 * the content is not JSON Lines (as `isJsonLines` decides). Lines decoded one by one, rather than
 * cut from decoded chunks, leave nothing alive from one line to the next: a steady trickle of
 * survivors is what makes V8 grow its young generation, and the memory with it.
 */
function* byteRecords(
  input: ImportInput,
  lines: Iterable<ByteLine>,
  keep?: (key: string) => boolean
): Generator<JsonRecord, boolean> {
  let first = true
  for (const { bytes, line } of lines) {
    if (isBlank(bytes)) continue
    const slim = keep && slimObject(bytes, keep)
    let json: LocatedJson
    if (slim !== undefined) json = parseJson(slim, input.file, line)
    else {
      const text = bytes.toString('utf8')
      if (text.trim() === '') continue
      if (first && !isJsonLine(text)) return false
      json = parseJson(text, input.file, line)
    }
    first = false
    yield* spread(json.value, new JsonReader(input.file, json), () => line)
  }
  return !first
}

/** The records of one JSON Lines line, reported at that line. */
export function* jsonLineRecords(file: string, text: string, line: number): Generator<JsonRecord> {
  const json = parseJson(text, file, line)
  yield* spread(json.value, new JsonReader(file, json), () => line)
}

function* spread(value: unknown, reader: JsonReader, line: () => number): Generator<JsonRecord> {
  if (!Array.isArray(value)) {
    yield { value, reader, path: [], line }
    return
  }
  for (let i = 0; i < value.length; i++)
    yield { value: value[i], reader, path: [i], line: () => reader.json.lineOf([i]) }
}
