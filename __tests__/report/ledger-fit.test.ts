import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { fittingRows } from '../../src/report/ledger.js'
import { largestFitting } from '../../src/report/tables.js'

describe('fittingRows', () => {
  it('finds what largestFitting finds, for rows of any lengths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 0, maxLength: 300 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 60_000 }),
        (rows, header, limit) => {
          let calls = 0
          const render = (n: number): string => {
            calls++
            return (
              'h'.repeat(header) +
              rows
                .slice(0, n)
                .map((len) => 'r'.repeat(len))
                .join('')
            )
          }
          const expected = largestFitting(rows.length, render, (t) => t.length <= limit)
          calls = 0
          expect(fittingRows(rows.length, render, limit)).toBe(expected)
          // Never more renderings than a bisection: full, empty, then about log2(n) steps.
          expect(calls).toBeLessThanOrEqual(3 + Math.ceil(Math.log2(rows.length + 1)) + 4)
        }
      ),
      { seed: 20261122, numRuns: 300 }
    )
  })
})
