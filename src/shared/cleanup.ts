import { constants } from 'node:os'

/*
 * What must be undone when perf-gate is stopped by a signal: benchmark process groups still
 * running, temporary files, held locks, git worktrees. Whatever creates such a thing registers
 * its undo here and unregisters it once done with it; the entry points call `stopOnSignals`, which
 * on SIGINT, SIGTERM or SIGHUP runs every registered undo, prints one line saying what was
 * stopped and exits 128 + the signal's number (130, 143, 129). Node's default for these signals
 * is to exit at once, and a benchmark runs in its own process group (so a timeout can end all of
 * it), which a terminal's Ctrl-C does not reach: without this, it would keep running.
 */

export interface Cleanup {
  /**
   * What this stops, for the line printed on a signal ("benchmark 'x' (process group 123)").
   * Housekeeping (a temporary file, a lock) has none and goes unmentioned.
   */
  label?: string
  /** The orderly undo: may wait (a grace period before SIGKILL, say). */
  run(): Promise<void> | void
  /**
   * The undo when there is no time left (a second signal, or the process exiting with this
   * still registered): synchronous, no waiting.
   */
  now?(): void
}

const pending = new Set<Cleanup>()
let stopping: NodeJS.Signals | null = null
let exitHookInstalled = false

/** Registers `cleanup` until the returned function is called. */
export function onCleanup(cleanup: Cleanup): () => void {
  installExitHook()
  pending.add(cleanup)
  return () => {
    pending.delete(cleanup)
  }
}

/** The signal perf-gate is stopping on, or null: output after it would only be noise. */
export function stoppingOn(): NodeJS.Signals | null {
  return stopping
}

/**
 * Runs every registered undo at once (one benchmark runs at a time, but a lock or a temporary
 * file may be held beside it), waiting at most `deadlineMs`. Returns the labels of what it stopped.
 */
export async function runCleanups(deadlineMs = 10_000): Promise<string[]> {
  const all = [...pending]
  pending.clear()
  const labels = all.flatMap((c) => (c.label ? [c.label] : []))
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, deadlineMs)
  })
  await Promise.race([
    Promise.allSettled(all.map(async (c) => c.run())),
    deadline.then(() => {
      for (const c of all) safely(() => c.now?.())
    })
  ])
  clearTimeout(timer)
  return labels
}

/** Every undo, synchronously: the process is going away now. */
export function runCleanupsNow(): void {
  const all = [...pending]
  pending.clear()
  for (const c of all) safely(() => (c.now ? c.now() : void c.run()))
}

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0)
}

/**
 * Installs the handlers for SIGINT, SIGTERM and SIGHUP: the first runs every undo and exits with
 * 128 + the signal's number after writing one line; a second one while that runs (Ctrl-C twice)
 * ends what is left at once. `exit` is for tests.
 */
export function stopOnSignals(opts: {
  write: (line: string) => void
  exit?: (code: number) => void
}): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code))
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      runCleanupsNow()
      exit(signalExitCode(stopping))
      return
    }
    stopping = signal
    void runCleanups().then((labels) => {
      const what = labels.length ? `ended ${labels.join(', ')}` : 'nothing was running'
      safely(() => opts.write(`perf-gate: stopped by ${signal}: ${what}`))
      exit(signalExitCode(signal))
    })
  }
  for (const s of STOP_SIGNALS) process.on(s, handler)
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handler)
    stopping = null
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // A process that exits with a benchmark still registered (an uncaught error, process.exit
  // elsewhere) must not leave it running.
  process.on('exit', runCleanupsNow)
}

function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    /* an undo that fails must not keep the others from running */
  }
}
