// `npm run local-action [-- ENV_FILE]`: runs the action from its sources (src/main.ts) under
// GitHub's @github/local-action, with the inputs and environment of ENV_FILE (default .env; copy
// .env.example to start), then prints the job summary it wrote. local-action stubs
// @actions/core, so the outputs it sets are listed at the end ("Action Outputs"); the summary
// goes to the file GITHUB_STEP_SUMMARY names, emptied first so it shows this run alone.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const envFile = process.argv[2] ?? '.env'
if (!existsSync(envFile)) {
  console.error(`perf-gate: ${envFile} not found: copy .env.example to .env and edit the inputs`)
  process.exit(2)
}
// The one variable this script reads itself; local-action loads the whole file.
const summary = /^GITHUB_STEP_SUMMARY=["']?([^"'\n]*)["']?\s*$/m.exec(
  readFileSync(envFile, 'utf8')
)?.[1]
if (summary) {
  mkdirSync(path.dirname(path.resolve(summary)), { recursive: true })
  writeFileSync(summary, '')
}
const bin = path.resolve('node_modules', '.bin', 'local-action')
const run = spawnSync(bin, ['run', '.', 'src/main.ts', envFile], { stdio: 'inherit' })
if (run.error) {
  console.error(`perf-gate: could not start ${bin}: ${run.error.message} (run npm ci)`)
  process.exit(2)
}
if (summary && existsSync(summary)) {
  console.log(`Job summary (${summary}):\n`)
  console.log(readFileSync(summary, 'utf8'))
}
process.exit(run.status ?? 1)
