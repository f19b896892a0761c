import { UserError } from '../../errors.js'
import type { ActionRun } from '../run.js'
import { baselineMode } from './baseline.js'
import { dashboardMode } from './dashboard.js'
import { gateMode } from './gate.js'
import { historyMode } from './history.js'
import { mergeMode } from './merge.js'
import { reportMode } from './report.js'

type Mode = (run: ActionRun) => Promise<void>

/** One module per mode of the action; a new mode is one module and one line here. */
const MODES: Record<string, Mode> = {
  gate: gateMode,
  baseline: baselineMode,
  compare: () => {
    throw new UserError(
      "mode 'compare' is not available in this version of the action; use mode 'gate', 'baseline', 'report' or 'merge' (the CLI has 'perf-gate compare')"
    )
  },
  report: reportMode,
  merge: mergeMode,
  history: historyMode,
  dashboard: dashboardMode
}

/** The module of the input `mode`, or the one line that says which modes there are. */
export function modeFor(name: string): Mode {
  const mode = Object.hasOwn(MODES, name) ? MODES[name] : undefined
  if (!mode) {
    throw new UserError(
      `input 'mode' must be one of ${Object.keys(MODES).join(', ')}; got '${name}'`
    )
  }
  return mode
}
