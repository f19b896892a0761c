/** The action's entry point: everything happens in run(). */
import * as core from '@actions/core'
import { run } from './main.js'
import { stopOnSignals } from './shared/cleanup.js'

// A cancelled workflow sends SIGINT, then SIGTERM 7.5 s later: end the benchmark's process group
// (on a self-hosted GPU runner a leftover holds GPU memory for the next job) and say so.
/* istanbul ignore next */
stopOnSignals({ write: (line) => core.error(line) })
/* istanbul ignore next */
void run()
