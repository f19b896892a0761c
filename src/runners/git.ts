import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Commit } from '../results/model.js'

const run = promisify(execFile)

/** The commit of a local checkout, or a null sha outside git: a local run must not need git. */
export async function localCommit(cwd: string): Promise<Commit> {
  try {
    const { stdout: sha } = await run('git', ['rev-parse', 'HEAD'], { cwd })
    const { stdout: ref } = await run('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd })
    const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd
    })
    return { sha: sha.trim(), ref: ref.trim(), dirty: status.trim() !== '' }
  } catch {
    return { sha: null, ref: null }
  }
}
