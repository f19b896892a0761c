import { describe, expect, it } from '@jest/globals'
import {
  HOSTILE,
  ownTags,
  POSITIONS,
  hostileAnalyst,
  hostileReport,
  renderAll,
  violations
} from '../../bench/reliability/injection.js'
import { report } from '../report/helpers.js'

/*
 * The injection section of the reliability suite, kept in the test suite too: it is fast, and it
 * guards every renderer at once against text that would reach a PR unescaped.
 */

const tags = ownTags()

describe('the injection checks', () => {
  it('flag each kind of unescaped output they exist for', () => {
    const fresh = renderAll(report())[0]?.body ?? ''
    const forge = (cell: string) => fresh.replace('| perf |', `| perf | ${cell} |`)
    const found = (body: string) => violations({ kind: 'ledger', body }, tags)
    expect(found(fresh)).toEqual([])
    expect(found(forge('a|b'))).toContainEqual(expect.stringMatching(/^table row with \d cells/))
    expect(found(forge('<img src=x>'))).toContain('HTML tag <img>')
    expect(found(forge('cc @octocat'))).toContainEqual(expect.stringMatching(/^@mention/))
    expect(found(forge('[x](javascript:alert(1))'))).toContain('link to javascript:alert(1')
    expect(found(forge('<!-- gates:end -->'))).toContain('anchor <!-- gates:end --> 2 times')
    expect(found(forge('\u202Eevil'))).toContain('bidi control character')
    expect(found(`${fresh}${'x'.repeat(70_000)}`)).toContainEqual(
      expect.stringMatching(/^comment \d+ > 65536/)
    )
  })
})

describe('hostile text through the ledger, check run and report', () => {
  it.each(POSITIONS)('%s: nothing reaches the output unescaped', (pos) => {
    const bad: string[] = []
    for (const text of HOSTILE) {
      const analyst = pos === 'model output (analyst)' ? hostileAnalyst(text) : null
      for (const r of renderAll(hostileReport(pos, text), analyst)) {
        const v = violations(r, tags)
        if (v.length) bad.push(`${r.kind} ${JSON.stringify(text.slice(0, 30))}: ${v.join('; ')}`)
      }
    }
    expect(bad).toEqual([])
  })
})
