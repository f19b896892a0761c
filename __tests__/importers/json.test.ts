import { describe, expect, it } from '@jest/globals'
import { parseJson } from '../../src/importers/read/json.js'

const err = (text: string, firstLine?: number): string => {
  try {
    parseJson(text, 'r.json', firstLine)
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected a parse error')
}

describe('parseJson', () => {
  it('parses like JSON.parse', () => {
    const text = '{"a": [1, 2.5, -3e2, true, false, null, "x\\n\\u00e9"], "b": {}}'
    expect(parseJson(text, 'f').value).toEqual(JSON.parse(text))
  })

  it('knows the line of nested values', () => {
    const text = '[\n  {\n    "name": "a",\n    "values": [\n      1,\n      2\n    ]\n  }\n]'
    const j = parseJson(text, 'f')
    expect(j.lineOf([0, 'name'])).toBe(3)
    expect(j.lineOf([0, 'values', 1])).toBe(6)
    // An unknown path falls back to the nearest existing ancestor.
    expect(j.lineOf([0, 'missing'])).toBe(2)
    expect(j.lineOf([0, 'values', 9])).toBe(4)
  })

  it('finds lines past strings holding brackets, escapes and commas', () => {
    const text = '{"a": "x]}\\"{[,",\n "b": [["]", 1],\n  {"c": "\\\\"}],\n "d": 4}'
    const j = parseJson(text, 'f')
    expect(j.lineOf(['b', 1, 'c'])).toBe(3)
    expect(j.lineOf(['d'])).toBe(4)
  })

  it('locates the last of duplicate keys, the one JSON.parse keeps', () => {
    const j = parseJson('{"a": 1,\n "a": 2}', 'f')
    expect(j.value).toEqual({ a: 2 })
    expect(j.lineOf(['a'])).toBe(2)
  })

  it('offsets lines for a record read from the middle of a JSON Lines file', () => {
    expect(parseJson('{"a": 1}', 'f', 41).lineOf(['a'])).toBe(41)
    expect(err('{"a": NaN}', 7)).toMatch(/^r\.json:7: a is NaN/)
  })

  it('reads the text again for a line only when asked, through reload', () => {
    let reloads = 0
    const text = '{\n"a": 1}'
    const j = parseJson(text, 'f', 1, () => {
      reloads++
      return text
    })
    expect(reloads).toBe(0)
    expect(j.lineOf(['a'])).toBe(2)
    expect(j.lineOf(['a'])).toBe(2)
    expect(reloads).toBe(1)
  })

  it('names the line of a truncated file', () => {
    expect(err('[\n {"name": "a",\n  "value": 1')).toBe(
      'r.json:3: the file ends early (truncated JSON?)'
    )
    expect(err('{"name": "a", "va')).toBe('r.json:1: unterminated string (truncated JSON?)')
  })

  it("refuses Python's NaN and Infinity deliberately, naming where they are", () => {
    expect(err('[{"value":\n NaN}]')).toBe(
      "r.json:2: [0].value is NaN, which JSON does not allow: the tool wrote a missing or invalid measurement (Python's json.dumps writes NaN by default)"
    )
    expect(err('{"v": -Infinity}')).toMatch(/^r\.json:1: v is -Infinity, which JSON does not allow/)
    expect(err('Infinity')).toMatch(/^r\.json:1: the value is Infinity, which JSON does not allow/)
  })

  it('refuses numbers that overflow to Infinity, which JSON.parse accepts', () => {
    expect(err('{"v":\n\n 1e309}')).toBe(
      'r.json:3: v is 1e309, too large to be a measurement (it overflows to Infinity)'
    )
    expect(err('[1,\n [2, -1e400]]')).toBe(
      'r.json:2: [1][1] is -1e400, too large to be a measurement (it overflows to Infinity)'
    )
  })

  it('reports an empty file and trailing garbage', () => {
    expect(err('   \n')).toBe('r.json:1: the file is empty')
    expect(err('{}\n}')).toBe("r.json:2: unexpected '}': unexpected content after the JSON value")
  })

  it('accepts a UTF-8 byte order mark', () => {
    expect(parseJson('\ufeff[1]', 'f').value).toEqual([1])
  })

  it('keeps "__proto__" as a plain key', () => {
    const v = parseJson('{"__proto__": {"x": 1}}', 'f').value as Record<string, unknown>
    expect(Object.keys(v)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
})
