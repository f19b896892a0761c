import { BYTE, FAIL, skipString, skipValue, skipWs } from './bytes.js'

const { CLOSE_OBJ, COLON, COMMA, OPEN_ARR, OPEN_OBJ } = BYTE

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

// Apart from KnownRecords.scan's member loop: that one captures numbers and builds a key meanwhile.
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
