import { z } from 'zod'
import { ResultSet } from './model.js'

/** JSON Schema of the results document; `schemas/results.schema.json` is this, committed. */
export function resultsJsonSchema(): Record<string, unknown> {
  return {
    title: 'perf-gate results document',
    ...z.toJSONSchema(ResultSet, { io: 'input', unrepresentable: 'any' })
  }
}
