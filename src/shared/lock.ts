import { randomBytes } from 'node:crypto'
import { readFileSync, unlinkSync } from 'node:fs'
import { open, readFile, stat, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { onCleanup } from './cleanup.js'
import { ensureDir } from './fs.js'

/*
 * A lock file for a read-change-write of a file that several perf-gate processes share (the local
 * ledger, whose hop log every run appends to; the models registry). `FILE.lock` is created with
 * O_EXCL, so exactly one process holds it; it records who holds it, so a lock left by a process
 * that was killed is recognised and taken over: its process is gone (same host), or it is older
 * than any read-change-write takes. Hand-written rather than proper-lockfile: that one judges
 * staleness by modification time alone, refreshes it on a timer (which a busy runner delays into
 * a "compromised lock" error thrown from a timer), and hooks the exit signals, which perf-gate
 * handles itself to end the benchmark's process group.
 */

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  timeoutMs?: number
  /** A lock older than this is taken as abandoned whoever holds it. */
  staleMs?: number
}

interface Holder {
  pid: number
  host: string
  token: string
  since: string
}

/** Another process held the lock for longer than the wait allowed. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError'
  constructor(
    readonly lockFile: string,
    readonly holder: string
  ) {
    super(`${lockFile} is held by ${holder}`)
  }
}

const DEFAULT_TIMEOUT_MS = 60_000
const DEFAULT_STALE_MS = 120_000
/** A lock file still empty after this long was left by a process killed as it created it. */
const EMPTY_STALE_MS = 5_000

/** Runs `fn` holding `FILE.lock`; the lock is released after, and on a signal. */
export async function withFileLock<T>(
  file: string,
  fn: () => Promise<T>,
  opts: LockOptions = {}
): Promise<T> {
  const lockFile = `${file}.lock`
  const token = randomBytes(8).toString('hex')
  await ensureDir(path.dirname(file))
  await acquire(lockFile, token, opts)
  const unregister = onCleanup({ run: () => releaseSync(lockFile, token) })
  try {
    return await fn()
  } finally {
    unregister()
    await release(lockFile, token)
  }
}

async function acquire(lockFile: string, token: string, opts: LockOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS
  const holder: Holder = {
    pid: process.pid,
    host: hostname(),
    token,
    since: new Date().toISOString()
  }
  const started = Date.now()
  let wait = 5
  for (;;) {
    if (await tryCreate(lockFile, JSON.stringify(holder))) return
    const seen = await readHolder(lockFile)
    if (seen && isStale(seen, staleMs)) {
      await breakLock(lockFile, seen)
      continue
    }
    if (Date.now() - started > timeoutMs) {
      throw new LockTimeoutError(lockFile, describe(seen))
    }
    await new Promise((r) => setTimeout(r, wait + Math.random() * wait))
    wait = Math.min(100, wait * 2)
  }
}

async function tryCreate(lockFile: string, content: string): Promise<boolean> {
  let handle
  try {
    handle = await open(lockFile, 'wx')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  }
  try {
    await handle.writeFile(content, 'utf8')
  } finally {
    await handle.close()
  }
  return true
}

/** Who holds the lock; `token: ''` for a file with no readable holder; null when it is gone. */
async function readHolder(lockFile: string): Promise<(Holder & { mtimeMs: number }) | null> {
  try {
    const [text, info] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)])
    let parsed: Partial<Holder> = {}
    try {
      parsed = JSON.parse(text) as Partial<Holder>
    } catch {
      /* being written, or cut short by a kill */
    }
    return {
      pid: typeof parsed.pid === 'number' ? parsed.pid : 0,
      host: typeof parsed.host === 'string' ? parsed.host : '',
      token: typeof parsed.token === 'string' ? parsed.token : '',
      since: typeof parsed.since === 'string' ? parsed.since : '',
      mtimeMs: info.mtimeMs
    }
  } catch {
    return null
  }
}

function isStale(h: Holder & { mtimeMs: number }, staleMs: number): boolean {
  const age = Date.now() - h.mtimeMs
  if (age > staleMs) return true
  if (h.token === '') return age > EMPTY_STALE_MS
  return h.host === hostname() && !alive(h.pid)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists, as another user's process.
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes an abandoned lock, unless it changed hands since it was judged: two waiters may judge
 * the same lock at once, and the second must not remove the lock the first has just taken. A
 * short-lived `.break` lock makes the re-check and the removal one step.
 */
async function breakLock(lockFile: string, judged: Holder & { mtimeMs: number }): Promise<void> {
  const breaker = `${lockFile}.break`
  if (!(await tryCreate(breaker, String(process.pid)))) {
    // Someone else is breaking it; a breaker killed midway leaves its file, so age it out.
    try {
      if (Date.now() - (await stat(breaker)).mtimeMs > EMPTY_STALE_MS) await unlink(breaker)
    } catch {
      /* gone already */
    }
    await new Promise((r) => setTimeout(r, 10))
    return
  }
  try {
    const now = await readHolder(lockFile)
    if (now && now.token === judged.token && now.mtimeMs === judged.mtimeMs) await unlink(lockFile)
  } catch {
    /* gone already */
  } finally {
    await unlink(breaker).catch(() => undefined)
  }
}

async function release(lockFile: string, token: string): Promise<void> {
  try {
    if (tokenOf(await readFile(lockFile, 'utf8')) === token) await unlink(lockFile)
  } catch {
    /* taken over as stale, or removed by hand: not ours to remove any more */
  }
}

function releaseSync(lockFile: string, token: string): void {
  try {
    if (tokenOf(readFileSync(lockFile, 'utf8')) === token) unlinkSync(lockFile)
  } catch {
    /* see release */
  }
}

function tokenOf(text: string): string | undefined {
  return (JSON.parse(text) as Partial<Holder>).token
}

function describe(h: Holder | null): string {
  if (!h || h.token === '') return 'another process'
  return `process ${h.pid} on ${h.host}${h.since ? ` since ${h.since}` : ''}`
}
