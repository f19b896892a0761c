import { existsSync } from 'node:fs'

/*
 * The browser the dashboard tests drive: Debian's chromium-headless-shell (apt-get install
 * chromium-headless-shell), or the binary PERF_GATE_CHROMIUM names. playwright-core downloads no
 * browser of its own. Without one the browser tests are skipped, saying so; CI installs it.
 */

const CANDIDATES = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium'
]

/** The browser binary, or null when none is installed. A PERF_GATE_CHROMIUM that is not there is an error. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env.PERF_GATE_CHROMIUM
  if (named) {
    if (!existsSync(named)) throw new Error(`PERF_GATE_CHROMIUM=${named}: no such file`)
    return named
  }
  return CANDIDATES.find((p) => existsSync(p)) ?? null
}

export const NO_BROWSER =
  'browser tests SKIPPED: no Chromium found (apt-get install chromium-headless-shell, or set PERF_GATE_CHROMIUM to a Chromium binary)'

/** Where the browser tests leave their screenshots for a person to look at (gitignored). */
export const SCREENSHOTS = '.perf-gate/screenshots'
