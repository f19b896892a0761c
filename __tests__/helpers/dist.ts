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
