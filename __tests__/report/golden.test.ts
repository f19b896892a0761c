import { describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderLedger } from '../../src/report/ledger.js'
import { renderReportFile } from '../../src/report/report-file.js'
import { GOLDEN_DIR, goldenInput, goldenReport } from './golden-fixture.js'

/*
 * The report file and the ledger for one fixture comparison, compared byte for byte with the
 * committed files: any change to rendering shows as a diff there. UPDATE_GOLDEN=1 rewrites them
 * after a deliberate change, to be reviewed like code.
 */

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name)
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

describe('golden files', () => {
  it('renders the report file exactly as committed', () => {
    golden('report.md', renderReportFile(goldenInput()))
  })

  it('renders the ledger exactly as committed', () => {
    golden('ledger.md', renderLedger(null, goldenReport().report))
  })

  it('is what docs/reports.md shows as the example report, nested and with its links as paths', () => {
    // Inside the doc's <details>, headings go two levels down, and the report's relative
    // links (to files beside it) are shown as paths rather than links that would not resolve.
    const report = readFileSync(path.join(GOLDEN_DIR, 'report.md'), 'utf8')
      .trimEnd()
      .replace(/^(#+) /gm, '##$1 ')
      .replace(/^- \[(.+)\]\(([^)]+)\)$/gm, '- $1: `$2`')
    expect(readFileSync('docs/reports.md', 'utf8')).toContain(report)
  })

  it('is what docs/reports.md shows as the sample ledger', () => {
    const ledger = readFileSync(path.join(GOLDEN_DIR, 'ledger.md'), 'utf8').trimEnd()
    expect(readFileSync('docs/reports.md', 'utf8')).toContain(
      `\`\`\`\`markdown\n${ledger}\n\`\`\`\``
    )
  })
})
