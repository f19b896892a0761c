import { readdirSync, readFileSync } from 'node:fs'

/*
 * The process table, read from /proc (Linux, where CI runners and GPU hosts are). It finds what a
 * benchmark left behind: processes still in its process group, and processes that left the group
 * (setsid, a daemon's double fork) but still carry the tag perf-gate put in the command's
 * environment, which every descendant inherits unless it clears its environment on purpose.
 * Elsewhere the table reads as unknown (null) and only the process group is ended, unlisted.
 *
 * Read synchronously, between runs: /proc lives in memory, and a hundred small reads queued on
 * libuv's four threads behind other work took ten times longer than reading them in turn.
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

/** The pids in the table but this process's, or null where there is no /proc to read. */
function pids(): number[] | null {
  let names: string[]
  try {
    names = readdirSync(PROC)
  } catch {
    return null
  }
  return names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => p !== process.pid)
}

/** The processes in process group `pgid`, or null where the table cannot be read. */
export function groupMembers(pgid: number): ProcessInfo[] | null {
  const all = pids()
  if (all === null) return null
  return all.flatMap((pid) => {
    const s = readStat(pid)
    return s && s.pgid === pgid ? [{ pid, pgid, command: commandOf(pid, s.comm) }] : []
  })
}

/** Live processes whose environment carries `RUN_TAG_VAR=tag`, or null where unknown. */
export function taggedProcesses(tag: string): ProcessInfo[] | null {
  const all = pids()
  if (all === null) return null
  const needle = Buffer.from(`${RUN_TAG_VAR}=${tag}\0`)
  return all.flatMap((pid) => {
    try {
      if (!readFileSync(`${PROC}/${pid}/environ`).includes(needle)) return []
    } catch {
      // Gone already, or another user's process: neither is ours to report.
      return []
    }
    const s = readStat(pid)
    return s ? [{ pid, pgid: s.pgid, command: commandOf(pid, s.comm) }] : []
  })
}

/** pgid and name from /proc/PID/stat; null for a zombie (it holds nothing) or a process gone. */
function readStat(pid: number): { pgid: number; comm: string } | null {
  let stat: string
  try {
    stat = readFileSync(`${PROC}/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
  const close = stat.lastIndexOf(')')
  const fields = stat.slice(close + 2).split(' ')
  if (fields[0] === 'Z') return null
  return { pgid: Number(fields[2]), comm: stat.slice(stat.indexOf('(') + 1, close) }
}

function commandOf(pid: number, comm: string): string {
  let command = comm
  try {
    const joined = readFileSync(`${PROC}/${pid}/cmdline`, 'utf8')
      .replace(/\0+$/, '')
      .replace(/\0/g, ' ')
    if (joined) command = joined
  } catch {
    /* the name from stat will do */
  }
  return command.length > COMMAND_CHARS ? `${command.slice(0, COMMAND_CHARS - 1)}…` : command
}

/** "sleep 301 (pid 4242), sleep 301 (pid 4243)", at most `max` of them, then a count. */
export function describeProcesses(list: readonly ProcessInfo[], max = 5): string {
  const shown = list.slice(0, max).map((p) => `${p.command} (pid ${p.pid})`)
  const more = list.length - shown.length
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '')
}
