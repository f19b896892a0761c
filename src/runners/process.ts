import { spawn } from 'node:child_process'

export interface ProcessResult {
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  wallMs: number
  stdout: string
  /** stdout and stderr interleaved, last part only: shown when the command fails. */
  tail: string
}

const TAIL_BYTES = 8 * 1024
const STDOUT_LIMIT = 64 * 1024 * 1024

/**
 * Runs a shell command in its own process group, so a timeout kills the benchmark and everything
 * it started (a hung server would otherwise keep the job alive).
 */
export function runShell(
  command: string,
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    let outBytes = 0
    let tail = ''
    const keepTail = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES)
    }
    child.stdout.on('data', (c: Buffer) => {
      if (outBytes < STDOUT_LIMIT) out.push(c)
      outBytes += c.length
      keepTail(c)
    })
    child.stderr.on('data', keepTail)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, opts.timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6
      resolve({ code, signal, timedOut, wallMs, stdout: Buffer.concat(out).toString('utf8'), tail })
    })
  })
}

/** The last lines of a command's output, indented, for an error message. */
export function formatTail(tail: string, lines = 15): string {
  const kept = tail.replace(/\s+$/, '').split('\n').slice(-lines)
  if (kept.length === 0 || (kept.length === 1 && kept[0] === '')) return '  (no output)'
  return kept.map((l) => `  | ${l}`).join('\n')
}
