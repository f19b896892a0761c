import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { SCREENSHOTS } from './browser.js'

/** A page of a built dashboard opened from file://, with every console error and page error kept. */
export interface OpenedPage {
  page: Page
  errors: string[]
  close: () => Promise<void>
}

export async function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath })
}

export async function openSite(
  browser: Browser,
  site: string,
  hash = '',
  context: BrowserContextOptions = {}
): Promise<OpenedPage> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...context })
  const page = await ctx.newPage()
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  const url = pathToFileURL(path.join(site, 'index.html')).href + (hash ? `#${hash}` : '')
  await page.goto(url)
  await page.waitForSelector('.card[data-state="drawn"]', { state: 'attached' })
  return { page, errors, close: () => ctx.close() }
}

/** Scrolls every benchmark group into view (charts are drawn as they come near) and waits for all. */
export async function drawAll(page: Page): Promise<void> {
  const groups = await page.$$('section.group:not(.hidden)')
  for (const g of groups) {
    await g.scrollIntoViewIfNeeded()
    await page.waitForFunction(
      (el) =>
        [...el.querySelectorAll('.card')].every((c) => c.getAttribute('data-state') === 'drawn'),
      g
    )
  }
}

/** Saves a screenshot under .perf-gate/screenshots/ for a person to look at. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const file = path.join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage })
  return file
}

/** A card's data attributes (what it drew), by their dataset names. */
export async function dataset(page: Page, selector: string): Promise<Record<string, string>> {
  return page.$eval(selector, (c) =>
    Object.fromEntries(
      [...c.attributes]
        .filter((a) => a.name.startsWith('data-'))
        .map((a) => [
          a.name.slice(5).replace(/-([a-z])/g, (_: string, l: string) => l.toUpperCase()),
          a.value
        ])
    )
  )
}

/** The page's URL hash without the #. */
export async function hashOf(page: Page): Promise<string> {
  return (await page.evaluate<string>('location.hash')).replace(/^#/, '')
}
