import * as core from '@actions/core'
import path from 'node:path'
import { createClient, type GitHubClient } from '../github/client.js'
import {
  readApiSettings,
  readWorkflowRun,
  type ApiSettings,
  type WorkflowRun
} from '../github/context.js'
import { decidePosture, type Posture } from '../github/posture.js'
import { terminalText } from '../report/escape.js'
import type { Reporter } from '../runners/progress.js'
import type { ActionInputs } from './inputs.js'

/** The workflow run the action is in, read once: every mode starts from it. */
export interface ActionRun {
  inputs: ActionInputs
  wf: WorkflowRun
  api: ApiSettings
  /** The checkout: `GITHUB_WORKSPACE`, else the current folder. */
  workspace: string
  /** Whether this run can post, decided before anything is sent. */
  posture: Posture
  /** A client when the run can post; a fork's read-only run calls no API. */
  client: GitHubClient | null
}

// The log renders escape sequences (colours, and worse): names and command output are stripped.
export const coreReporter: Reporter = {
  info: (m) => core.info(terminalText(m)),
  warning: (m) => core.warning(terminalText(m)),
  group: (title, fn) => core.group(terminalText(title), fn)
}

export const coreLog = {
  warning: (m: string) => core.warning(terminalText(m)),
  info: (m: string) => core.info(terminalText(m))
}

export function readActionRun(inputs: ActionInputs): ActionRun {
  const wf = readWorkflowRun()
  const api = readApiSettings()
  const posture = decidePosture(wf, inputs.githubToken)
  const client =
    posture.kind === 'write' && inputs.githubToken
      ? createClient(inputs.githubToken, {
          baseUrl: api.baseUrl,
          tuning: api.tuning,
          log: (m) => core.info(m)
        })
      : null
  return {
    inputs,
    wf,
    api,
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    posture,
    client
  }
}

/** The config's path: `perf-gate.yml` rather than `/home/runner/work/app/app/perf-gate.yml` in messages. */
export function configPath(run: ActionRun): string {
  const file = path.resolve(run.workspace, run.inputs.config)
  const rel = path.relative(process.cwd(), file)
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel
}

/** The config path as the repository names it (annotations are relative to the repository root). */
export function repositoryPath(file: string, workspace: string): string {
  const rel = path.relative(workspace, path.resolve(workspace, file))
  return rel.split(path.sep).join('/')
}
