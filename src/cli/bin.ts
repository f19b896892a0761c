import { boundMessage } from '../errors.js'
import { stopOnSignals, stoppingOn } from '../shared/cleanup.js'
import { main } from './main.js'

// Ctrl-C, a CI job's cancel or a `kill` ends the benchmark's process group and removes temporary
// files before exiting 130, 143 or 129; after that, the failing command's own error is noise.
stopOnSignals({ write: (line) => process.stderr.write(`${line}\n`) })
const unlessStopping =
  (write: (s: string) => void) =>
  (s: string): void => {
    if (!stoppingOn()) write(s)
  }

// The only place the CLI exits: main() returns the code, so tests can call it in-process.
main(process.argv.slice(2), {
  stdout: unlessStopping((s) => process.stdout.write(s)),
  stderr: unlessStopping((s) => process.stderr.write(s))
}).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    unlessStopping((s) => process.stderr.write(s))(
      `perf-gate: internal error: ${boundMessage(e instanceof Error ? e.message : String(e))}\n`
    )
    process.exitCode = 3
  }
)
