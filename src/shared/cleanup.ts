/*
 * Work that must be undone however the process ends: a temporary git worktree, say. A normal
 * return or an error runs the undo through the caller's own `finally`; a SIGINT or SIGTERM never
 * reaches that `finally`, so the registered functions run from the signal handler, after which the
 * process exits with the signal's conventional status (130, 143). Functions should be synchronous
 * where they can: the handler waits for promises, but a second signal exits at once.
 */

type Cleanup = () => void | Promise<void>

const registered = new Set<Cleanup>()
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const
let installed = false
let exiting = false

/** Runs every registered function once, newest first; failures are ignored. */
export async function runCleanups(): Promise<void> {
  const fns = [...registered].reverse()
  registered.clear()
  for (const fn of fns) {
    try {
      await fn()
    } catch {
      // Best effort: one failed undo must not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return
  installed = true
  for (const [signal, status] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      if (exiting) process.exit(status)
      exiting = true
      void runCleanups().finally(() => process.exit(status))
    })
  }
}

/**
 * Registers `fn` to run if the process is stopped by SIGINT or SIGTERM before the returned
 * function is called. Call the returned function once the work is undone the normal way.
 */
export function onCleanup(fn: Cleanup): () => void {
  install()
  registered.add(fn)
  return () => {
    registered.delete(fn)
  }
}
