import { describe, expect, it } from '@jest/globals'
import { metricChartUrl } from '../../src/report/dashboard-link.js'
import { DETAILS_END, DETAILS_START, renderLedger } from '../../src/report/ledger.js'
import { renderReportFile } from '../../src/report/report-file.js'
import { comparison, report } from './helpers.js'
import { goldenInput } from './golden-fixture.js'

/*
 * With `dashboard-url` set, the ledger's details and the report link each metric to its chart:
 * the hash the page reads (tb, m), and nothing a hostile name could turn into another link.
 */

const BASE = 'https://acme.github.io/app/'
const HOSTILE = 'p99](javascript:alert(1)) <b>x</b> & [y]'

/** The page's reading of a link: testbed, benchmark and metric. */
function parsed(url: string): { base: string; tb: string | null; b: string; m: string } {
  const [base = '', hash = ''] = url.split('#')
  const p = new URLSearchParams(hash)
  const [b = '', m = ''] = (p.get('m') ?? '').split(':').map(decodeURIComponent)
  return { base, tb: p.get('tb'), b, m }
}

/** Markdown links whose target is one unbroken URL: `[text](url)`, text escapes allowed. */
const LINK = /\[((?:\\.|[^\]\\])*)\]\(([^()\s]+)\)/g

describe('metricChartUrl', () => {
  it('is the hash the page reads, whatever the names hold', () => {
    const url = metricChartUrl(`${BASE}#old`, 'gpu (a100)', 'infer/ence:x', HOSTILE)
    expect(parsed(url)).toEqual({ base: BASE, tb: 'gpu (a100)', b: 'infer/ence:x', m: HOSTILE })
    expect(url).not.toMatch(/[()\s<>]/)
  })
})

describe('links to the dashboard', () => {
  const comps = [comparison(), comparison({ metric: HOSTILE, verdict: 'pass', valueChange: 0.01 })]

  it("link each metric of the ledger's details to its chart", () => {
    const body = renderLedger(null, report({ dashboardUrl: BASE, testbed: 'ci' }, comps))
    const details = body.slice(body.indexOf(DETAILS_START), body.indexOf(DETAILS_END))
    const links = [...details.matchAll(LINK)].map((m) => parsed(m[2] ?? ''))
    expect(links).toEqual([
      { base: BASE, tb: 'ci', b: 'inference', m: 'decode' },
      { base: BASE, tb: 'ci', b: 'inference', m: HOSTILE }
    ])
    // The hostile name stays text: its own brackets are escaped, its markup entity-encoded.
    expect(details).not.toContain('<b>')
    expect(details).not.toContain('](javascript:')
  })

  it('are absent without a dashboard URL', () => {
    const body = renderLedger(null, report({ testbed: 'ci' }, comps))
    expect([...body.matchAll(LINK)].filter((m) => (m[2] ?? '').includes('#tb='))).toEqual([])
  })

  it("link each metric of the report's metrics table", () => {
    const input = goldenInput()
    const text = renderReportFile({
      ...input,
      report: { ...input.report, dashboardUrl: BASE }
    })
    const section = text.slice(text.indexOf('## Performance Metrics'), text.indexOf('## Per-GPU'))
    const links = [...section.matchAll(LINK)].map((m) => parsed(m[2] ?? ''))
    expect(links.length).toBe(input.report.outcome.comparisons.length)
    for (const l of links) expect(l).toMatchObject({ base: BASE, tb: input.report.testbed })
    expect(renderReportFile(input)).not.toContain(BASE)
  })
})
