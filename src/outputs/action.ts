import type { DecidedJob } from '../engine/job.js'
import { renderAssumedConfig } from '../report/assumed-config.js'
import { MAX_SUMMARY_BYTES, renderReport } from '../report/summary.js'
import type { Delivered, Output } from './output.js'

/*
 * The action's step outputs and job summary. The front passes in what writes them (the runner's
 * files through @actions/core), so this adapter needs no runner to be tested.
 */

export interface ActionSink {
  setOutput(name: string, value: string): void
  /** Appends markdown to the job summary; does nothing where the runner keeps none. */
  summary(markdown: string): Promise<void>
}

export function actionOutput(sink: ActionSink, opts: { summaryNote?: string } = {}): Output {
  return {
    async deliver(job, before) {
      setOutputs(sink, job, before)
      const assumed = job.assumed ? `\n${renderAssumedConfig(job.assumed)}\n` : ''
      const note = assumed + (opts.summaryNote ?? '')
      // Over GitHub's 1 MiB the summary is dropped whole: the table folds to fit, notes included.
      const maxBytes = MAX_SUMMARY_BYTES - Buffer.byteLength(note, 'utf8')
      await sink.summary(renderReport(job.report, { maxBytes }) + note)
      return before
    }
  }
}

function setOutputs(sink: ActionSink, job: DecidedJob, delivered: Delivered): void {
  const { outcome } = job
  const paths = delivered.files?.paths
  const published = delivered.published
  const set = (name: string, value: string | number | boolean | null | undefined): void =>
    sink.setOutput(name, value === null || value === undefined ? '' : String(value))
  set('verdict', outcome.verdict)
  set('route', outcome.route)
  set('regressions', outcome.regressions)
  set('improvements', outcome.improvements)
  set('accepted', job.report.acceptance !== undefined)
  set('report-path', paths?.report)
  set('results-path', paths?.results)
  set('ledger-path', paths?.ledger)
  set('check-run-path', paths?.checkRun)
  set('comment-id', published?.commentId)
  set('comment-url', published?.commentUrl)
  set('check-run-id', published?.checkRunId)
  set('check-run-url', published?.checkRunUrl)
  set('promoted', published?.promoted ?? false)
}
