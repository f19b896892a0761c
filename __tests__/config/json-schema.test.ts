import { describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { configJsonSchema } from '../../src/config/json-schema.js'

const FILE = fileURLToPath(new URL('../../schemas/config.schema.json', import.meta.url))

describe('schemas/config.schema.json', () => {
  it('is the JSON Schema generated from the config schema', () => {
    const generated = configJsonSchema()
    // Regenerate after changing src/config/schema.ts: npm run schemas
    if (process.env.PERF_GATE_WRITE_SCHEMAS === '1') {
      writeFileSync(FILE, `${JSON.stringify(generated, null, 2)}\n`)
    }
    expect(JSON.parse(readFileSync(FILE, 'utf8'))).toEqual(generated)
  })

  it('describes the keys editors should offer', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, unknown>
      required: string[]
      additionalProperties: boolean
    }
    expect(Object.keys(schema.properties)).toEqual([
      'testbed',
      'repetitions',
      'warmup',
      'adaptive',
      'ab',
      'ab-order',
      'build',
      'min-samples',
      'timeout',
      'runner-drift',
      'from-zero',
      'metrics',
      'thresholds',
      'matrix-seed',
      'benchmarks',
      'comparisons'
    ])
    // benchmarks may be left out when result files are imported (zero-config imports); the loader
    // requires it otherwise, with a line saying so.
    expect(schema.required).toBeUndefined()
    expect(schema.additionalProperties).toBe(false)
  })
})
