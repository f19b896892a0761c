import { describe, expect, it } from '@jest/globals'
import { parseJson } from '../../src/importers/json.js'

const err = (text: string): string => {
  try {
    parseJson(text, 'r.json')
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
    // An unknown path falls back to the nearest known ancestor.
    expect(j.lineOf([0, 'missing'])).toBe(2)
  })

  it('names the line of a truncated file', () => {
    expect(err('[\n {"name": "a",\n  "value": 1')).toMatch(/^r\.json:3: .*truncated JSON/)
  })

  it("refuses Python's NaN and Infinity deliberately", () => {
    expect(err('[{"value":\n NaN}]')).toMatch(/^r\.json:2: NaN is not a number JSON allows/)
    expect(err('{"v": -Infinity}')).toMatch(/^r\.json:1: -Infinity is not a number JSON allows/)
  })

  it('refuses numbers that overflow to Infinity', () => {
    expect(err('{"v":\n\n 1e309}')).toBe(
      'r.json:3: number 1e309 is too large to be a measurement (it overflows to Infinity)'
    )
  })

  it('reports an empty file and trailing garbage', () => {
    expect(err('   \n')).toBe('r.json:1: the file is empty')
    expect(err('{}\n}')).toMatch(/^r\.json:2: unexpected '}'/)
  })

  it('accepts a UTF-8 byte order mark', () => {
    expect(parseJson('\ufeff[1]', 'f').value).toEqual([1])
  })
})
