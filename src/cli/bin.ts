import { main } from './main.js'

// The only place the CLI exits: main() returns the code, so tests can call it in-process.
main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s)
}).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(
      `perf-gate: internal error: ${e instanceof Error ? e.message : String(e)}\n`
    )
    process.exitCode = 3
  }
)
