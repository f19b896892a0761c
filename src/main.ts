import * as core from '@actions/core'
import { modeFor } from './action/modes/index.js'
import { readInputs } from './action/inputs.js'
import { readActionRun } from './action/run.js'
import { boundMessage, errorMessage, isUserError, pathError } from './errors.js'
import { terminalText } from './report/escape.js'
import { stoppingOn } from './shared/cleanup.js'

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
    // Stopped by a signal: the signal's own line says what happened, not the command it ended.
    if (stoppingOn()) return
    // A user error is one actionable line; anything else is a bug, so keep the stack in the debug log.
    const problem = isUserError(e) ? e : (pathError(e) ?? e)
    if (!isUserError(problem) && e instanceof Error && e.stack) core.debug(e.stack)
    core.setFailed(terminalText(`perf-gate: ${boundMessage(errorMessage(problem))}`))
  }
}
