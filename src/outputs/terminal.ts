import { abText } from '../report/ab.js'
import { renderTerminalTable } from '../report/terminal.js'
import type { MetricComparison } from '../stats/types.js'
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

/** The CLI's `--json` answer: the verdict, every metric, how an A/B run ran, the files. */
export function jsonOutput(io: { stdout(text: string): void }): Output {
  return {
    deliver(job, before) {
      const { outcome } = job
      const doc = {
        verdict: outcome.verdict,
        route: outcome.route,
        reason: outcome.reason,
        ...(job.report.ab ? { ab: job.report.ab } : {}),
        metrics: outcome.comparisons.map(metricJson),
        ...(before.files ? { files: before.files.paths } : {})
      }
      io.stdout(JSON.stringify(doc, null, 2) + '\n')
      return Promise.resolve(before)
    }
  }
}

/** As `compare --json` writes a metric, with the arms' sizes and medians. */
function metricJson(c: MetricComparison): Record<string, unknown> {
  return {
    benchmark: c.benchmark,
    metric: c.metric,
    verdict: c.verdict,
    change: c.change,
    // JSON has no Infinity: an unbounded end is null.
    ci: c.ci ? c.ci.map((x) => (Number.isFinite(x) ? x : null)) : null,
    unit: c.unit,
    direction: c.direction,
    inconclusive: c.inconclusive,
    improved: c.improved,
    reason: c.reason,
    ...(c.baseline ? { baseline: { n: c.baseline.n, median: c.baseline.median } } : {}),
    ...(c.current ? { current: { n: c.current.n, median: c.current.median } } : {})
  }
}
