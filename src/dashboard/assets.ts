import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

/*
 * The page's code and styles: uPlot (MIT, from node_modules) and the dashboard's own client. Read
 * from their files here; the bundle replaces this module with one holding the same texts (see
 * rollup.config.mjs), so the built action needs no node_modules and the site no network.
 */

export interface Assets {
  uplotJs: string
  uplotCss: string
  appJs: string
  appCss: string
}

export async function loadAssets(): Promise<Assets> {
  const require = createRequire(import.meta.url)
  const read = (file: string | URL) => readFile(file, 'utf8')
  return {
    uplotJs: await read(require.resolve('uplot/dist/uPlot.iife.min.js')),
    uplotCss: await read(require.resolve('uplot/dist/uPlot.min.css')),
    appJs: await read(new URL('./client/app.js', import.meta.url)),
    appCss: await read(new URL('./client/app.css', import.meta.url))
  }
}
