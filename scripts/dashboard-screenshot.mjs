// Regenerates docs/dashboard.png and docs/dashboard-dark.png: the Quickstart's own store (this
// repository's perf-gate.yml, run in a scratch copy, one commit per run so every point has a sha),
// built with `perf-gate dashboard`, opened from file:// in headless Chromium and photographed.
//
// Usage: npm run build && npm run dashboard:screenshot [-- --runs 12]
// Needs Debian's chromium-headless-shell (or PERF_GATE_CHROMIUM). Takes a minute or two: each
// run times the workload for real.
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '12' } } })
const RUNS = Number(values.runs)
if (!(Number.isInteger(RUNS) && RUNS >= 2)) throw new Error('--runs must be an integer >= 2')

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const browserPath =
  process.env.PERF_GATE_CHROMIUM ??
  [
    '/usr/lib/chromium/chromium-headless-shell',
    '/usr/bin/chromium-headless-shell',
    '/usr/bin/chromium'
  ].find((p) => existsSync(p))
if (!browserPath) {
  console.error('no Chromium: apt-get install chromium-headless-shell, or set PERF_GATE_CHROMIUM')
  process.exit(1)
}
if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
  console.error('dist/cli.js is missing: run npm run build first')
  process.exit(1)
}

const dir = mkdtempSync(path.join(tmpdir(), 'pg-screenshot-'))
try {
  copyFileSync(path.join(root, 'perf-gate.yml'), path.join(dir, 'perf-gate.yml'))
  copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'))
  mkdirSync(path.join(dir, 'bench'))
  copyFileSync(path.join(root, 'bench', 'workload.mjs'), path.join(dir, 'bench', 'workload.mjs'))
  symlinkSync(path.join(root, 'dist'), path.join(dir, 'dist'))
  const git = (...args) =>
    execFileSync(
      'git',
      ['-c', 'user.name=perf-gate', '-c', 'user.email=perf-gate@example.invalid', ...args],
      {
        cwd: dir,
        stdio: 'ignore'
      }
    )
  git('init', '-q')
  const cli = (args, env = {}) =>
    execFileSync(process.execPath, ['dist/cli.js', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'ignore', 'inherit']
    })
  for (let i = 0; i < RUNS; i++) {
    git('commit', '-q', '--allow-empty', '-m', `run ${i + 1}`)
    // The second half of the history does 30 % more work per operation: a step to look at.
    const env = i >= RUNS / 2 ? { WORKLOAD_SLOWDOWN: '1.3' } : {}
    // The Quickstart's `run` records the first baseline; `baseline` records every later one.
    cli([i === 0 ? 'run' : 'baseline', '--repetitions', '6'], env)
    console.log(`recorded baseline ${i + 1} of ${RUNS}`)
  }
  cli(['dashboard', '--title', 'Quickstart benchmarks'])

  const browser = await chromium.launch({ executablePath: browserPath })
  // The workload's benchmarks: the ones with the step (the CLI's start-up time is mostly noise).
  const url = `${pathToFileURL(path.join(dir, '.perf-gate', 'site', 'index.html')).href}#q=workload`
  for (const [scheme, name] of [
    ['light', 'dashboard.png'],
    ['dark', 'dashboard-dark.png']
  ]) {
    const page = await browser.newPage({
      viewport: { width: 1200, height: 900 },
      colorScheme: scheme
    })
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(url)
    await page.waitForSelector('.card[data-state="drawn"]', { state: 'attached' })
    await page.waitForTimeout(300)
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`)
    const file = path.join(root, 'docs', name)
    await page.screenshot({ path: file })
    console.log(`${path.relative(root, file)}: ${(statSync(file).size / 1024).toFixed(0)} KB`)
    await page.close()
  }
  await browser.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
