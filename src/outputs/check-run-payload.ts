import { regressionAnnotations, type Annotation } from '../github/annotations.js'
import type { DecidedJob } from '../engine/job.js'
import { renderCheckRun, type CheckRunPayload } from '../report/check-run.js'

/** The check run as it is sent: the rendered payload with the annotations on `perf-gate.yml`. */
export interface CheckRunWithAnnotations extends CheckRunPayload {
  output: CheckRunPayload['output'] & { annotations: Annotation[] }
}

/**
 * The one builder of the check run, for both the API call (outputs/github.ts, which sends the
 * annotations 50 to a request) and the local `check-run.json` (outputs/files.ts), so the file
 * shows what would be sent. `configPath` is the config file as the repository names it: the
 * annotations point at the lines of its benchmark entries.
 */
export function checkRunPayload(
  job: DecidedJob,
  opts: { headSha: string | null; configPath: string }
): CheckRunWithAnnotations {
  const payload = renderCheckRun(job.report, {
    headSha: opts.headSha,
    ...(job.report.runUrl ? { detailsUrl: job.report.runUrl } : {})
  })
  const annotations = regressionAnnotations(
    job.outcome.comparisons,
    job.config.benchmarks,
    opts.configPath,
    { accepted: job.report.acceptance !== undefined }
  )
  return { ...payload, output: { ...payload.output, annotations } }
}
