import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { LocalBaselineStore } from '../../src/baseline/local-store.js'
import { metricChartUrl } from '../../src/report/dashboard-link.js'
import { writeDashboard } from '../../src/dashboard/write.js'
import { chromiumPath, NO_BROWSER } from '../helpers/browser.js'
import {
  dataset,
  drawAll,
  hashOf,
  launch,
  openSite,
  screenshot
} from '../helpers/dashboard-page.js'
import { nonNull, readChunks, readSite, type SiteSeries } from '../helpers/dashboard-site.js'
import { HOSTILE, historyRun, type HistoryShape } from '../helpers/dashboard-store.js'

/*
 * The built site in a real browser (headless Chromium), opened from file:// as a person opening
 * index.html would: it must draw what the build computed, restore a view from its URL, follow the
 * colour scheme, and keep markup in names as text. Each test leaves a screenshot.
 */

const browserPath = chromiumPath()
if (!browserPath) console.warn(NO_BROWSER)
const maybe = browserPath ? describe : describe.skip

const shape: HistoryShape = {
  baselines: 60,
  benchmarks: 3,
  metricsPerBenchmark: 3,
  samples: 10,
  prEvery: 9,
  stepAt: 30,
  driverAt: 42,
  hostileNames: true,
  seed: 3
}

let dir = ''
let site = ''
let browser: Browser
let series: SiteSeries[] = []

