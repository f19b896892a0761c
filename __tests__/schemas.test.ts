import { describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { ResultSet } from '../src/results/model.js'

// The committed JSON Schema is generated from the zod model, so the two cannot drift.
// Regenerate with: npm run schemas
const FILE = 'schemas/results.schema.json'

describe('results JSON Schema', () => {
  it('matches the zod model', () => {
    const generated =
      JSON.stringify(
        {
          title: 'perf-gate results document',
          ...z.toJSONSchema(ResultSet, { io: 'input', unrepresentable: 'any' })
        },
        null,
        2
      ) + '\n'
    if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(FILE, generated)
    expect(readFileSync(FILE, 'utf8')).toBe(generated)
  })
})
