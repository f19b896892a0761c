import { readdir, readFile } from 'node:fs/promises'

/*
 * The process table, read from /proc (Linux, where CI runners and GPU hosts are). It finds what a
 * benchmark left behind: processes still in its process group, and processes that left the group
 * (setsid, a daemon's double fork) but still carry the tag perf-gate put in the command's
 * environment, which every descendant inherits unless it clears its environment on purpose.
 * Elsewhere the table reads as unknown (null) and only the process group is ended, unlisted.
 */

export interface ProcessInfo {
  pid: number
  pgid: number
  /** The command line, shortened; the executable's name when the command line is unreadable. */
  command: string
}

/** The environment variable that tags every process a benchmark run starts. */
export const RUN_TAG_VAR = 'PERF_GATE_RUN_TAG'

const PROC = '/proc'
const COMMAND_CHARS = 80

/** Every process but this one, or null where there is no /proc to read. */
export async function listProcesses(): Promise<ProcessInfo[] | null> {
  let names: string[]
  try {
    names = await readdir(PROC)
  } catch {
    return null
  }
  const pids = names.filter((n) => /^\d+$/.test(n)).map(Number)
  const found = await Promise.all(pids.filter((p) => p !== process.pid).map(readProcess))
  return found.filter((p): p is ProcessInfo => p !== null)
}

/** The processes in process group `pgid`, or null where the table cannot be read. */
export async function groupMembers(pgid: number): Promise<ProcessInfo[] | null> {
  const all = await listProcesses()
  return all === null ? null : all.filter((p) => p.pgid === pgid)
}

/** Live processes whose environment carries `RUN_TAG_VAR=tag`, or null where unknown. */
export async function taggedProcesses(tag: string): Promise<ProcessInfo[] | null> {
  const all = await listProcesses()
  if (all === null) return null
  const needle = Buffer.from(`${RUN_TAG_VAR}=${tag}\0`)
  const tagged = await Promise.all(
    all.map(async (p) => {
      try {
        const env = await readFile(`${PROC}/${p.pid}/environ`)
        return env.includes(needle) ? p : null
      } catch {
        // Gone already, or another user's process: neither is ours to report.
        return null
      }
    })
  )
  return tagged.filter((p): p is ProcessInfo => p !== null)
}

async function readProcess(pid: number): Promise<ProcessInfo | null> {
  let stat: string
  try {
    stat = await readFile(`${PROC}/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
  const close = stat.lastIndexOf(')')
  const comm = stat.slice(stat.indexOf('(') + 1, close)
  const fields = stat.slice(close + 2).split(' ')
  // A zombie has exited; only its parent's wait is missing, and it holds nothing.
  if (fields[0] === 'Z') return null
  const pgid = Number(fields[2])
  let command = comm
  try {
    const cmdline = await readFile(`${PROC}/${pid}/cmdline`, 'utf8')
    const joined = cmdline.replace(/\0+$/, '').replace(/\0/g, ' ')
    if (joined) command = joined
  } catch {
    /* the name from stat will do */
  }
  const short = command.length > COMMAND_CHARS ? `${command.slice(0, COMMAND_CHARS - 1)}…` : command
  return { pid, pgid, command: short }
}

/** "sleep 301 (pid 4242), sleep 301 (pid 4243)", at most `max` of them, then a count. */
export function describeProcesses(list: readonly ProcessInfo[], max = 5): string {
  const shown = list.slice(0, max).map((p) => `${p.command} (pid ${p.pid})`)
  const more = list.length - shown.length
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '')
}
