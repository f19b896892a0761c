import { afterAll, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromiumPath, NO_BROWSER } from '../helpers/browser.js'
import { drawAll, launch, openSite, screenshot } from '../helpers/dashboard-page.js'
import { readSite } from '../helpers/dashboard-site.js'
import { runDist } from '../helpers/dist.js'

/*
 * `perf-gate dashboard` through dist/cli.js on the Quickstart's own store: this repository's
 * perf-gate.yml run as the README says (`run` records the first baseline; `baseline` adds more),
 * then the site built with the defaults and opened from file:// in the browser.
 */

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A copy of the Quickstart: perf-gate.yml, its workload, and the built CLI it times. */
function quickstart(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-quickstart-'))
  dirs.push(dir)
  copyFileSync('perf-gate.yml', path.join(dir, 'perf-gate.yml'))
  copyFileSync('package.json', path.join(dir, 'package.json'))
  mkdirSync(path.join(dir, 'bench'))
  copyFileSync('bench/workload.mjs', path.join(dir, 'bench', 'workload.mjs'))
  symlinkSync(path.resolve('dist'), path.join(dir, 'dist'))
  return dir
}

describe('perf-gate dashboard (dist/cli.js)', () => {
  it("builds a site from the Quickstart's store that opens from file://", async () => {
    const dir = quickstart()
    const fast = ['--repetitions', '3']
    expect(runDist('cli.js', ['run', ...fast], { cwd: dir }).code).toBe(0)
    expect(runDist('cli.js', ['baseline', ...fast], { cwd: dir }).code).toBe(0)

    const built = runDist('cli.js', ['dashboard'], { cwd: dir })
    expect(built.stderr).toBe('')
    expect(built.code).toBe(0)
    expect(built.stdout).toMatch(/over 2 baseline\(s\) on 1 testbed\(s\)/)
    const site = path.join(dir, '.perf-gate', 'site')
    const { index, series } = readSite(site)
    expect(index.store).toBe('local:.perf-gate/baselines')
    // The workload reports one benchmark per operation (`workload/<op>`).
    expect(index.testbeds[0]?.benchmarks.map((b) => b.name)).toEqual([
      'cli-startup',
      'workload/JSON round-trip 1k objects',
      'workload/sha256 64 KiB',
      'workload/sort 20k numbers'
    ])
    expect(series.every((s) => s.shard.x.length === 2)).toBe(true)

    // A second build replaces the first in place.
    expect(runDist('cli.js', ['dashboard'], { cwd: dir }).code).toBe(0)

    const browserPath = chromiumPath()
    if (!browserPath) return console.warn(NO_BROWSER)
    const browser = await launch(browserPath)
    try {
      const { page, errors, close } = await openSite(browser, site)
      await drawAll(page)
      expect(await page.$$eval('.card[data-state="drawn"]', (cs) => cs.length)).toBe(series.length)
      expect(errors).toEqual([])
      await screenshot(page, 'quickstart')
      await close()
    } finally {
      await browser.close()
    }
  }, 120_000)

  it('names the input at fault in one line', () => {
    const dir = quickstart()
    const bad = runDist('cli.js', ['dashboard', '--store', 'sqlite:x'], { cwd: dir })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(
      "perf-gate: baseline-store must be 'local:DIR' or 'git:BRANCH', got 'sqlite:x'\n"
    )
    const git = runDist('cli.js', ['dashboard', '--store', 'git:perf-gate-data'], { cwd: dir })
    expect(git.code).toBe(2)
    expect(git.stderr).toMatch(/^perf-gate: --store git:perf-gate-data needs --repo OWNER\/NAME/)
    const token = runDist(
      'cli.js',
      ['dashboard', '--store', 'git:perf-gate-data', '--repo', 'acme/llm'],
      { cwd: dir, env: { GITHUB_TOKEN: '', GH_TOKEN: '' } }
    )
    expect(token.code).toBe(2)
    expect(token.stderr).toMatch(/needs a token: set GITHUB_TOKEN \(or GH_TOKEN\)/)
    const config = runDist('cli.js', ['dashboard', '-c', 'missing.yml'], { cwd: dir })
    expect(config.code).toBe(2)
    expect(config.stderr).toMatch(/missing\.yml.*config file not found/)
  })
})
