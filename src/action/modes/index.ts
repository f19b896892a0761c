import { UserError } from '../../errors.js'
import type { ActionMode } from '../inputs.js'
import type { ActionRun } from '../run.js'
import { baselineMode } from './baseline.js'
import { dashboardMode } from './dashboard.js'
import { gateMode } from './gate.js'
import { historyMode } from './history.js'
import { mergeMode } from './merge.js'
import { reportMode } from './report.js'

/** One module per mode of the action; a new mode is one module and one line here. */
export const MODES: Record<ActionMode, (run: ActionRun) => Promise<void>> = {
  gate: gateMode,
  baseline: baselineMode,
  report: reportMode,
  merge: mergeMode,
  history: historyMode,
  dashboard: dashboardMode,
  compare: () => {
    throw new UserError(
      "mode 'compare' is not available in this version of the action; use mode 'gate', 'baseline', 'report' or 'merge' (the CLI has 'perf-gate compare')"
    )
  }
}
