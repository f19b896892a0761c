/**
 * Where progress goes. The action sends it to @actions/core (collapsible groups in the log), the
 * CLI to stderr, tests to an array. Runners take it as a parameter so none of them imports core.
 */
export interface Reporter {
  info(message: string): void
  warning(message: string): void
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
}

export const silentReporter: Reporter = {
  info: () => undefined,
  warning: () => undefined,
  group: (_title, fn) => fn()
}

export function streamReporter(write: (line: string) => void): Reporter {
  return {
    info: (m) => write(m),
    warning: (m) => write(`warning: ${m}`),
    async group(title, fn) {
      write(`▶ ${title}`)
      return fn()
    }
  }
}

/**
 * "warm-up 1/1 · …", "run 3/10 · 1.2 s elapsed · ETA 9.6 s": each phase counted on its own scale
 * (warm-ups, measured runs), and the ETA the mean duration so far times every run left, of any
 * phase.
 */
export function progressLine(
  label: string,
  index: number,
  count: number,
  overall: { done: number; total: number; elapsedMs: number }
): string {
  const { done, total, elapsedMs } = overall
  const eta = done > 0 ? ((elapsedMs / done) * (total - done)) / 1000 : NaN
  const etaText = Number.isFinite(eta) ? ` · ETA ${formatSeconds(eta)}` : ''
  return `${label} ${index}/${count} · ${formatSeconds(elapsedMs / 1000)} elapsed${etaText}`
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  return `${m} min ${Math.round(s - m * 60)} s`
}
