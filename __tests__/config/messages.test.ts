import { describe, expect, it } from '@jest/globals'
import { z } from 'zod'
import { describeIssue, editDistance, formatPath, suggestKey } from '../../src/config/messages.js'

function messages(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input, { error: describeIssue })
  if (result.success) throw new Error('accepted')
  return result.error.issues.map((i) => i.message)
}

describe('describeIssue', () => {
  it.each([
    [z.string(), 5, 'must be a string'],
    [z.string(), null, 'must be a string, not empty'],
    [z.object({ a: z.string() }), {}, 'is required'],
    [z.array(z.string()), 'x', 'must be a list'],
    [z.number().int(), 1.5, 'must be an integer'],
    [z.number().min(3), 1, 'must be a number >= 3'],
    [z.number().gt(3), 3, 'must be a number > 3'],
    [z.number().max(3), 4, 'must be a number <= 3'],
    [z.string().min(1), '', 'must not be empty'],
    [z.string().max(2), 'abc', 'must be at most 2 characters'],
    [z.array(z.number()).min(2), [1], 'must list at least 2 items'],
    [z.enum(['core', 'non-critical']), 'x', 'must be one of: core, non-critical'],
    [z.literal('x'), 'y', 'must be x'],
    [z.union([z.string(), z.number()]), true, 'must be a string or a number'],
    [z.union([z.boolean(), z.enum(['low', 'high'])]), 'mid', 'must be true, false, low or high'],
    [z.strictObject({}), { a: 1, b: 2 }, "has unknown keys 'a', 'b'"],
    [z.string().refine(() => false, { message: 'is wrong' }), 'x', 'is wrong']
  ])('words %# plainly', (schema, input, expected) => {
    expect(messages(schema as z.ZodType, input)).toEqual([expected])
  })
})

describe('formatPath', () => {
  it('reads like the YAML it points into', () => {
    expect(formatPath(['benchmarks', 1, 'repetitions'])).toBe('benchmarks[1].repetitions')
    expect(formatPath(['benchmarks', 0, 'metrics', 'wall-time', 'warn'])).toBe(
      'benchmarks[0].metrics.wall-time.warn'
    )
    expect(formatPath(['thresholds', 'metrics', 'tokens/s'])).toBe('thresholds.metrics["tokens/s"]')
  })
})

describe('suggestKey', () => {
  const keys = ['repetitions', 'warmup', 'min-samples', 'timeout', 'prompt-file', 'fail', 'warn']
  it.each([
    ['repetiton', 'repetitions'],
    ['warmpu', 'warmup'],
    ['minSamples', 'min-samples'],
    ['min_samples', 'min-samples'],
    ['promptFile', 'prompt-file'],
    ['fial', 'fail'],
    ['Timeout', 'timeout']
  ])('suggests %s -> %s', (typo, meant) => {
    expect(suggestKey(typo, keys)).toBe(meant)
  })
  it('suggests nothing for a key that is not close to any', () => {
    expect(suggestKey('colour', keys)).toBeUndefined()
    expect(suggestKey('x', keys)).toBeUndefined()
  })
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('fial', 'fail')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
  })
})
