import { abText } from '../report/ab.js'
import { renderTerminalTable } from '../report/terminal.js'
import type { Output } from './output.js'

/** The CLI's answer: the table of metrics, then where the files went. */
export function terminalOutput(io: { stdout(text: string): void }): Output {
  return {
    deliver(job, before) {
      const ab = abText(job.report)
      if (ab) io.stdout(`${ab}\n\n`)
      io.stdout(renderTerminalTable(job.outcome))
      const p = before.files?.paths
      if (p) {
        io.stdout(
          `\nledger:    ${p.ledger}\ncheck run: ${p.checkRun}\nreport:    ${p.reportFile}\nresults:   ${p.results}\n`
        )
      }
      return Promise.resolve(before)
    }
  }
}
