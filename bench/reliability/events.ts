import { webhook } from '../../__tests__/helpers/github-standin-run.js'

/** The parts of GitHub's documented webhook payloads the suite adjusts, typed. */
export interface EventPayload {
  repository: { full_name?: string; default_branch?: string; fork?: boolean }
  pull_request: {
    number: number
    base: { ref: string }
    head: { sha: string; repo: { full_name: string; fork: boolean } }
  }
  workflow_run: { head_repository: Record<string, unknown>; [key: string]: unknown }
}

/** A real payload from GitHub's documentation (a copy), for `name` and the first example `pick` likes. */
export function payload(
  name: string,
  pick?: (e: Record<string, unknown>) => boolean
): EventPayload {
  return webhook(name, pick) as EventPayload
}
