import { JsonReader } from './checks.js'
import { parseJson, type JsonPath } from './json.js'
import type { ImportInput } from './types.js'

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
    const t = text.trimStart()
    if (t[0] !== '{' && t[0] !== '[') return false
    try {
      JSON.parse(text)
      return true
    } catch {
      return false
    }
  }
  return false
}

/** Every record; a top-level array (in a document or on a line) is taken element by element. */
export function* jsonRecords(input: ImportInput): Generator<JsonRecord> {
  if (isJsonLines(input)) {
    for (const { text, line } of input.lines()) {
      if (text.trim() === '') continue
      const json = parseJson(text, input.file, line)
      const reader = new JsonReader(input.file, json)
      yield* spread(json.value, reader, () => line)
    }
    return
  }
  const json = input.json()
  const reader = new JsonReader(input.file, json)
  yield* spread(json.value, reader, () => json.lineOf([]))
}

function* spread(value: unknown, reader: JsonReader, line: () => number): Generator<JsonRecord> {
  if (!Array.isArray(value)) {
    yield { value, reader, path: [], line }
    return
  }
  for (let i = 0; i < value.length; i++)
    yield { value: value[i], reader, path: [i], line: () => reader.json.lineOf([i]) }
}
