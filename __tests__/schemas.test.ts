import { describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { resultsJsonSchema } from '../src/results/json-schema.js'

// The committed JSON Schema is generated from the zod model, so the two cannot drift.
// Regenerate both schemas with: npm run schemas
const FILE = 'schemas/results.schema.json'

describe('schemas/results.schema.json', () => {
  it('is the JSON Schema generated from the results model', () => {
    const generated = resultsJsonSchema()
    if (process.env.PERF_GATE_WRITE_SCHEMAS === '1')
      writeFileSync(FILE, `${JSON.stringify(generated, null, 2)}\n`)
    expect(JSON.parse(readFileSync(FILE, 'utf8'))).toEqual(generated)
  })

  it('requires raw samples, unit, direction and class for every metric', () => {
    const metric = (resultsJsonSchema() as any).properties.benchmarks.items.properties.metrics.items
    expect(metric.required).toEqual(
      expect.arrayContaining(['name', 'unit', 'direction', 'class', 'samples'])
    )
    expect(metric.properties.samples).toMatchObject({ type: 'array', minItems: 1 })
  })
})
