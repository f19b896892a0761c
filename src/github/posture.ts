import type { WorkflowRun } from './context.js'

/*
 * Whether this run can post at all, decided before anything is sent: a pull request from a fork
 * (or from Dependabot) gets a read-only token whatever the workflow asks for, so trying would only
 * collect 403s. Such runs write the job summary and the files for an artifact, and say once how the
 * results get posted instead.
 */

export type Posture =
  | { kind: 'write' }
  /** `warn`: the user expects posting here and should learn why it did not happen. */
  | { kind: 'files-only'; why: string; warn: boolean }

export function decidePosture(wf: WorkflowRun, token: string | undefined): Posture {
  if (!wf.context.onGitHub) {
    return { kind: 'files-only', why: 'not running on GitHub Actions', warn: false }
  }
  if (!token) return { kind: 'files-only', why: 'the github-token input is empty', warn: false }
  if (!wf.repository) {
    return { kind: 'files-only', why: 'GITHUB_REPOSITORY is not set', warn: true }
  }
  const pr = wf.context.eventName === 'pull_request' ? wf.pull : null
  if (pr?.fromFork) {
    return {
      kind: 'files-only',
      why: `pull request #${pr.number} comes from a fork (${pr.headRepo ?? 'deleted'}), and GitHub gives such runs a read-only token`,
      warn: true
    }
  }
  if (pr && wf.actor === 'dependabot[bot]') {
    return {
      kind: 'files-only',
      why: `pull request #${pr.number} is Dependabot's, and GitHub gives such runs a read-only token`,
      warn: true
    }
  }
  return { kind: 'write' }
}

export const REPORT_HINT =
  'Upload the results file (output results-path) as an artifact and post it from a workflow_run workflow with mode: report; see "Pull requests from forks" in docs/github-workflows.md.'
