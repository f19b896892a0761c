import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { onCleanup } from '../shared/cleanup.js'
import { groupMembers, RUN_TAG_VAR, taggedProcesses, type ProcessInfo } from './process-table.js'

export interface ProcessResult {
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  wallMs: number
  /** The first STDOUT_LIMIT bytes of stdout ('' when `keepStdout` was false). */
  stdout: string
  /** How many bytes the command wrote to stdout in all. */
  stdoutBytes: number
  /** stdout passed STDOUT_LIMIT, so `stdout` holds only its start. */
  stdoutCapped: boolean
  /** stdout and stderr interleaved, last part only: shown when the command fails. */
  tail: string
  /** Processes the command left running in its process group; ended once it exited. */
  ended: ProcessInfo[]
  /**
   * Processes the command started that left its process group (setsid, a daemon) and were still
   * running once it exited. They are reported, not ended: perf-gate did not start them directly.
   */
  escaped: ProcessInfo[]
}

const TAIL_BYTES = 8 * 1024
export const STDOUT_LIMIT = 64 * 1024 * 1024
/** Between SIGTERM and SIGKILL: time for a server to shut down, short of GitHub's 7.5 s cancel window. */
export const KILL_GRACE_MS = 2000
/**
 * Once the command has exited, how long its pipes may stay silent before they are let go: a
 * process that escaped the group may hold them open for ever, and a command's own last output
 * is in the pipe already when it exits (the pipe's buffer is 64 KiB), so it drains in far less.
 */
const DRAIN_IDLE_MS = 250

export interface RunShellOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  timeoutMs: number
  /** What a signal's one line calls this command: "benchmark 'x'". */
  label?: string
  /** false when nothing reads stdout (format none, or a file named in `output:`). */
  keepStdout?: boolean
}

/**
 * Runs a shell command in its own process group, so a timeout or a signal ends the benchmark and
 * everything it started (a hung server would otherwise keep the job alive, or the GPU busy for
 * the next job). Once the command itself exits, whatever is left in its group is ended too, and
 * the result lists it, and any tagged process that escaped the group.
 */
export function runShell(command: string, opts: RunShellOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const tag = randomBytes(8).toString('hex')
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: opts.cwd,
      env: { ...opts.env, [RUN_TAG_VAR]: tag },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const pgid = child.pid
    const keep = opts.keepStdout !== false
    const out: Buffer[] = []
    let outBytes = 0
    let kept = 0
    let tail = ''
    let lastData = Date.now()
    const keepTail = (chunk: Buffer): void => {
      lastData = Date.now()
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES)
    }
    child.stdout.on('data', (c: Buffer) => {
      if (keep && kept < STDOUT_LIMIT) {
        const part = c.length <= STDOUT_LIMIT - kept ? c : c.subarray(0, STDOUT_LIMIT - kept)
        out.push(part)
        kept += part.length
      }
      outBytes += c.length
      keepTail(c)
    })
    child.stderr.on('data', keepTail)
    const unregister =
      pgid === undefined
        ? () => undefined
        : onCleanup({
            label: `${opts.label ?? 'the command'} (process group ${pgid})`,
            run: () => endGroup(pgid).then(() => undefined),
            now: () => signalGroup(pgid, 'SIGKILL')
          })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (pgid !== undefined) signalGroup(pgid, 'SIGKILL')
      else child.kill('SIGKILL')
    }, opts.timeoutMs)
    let closed = false
    child.on('close', () => {
      closed = true
    })
    // The pipes closed, or silent for DRAIN_IDLE_MS since the last output.
    const drained = (): Promise<void> =>
      new Promise((done) => {
        if (closed) return done()
        let timer: NodeJS.Timeout
        const check = (): void => {
          const idle = Date.now() - lastData
          if (idle >= DRAIN_IDLE_MS) done()
          else timer = setTimeout(check, DRAIN_IDLE_MS - idle)
        }
        timer = setTimeout(check, DRAIN_IDLE_MS)
        child.once('close', () => {
          clearTimeout(timer)
          done()
        })
      })
    child.on('error', (e) => {
      clearTimeout(timer)
      unregister()
      reject(e)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6
      void (async () => {
        const inGroup = pgid === undefined ? [] : await endGroup(pgid)
        const escaped = taggedProcesses(tag) ?? []
        // A process seen in the group as it called setsid counts once, as escaped.
        const ended = inGroup.filter((p) => !escaped.some((e) => e.pid === p.pid))
        // Silence counts from now: the command's last output may still be in the pipe, unread.
        lastData = Date.now()
        await drained()
        // What escaped may hold the pipes open for ever; the command's own output is read.
        child.stdout.destroy()
        child.stderr.destroy()
        unregister()
        resolve({
          code,
          signal,
          timedOut,
          wallMs,
          stdout: Buffer.concat(out).toString('utf8'),
          stdoutBytes: outBytes,
          stdoutCapped: outBytes > STDOUT_LIMIT,
          tail,
          ended,
          escaped
        })
      })().catch(reject)
    })
  })
}

/**
 * Ends what is left in process group `pgid`: SIGTERM, then SIGKILL after KILL_GRACE_MS. Returns
 * what was there (one unnamed entry where the process table cannot be read but the group lives).
 */
export async function endGroup(pgid: number, graceMs = KILL_GRACE_MS): Promise<ProcessInfo[]> {
  // One system call says whether anything is left, usually not; only then is the table read.
  if (!groupAlive(pgid)) return []
  const members = groupMembers(pgid)
  const left = members ?? [{ pid: pgid, pgid, command: 'process group' }]
  if (left.length === 0) return []
  signalGroup(pgid, 'SIGTERM')
  const gone = (): boolean =>
    !groupAlive(pgid) || (members !== null && (groupMembers(pgid) ?? []).length === 0)
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (gone()) return left
    await sleep(20)
  }
  signalGroup(pgid, 'SIGKILL')
  for (let i = 0; i < 50 && !gone(); i++) await sleep(20)
  return left
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    /* the group is gone already */
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** The last lines of a command's output, indented, for an error message. */
export function formatTail(tail: string, lines = 15): string {
  const kept = tail.replace(/\s+$/, '').split('\n').slice(-lines)
  if (kept.length === 0 || (kept.length === 1 && kept[0] === '')) return '  (no output)'
  return kept.map((l) => `  | ${l}`).join('\n')
}
