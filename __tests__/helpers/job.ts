import type { JobOptions } from '../../src/engine/job.js'
import { filesOutput } from '../../src/outputs/files.js'
import { runWithOutputs, type JobResult, type WrittenFiles } from '../../src/outputs/index.js'

/** The job as the CLI runs it, with its files output: what the job-level tests look at. */
export type FileJobOptions = Omit<JobOptions, 'onStart' | 'review'> & {
  outDir: string
  rawDir: string
  reportsDir?: string
}

export async function runJobToFiles(
  opts: FileJobOptions
): Promise<JobResult & { files: WrittenFiles }> {
  const { outDir, rawDir, reportsDir, ...job } = opts
  const result = await runWithOutputs(job, [
    filesOutput({
      outDir,
      rawDir,
      ...(reportsDir ? { reportsDir } : {}),
      reporter: job.reporter,
      ...(job.clock ? { clock: job.clock } : {})
    })
  ])
  if (!result.files) throw new Error('the files output wrote nothing')
  return { ...result, files: result.files }
}
