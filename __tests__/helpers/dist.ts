import { spawnSync } from 'node:child_process'
import path from 'node:path'

export interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a committed bundle the way a runner or a user does: a fresh `node` process. */
export function runDist(
  entry: 'cli.js' | 'index.js',
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
): Ran {
  const r = spawnSync(process.execPath, [path.resolve('dist', entry), ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env },
    encoding: 'utf8',
    timeout: 120_000
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/**
 * The same, without blocking this process: for a bundle that talks to a stand-in living here
 * (spawnSync would stop the stand-in from answering).
 */
export async function runDistAsync(
  entry: 'cli.js' | 'index.js',
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
): Promise<Ran> {
  const { spawn } = await import('node:child_process')
  const child = spawn(process.execPath, [path.resolve('dist', entry), ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(killer)
  return { code, stdout, stderr }
}
