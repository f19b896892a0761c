import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { chromiumPath, NO_BROWSER } from '../helpers/browser.js'
import { drawAll, launch, openSite, screenshot } from '../helpers/dashboard-page.js'
import { readSite } from '../helpers/dashboard-site.js'
import { GitHubStandin, installationToken } from '../helpers/github-standin.js'
import { runAction, webhook, workspace, type RunnerEvent } from '../helpers/github-standin-run.js'

/*
 * The built action in mode dashboard, reading a git: store through the GitHub stand-in: two
 * pushes record baselines on the branch, then a scheduled run builds the site from the branch
 * alone (a fresh workspace, a read-only token) and the site opens in the browser.
 */

const BRANCH = 'perf-gate-data'
let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': installationToken({ contents: 'write', checks: 'write' }),
      'ghs-read': installationToken({ contents: 'read' })
    }
  }).start()
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const browserPath = chromiumPath()
let browser: Browser | null = null
beforeAll(async () => {
  if (browserPath) browser = await launch(browserPath)
  else console.warn(NO_BROWSER)
})
afterAll(async () => {
  await browser?.close()
})

function push(sha: string): RunnerEvent {
  const p = webhook('push')
  return { name: 'push', payload: p, ref: `refs/heads/${p.repository.default_branch}`, sha }
}

describe('dashboard-url', () => {
  it("links the ledger's metrics to their charts", async () => {
    const ws = workspace()
    copyFileSync('fixtures/hyperfine/work-baseline.json', path.join(ws, 'results', 'work.json'))
    const base = 'https://acme.github.io/app/'
    const r = await runAction({
      ws,
      event: push('e'.repeat(40)),
      inputs: {
        mode: 'gate',
        results: 'results/*.json',
        'github-token': '',
        'dashboard-url': base
      }
    })
    expect(r.code).toBe(0)
    const ledger = readFileSync(r.outputs['ledger-path'] ?? '', 'utf8')
    const links = [...ledger.matchAll(/\]\((https:[^()\s]+)\)/g)].map((m) => m[1] ?? '')
    expect(links.filter((l) => l.startsWith(base))).toEqual([`${base}#tb=ci&m=work%3Atime`])
  })
})

describe('mode: dashboard', () => {
  it('builds the history site from a git: store, reading only', async () => {
    for (const [sha, fixture] of [
      ['b'.repeat(40), 'work-baseline'],
      ['c'.repeat(40), 'work-slower-20pct']
    ] as const) {
      const ws = workspace()
      copyFileSync(`fixtures/hyperfine/${fixture}.json`, path.join(ws, 'results', 'work.json'))
      const r = await runAction({
        ws,
        event: push(sha),
        gh,
        inputs: {
          mode: 'baseline',
          results: 'results/*.json',
          'baseline-store': `git:${BRANCH}`,
          'github-token': 'ghs-write'
        }
      })
      expect(r.code).toBe(0)
    }
    const writes = gh.writes().length

    const ws = workspace()
    const schedule = webhook('push')
    const r = await runAction({
      ws,
      event: {
        name: 'schedule',
        payload: { repository: schedule.repository },
        ref: 'refs/heads/main',
        sha: 'd'.repeat(40)
      },
      gh,
      inputs: { mode: 'dashboard', 'baseline-store': `git:${BRANCH}`, 'github-token': 'ghs-read' }
    })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(gh.writes()).toHaveLength(writes)
    const site = path.join(ws, '.perf-gate', 'out', 'dashboard')
    expect(r.outputs['dashboard-path']).toBe(site)
    // hyperfine's wall time, and its user and system times (recorded, not gated, charted alike).
    expect(r.stdout).toMatch(/dashboard: 3 metric\(s\) of 1 benchmark\(s\) over 2 baseline\(s\)/)
    expect(existsSync(path.join(site, 'index.html'))).toBe(true)

    const { index, series } = readSite(site)
    expect(index).toMatchObject({
      store: `git:${BRANCH}`,
      repoUrl: 'https://github.com/Codertocat/Hello-World',
      title: 'Codertocat/Hello-World benchmarks'
    })
    expect(index.testbeds.map((t) => [t.name, t.runs])).toEqual([['ci', 2]])
    expect(series.map((s) => s.metric)).toEqual(['time', 'user', 'system'])
    expect(series[0]?.shard.sha).toEqual(['bbbbbbb', 'ccccccc'])

    if (!browser) return
    const { page, errors, close } = await openSite(browser, site)
    await drawAll(page)
    expect(await page.$$eval('.card[data-state="drawn"]', (cs) => cs.length)).toBe(3)
    expect(await page.getAttribute('.card', 'data-bands')).toBe('2')
    expect(errors).toEqual([])
    await screenshot(page, 'action-git-store')
    await close()
  })
})
