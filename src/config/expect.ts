import { Ajv, type ValidateFunction } from 'ajv'
import type { ExpectInput } from './schema.js'

/*
 * Answer checks for `expect:`. Compiled once per benchmark: the loader compiles them to report a
 * bad regex or schema at its line, the runner to score every measured answer.
 */

export type Expect = ExpectInput

/** Whether an answer meets its expectation, and if not, a short why for the notes. */
export type Scorer = (answer: string) => { ok: boolean; why?: string }

// Models wrap JSON in a markdown fence more often than not, even when told not to.
const FENCE = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n?```\s*$/

function jsonOf(answer: string): { value: unknown } | { error: string } {
  const fenced = FENCE.exec(answer)
  const text = (fenced ? fenced[1] : answer)?.trim() ?? ''
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (e) {
    return { error: `not JSON (${e instanceof Error ? e.message : String(e)})` }
  }
}

let ajv: Ajv | undefined

/** Throws an Error whose message says what is wrong with the regex or the schema. */
export function compileExpect(expect: Expect): Scorer {
  if ('contains' in expect) {
    const needle = expect.contains
    return (answer) =>
      answer.includes(needle) ? { ok: true } : { ok: false, why: `does not contain the text` }
  }
  if ('regex' in expect) {
    let re: RegExp
    try {
      re = new RegExp(expect.regex, 'u')
    } catch (e) {
      throw new Error(
        `is not a valid regular expression: ${e instanceof Error ? e.message : String(e)}`
      )
    }
    return (answer) => (re.test(answer) ? { ok: true } : { ok: false, why: 'does not match' })
  }
  ajv ??= new Ajv({ allErrors: false, strict: false })
  let validate: ValidateFunction
  try {
    validate = ajv.compile(expect['json-schema'])
  } catch (e) {
    throw new Error(`is not a valid JSON Schema: ${e instanceof Error ? e.message : String(e)}`)
  }
  return (answer) => {
    const parsed = jsonOf(answer)
    if ('error' in parsed) return { ok: false, why: parsed.error }
    if (validate(parsed.value)) return { ok: true }
    const first = validate.errors?.[0]
    return {
      ok: false,
      why: first ? `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` : 'is invalid'
    }
  }
}

/** What is wrong with an expectation, or null. */
export function expectProblem(expect: Expect): string | null {
  try {
    compileExpect(expect)
    return null
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}