maybe('the dashboard in a browser', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'perf-gate-dashboard-browser-'))
    const store = new LocalBaselineStore(path.join(dir, 'store'), { keep: 1000 })
    for (let i = 0; i < shape.baselines; i++) await store.write(historyRun(shape, i))
    // A second testbed, to pick from.
    const gpu = { ...shape, testbed: 'gpu-a100', benchmarks: 1, hostileNames: false, seed: 9 }
    for (let i = 0; i < 20; i++) await store.write(historyRun(gpu, i))
    site = path.join(dir, 'site')
    await writeDashboard({
      store,
      outDir: site,
      title: 'acme/app benchmarks',
      repoUrl: 'https://github.com/acme/app',
      now: () => new Date('2026-03-01T12:00:00Z')
    })
    series = readSite(site).series.filter((s) => s.testbed === 'ci')
    browser = await launch(browserPath ?? '')
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const cardOf = (s: SiteSeries) => {
    const { index } = readSite(site)
    const tb = index.testbeds.find((t) => t.name === s.testbed)
    const b = tb?.benchmarks.find((x) => x.name === s.benchmark)
    const m = b?.metrics.find((x) => x.name === s.metric)
    return `#c-${b?.id}-${m?.id}`
  }

  it('opens from file:// with no console error and draws one chart per metric', async () => {
    const { page, errors, close } = await openSite(browser, site)
    await screenshot(page, 'dashboard-light')
    await drawAll(page)
    expect(await page.$$eval('.card', (cs) => cs.length)).toBe(9)
    expect(await page.$$eval('.card canvas', (cs) => cs.length)).toBe(9)
    expect(await page.$$eval('.card[data-state="drawn"]', (cs) => cs.length)).toBe(9)
    expect(await page.textContent('#title')).toBe('acme/app benchmarks')
    expect(errors).toEqual([])
    await screenshot(page, 'dashboard-light-full', true)
    await close()
  })

  it('draws as many bands, change points and environment changes as the build computed', async () => {
    const { page, errors, close } = await openSite(browser, site)
    await drawAll(page)
    let changePoints = 0
    for (const s of series) {
      const data = await dataset(page, cardOf(s))
      expect({ series: `${s.benchmark} / ${s.metric}`, ...data }).toMatchObject({
        series: `${s.benchmark} / ${s.metric}`,
        points: String(s.shard.x.length),
        bands: String(nonNull(s.shard.lo)),
        prPoints: String(nonNull(s.shard.pr)),
        changePoints: String(s.shard.changePoints.length),
        fingerprints: String(s.shard.fingerprints.length)
      })
      changePoints += s.shard.changePoints.length
    }
    // The history has steps and a driver upgrade, so the counts compared are not all zero.
    expect(changePoints).toBeGreaterThan(0)
    expect(series.every((s) => s.shard.fingerprints.length === 1)).toBe(true)
    expect(errors).toEqual([])
    // Every chart, to check the counted bands and markers by eye.
    await screenshot(page, 'dashboard-bands-full', true)
    await close()
  })

  it('opens a clicked run: its commit, date and samples, with Prev and Next', async () => {
    const { page, errors, close } = await openSite(browser, site)
    const s = series[0]
    const over = await page.$(`${cardOf(s)} .u-over`)
    const box = await over?.boundingBox()
    if (!box) throw new Error('no plot')
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5)
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5)
    await page.waitForSelector('#panel:not([hidden])')
    const run = Number(await page.getAttribute('#panel', 'data-run'))
    const chunk = readChunks(site, s.shard).find((c) => c.x.includes(run))
    const j = chunk?.x.indexOf(run) ?? -1
    const sha = chunk?.sha[j] ?? ''
    expect(await page.getAttribute('#panel a[href*="/commit/"]', 'href')).toBe(
      `https://github.com/acme/app/commit/${sha}`
    )
    expect(await page.textContent('#panel')).toContain(chunk?.at[j] ?? '?')
    const shown = (await page.textContent('#panel .samples')) ?? ''
    expect(shown.split(', ').map(Number)).toEqual(
      (chunk?.samples[j] ?? []).map((v) => Number(v.toPrecision(6)))
    )
    const p = new URLSearchParams(await hashOf(page)).get('p')
    expect(p?.endsWith(`:${run}`)).toBe(true)
    await screenshot(page, 'dashboard-panel')
    await page.click('#next')
    await page.waitForFunction(`document.querySelector('#panel').dataset.run === '${run + 1}'`, run)
    await page.keyboard.press('ArrowLeft')
    await page.waitForFunction(`document.querySelector('#panel').dataset.run === '${run}'`, run)
    await page.keyboard.press('Escape')
    expect(await page.isHidden('#panel')).toBe(true)
    expect(await hashOf(page)).not.toContain('p=')
    expect(errors).toEqual([])
    await close()
  })

  it('restores a view from the URL hash alone', async () => {
    const s = series.find(
      (x) => x.metric === 'throughput' && x.shard.changePoints.length === 0
    ) as SiteSeries
    const enc = encodeURIComponent
    const hash = new URLSearchParams([
      ['x', 'date'],
      ['log', '1'],
      ['q', 'throughput'],
      ['theme', 'dark'],
      ['m', `${enc(s.benchmark)}:${enc(s.metric)}`],
      ['z', `${enc(s.benchmark)}:${s.shard.t[10]}:${s.shard.t[40]}`],
      ['p', `${enc(s.benchmark)}:${enc(s.metric)}:${s.shard.x[20]}`]
    ]).toString()
    const { page, errors, close } = await openSite(browser, site, hash)
    await page.waitForSelector('#panel:not([hidden])')
    expect(await page.getAttribute('#x-date', 'aria-pressed')).toBe('true')
    expect(await page.getAttribute('#log', 'aria-pressed')).toBe('true')
    expect(await page.inputValue('#search')).toBe('throughput')
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
    const visible = await page.$$eval('.card:not(.hidden) h3', (hs) => hs.map((h) => h.textContent))
    expect(visible).toEqual(['throughput', 'throughput', 'throughput'])
    const card = {
      focused: await page.$eval(cardOf(s), (c) => c.classList.contains('focused')),
      ...(await dataset(page, cardOf(s)))
    }
    expect(card).toMatchObject({
      focused: true,
      scale: 'log',
      xMin: String(s.shard.t[10]),
      xMax: String(s.shard.t[40])
    })
    expect(await page.getAttribute('#panel', 'data-run')).toBe(String(s.shard.x[20]))
    expect(errors).toEqual([])
    await screenshot(page, 'dashboard-hash-restored')
    await close()
  })

  it('names the step and the changed environment key on hover', async () => {
    const s = series.find((x) => x.shard.changePoints.length === 1) ?? series[0]
    const { page, errors, close } = await openSite(browser, site)
    const card = cardOf(s)
    await page.$eval(card, (c) => c.scrollIntoView({ block: 'center' }))
    const hover = async (x: number): Promise<string> => {
      // Where the chart itself puts that x, in page pixels.
      const at = await page.evaluate(
        ([id, v]) => {
          const w = globalThis as unknown as {
            perfGateDashboard: { charts(): Record<string, any> }
          }
          const u = w.perfGateDashboard.charts()[id]
          const box = u.over.getBoundingClientRect()
          return { x: box.left + u.valToPos(v, 'x'), y: box.top + box.height / 2 }
        },
        [card.slice(1), x] as const
      )
      await page.mouse.move(at.x, at.y)
      await page.waitForSelector('#tip:not([hidden])')
      return (await page.textContent('#tip')) ?? ''
    }
    const cp = s.shard.changePoints[0]
    const fp = s.shard.fingerprints[0]
    if (!cp || !fp) throw new Error('the fixture has a step and a driver upgrade')
    expect(await hover(cp.x)).toMatch(/^Change point at [0-9a-f]{7}: \+1\d\.?\d* % \(worse\)/)
    await screenshot(page, 'dashboard-tooltip')
    expect(await hover(fp.x)).toContain('gpu.driver: 550 → 560')
    // Away from the chart, the tooltip goes.
    await page.mouse.move(5, 5)
    await page.waitForSelector('#tip', { state: 'hidden' })
    expect(errors).toEqual([])
    await close()
  })

  it("opens on the chart a ledger's link names", async () => {
    const s = series.find((x) => x.benchmark.startsWith('parse')) ?? series[0]
    const url = metricChartUrl('https://acme.github.io/app/', s.testbed, s.benchmark, s.metric)
    const { page, errors, close } = await openSite(browser, site, url.split('#')[1])
    await page.waitForSelector(`${cardOf(s)}.focused`)
    expect(await page.$$('.card.focused')).toHaveLength(1)
    expect(errors).toEqual([])
    await screenshot(page, 'dashboard-ledger-link')
    await close()
  })

  it('zooms a benchmark group together and keeps the zoom in the hash', async () => {
    const s = series[0]
    const { page, errors, close } = await openSite(browser, site)
    const over = await page.$(`${cardOf(s)} .u-over`)
    const box = await over?.boundingBox()
    if (!box) throw new Error('no plot')
    await page.mouse.move(box.x + box.width * 0.2, box.y + 40)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.6, box.y + 60, { steps: 6 })
    await page.mouse.up()
    const group = await page.getAttribute(cardOf(s), 'data-benchmark')
    const ranges = await page.$$eval(`.card[data-benchmark="${group}"]`, (cs) =>
      cs.map((c) => [c.getAttribute('data-x-min'), c.getAttribute('data-x-max')])
    )
    expect(new Set(ranges.map((r) => r.join('~'))).size).toBe(1)
    const [min, max] = (ranges[0] ?? []).map(Number)
    expect(min).toBeGreaterThan(0)
    expect(max).toBeLessThan(59)
    await page.waitForFunction("location.hash.includes('z=')")
    const hash = await hashOf(page)
    await close()

    const again = await openSite(browser, site, hash)
    const restored = Number(await again.page.getAttribute(cardOf(s), 'data-x-min'))
    expect(restored).toBeCloseTo(min ?? NaN, 1)
    expect([...errors, ...again.errors]).toEqual([])
    await screenshot(again.page, 'dashboard-zoomed')
    await again.close()
  })

  it('follows the system colour scheme, and the theme button overrides it', async () => {
    const { page, errors, close } = await openSite(browser, site, '', { colorScheme: 'dark' })
    const look = () =>
      page.evaluate<{ theme: string; bg: string }>(
        '({ theme: document.documentElement.dataset.theme, bg: getComputedStyle(document.body).backgroundColor })'
      )
    expect(await look()).toEqual({ theme: 'dark', bg: 'rgb(1, 4, 9)' })
    await screenshot(page, 'dashboard-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await page.waitForFunction("document.documentElement.dataset.theme === 'light'")
    expect(await look()).toEqual({ theme: 'light', bg: 'rgb(246, 248, 250)' })
    // Auto → dark, whatever the system says, and the choice is in the hash.
    await page.click('#theme')
    expect((await look()).theme).toBe('dark')
    expect(await hashOf(page)).toContain('theme=dark')
    // Charts are redrawn in the new colours, not left as they were.
    await page.waitForSelector('.card[data-state="drawn"] canvas')
    expect(errors).toEqual([])
    await close()
  })

  it('keeps markup in names as text', async () => {
    const { page, errors, close } = await openSite(browser, site)
    await drawAll(page)
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined')
    expect(await page.$$('main img, main b, main i')).toHaveLength(0)
    const headings = await page.$$eval('section.group h2', (hs) => hs.map((h) => h.textContent))
    expect(headings).toContain(`parse ${HOSTILE}`)
    expect(await page.$$eval('.card h3', (hs) => hs.map((h) => h.textContent))).toContain(
      'time <b>bold</b>'
    )
    expect(errors).toEqual([])
    // The hostile names on screen, shown as the text they are.
    await page.locator('section.group h2', { hasText: 'parse' }).first().scrollIntoViewIfNeeded()
    await screenshot(page, 'dashboard-markup-as-text')
    await close()
  })

  it('switches testbed, filters by search, and fits a phone screen', async () => {
    const { page, errors, close } = await openSite(browser, site, '', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true
    })
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    const plot = await page.$eval('.card .uplot', (u) => u.getBoundingClientRect().width)
    expect(plot).toBeLessThanOrEqual(390)
    await screenshot(page, 'dashboard-phone')
    await page.fill('#search', 'no such metric')
    expect(await page.textContent('#none')).toContain('no such metric')
    await page.fill('#search', '')
    await page.selectOption('#testbed', 'gpu-a100')
    await page.waitForFunction("location.hash.includes('tb=gpu-a100')")
    await page.waitForSelector('.card[data-state="drawn"]')
    expect(await page.$$eval('.card', (cs) => cs.length)).toBe(3)
    expect(errors).toEqual([])
    await close()
  })
})
