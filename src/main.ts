import * as core from '@actions/core'
import { modeFor } from './action/modes/index.js'
import { readInputs } from './action/inputs.js'
import { readActionRun } from './action/run.js'
import { errorMessage, isUserError } from './errors.js'

/**
 * The action: reads the inputs, then runs the mode's module (src/action/modes/). It is the only
 * place that fails the step on an error; a mode fails it on its verdict.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    if (inputs.githubToken) core.setSecret(inputs.githubToken)
    await modeFor(inputs.mode)(readActionRun(inputs))
  } catch (e) {
    // A user error is one actionable line; anything else is a bug, so keep the stack in the debug log.
    if (!isUserError(e) && e instanceof Error && e.stack) core.debug(e.stack)
    core.setFailed(`perf-gate: ${errorMessage(e)}`)
  }
}
