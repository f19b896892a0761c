import { execFile, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { onCleanup } from '../shared/cleanup.js'
import {
  INVENTORY_FIELDS,
  LOOP_FIELDS,
  numberCell,
  parseCudaVersion,
  parseGpuLine,
  textCell,
  tickFromLine,
  type GpuTick
} from './gpu-parse.js'

export interface GpuInfo {
  index: number
  uuid: string | null
  name: string | null
  driver: string | null
  memTotalMiB: number | null
  /** Read with no model loaded: the baseline VRAM deltas are taken against. */
  memUsedMiB: number | null
}

export interface GpuInventory {
  gpus: GpuInfo[]
  cudaVersion?: string
}

export type InventoryResult =
  { ok: true; inventory: GpuInventory } | { ok: false; missing: boolean; reason: string }

export interface ProbeOptions {
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

function run(
  bin: string,
  args: string[],
  opts: ProbeOptions
): Promise<{ stdout: string; stderr: string }> {
  const options = {
    timeout: opts.timeoutMs ?? 10_000,
    encoding: 'utf8' as const,
    env: opts.env ?? process.env
  }
  return new Promise((resolve, reject) => {
    execFile(bin, args, options, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr })
      // The driver's complaint is in the output, which the error alone does not carry.
      reject(Object.assign(new Error(error.message), { code: error.code, stdout, stderr }))
    })
  })
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  )
}

/** GPU names, driver and VRAM for the fingerprint, and the VRAM in use right now. */
export async function queryInventory(
  bin: string,
  opts: ProbeOptions = {}
): Promise<InventoryResult> {
  let stdout: string
  try {
    ;({ stdout } = await run(
      bin,
      [`--query-gpu=${INVENTORY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'],
      opts
    ))
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string }
    if (err.code === 'ENOENT') return { ok: false, missing: true, reason: `${bin} not found` }
    // A broken driver prints its reason on stdout ("NVIDIA-SMI has failed because …").
    const why = firstLine(err.stderr ?? '') || firstLine(err.stdout ?? '') || err.message
    return { ok: false, missing: false, reason: `${bin} failed: ${why}` }
  }
  const gpus: GpuInfo[] = []
  for (const line of stdout.split('\n')) {
    const row = parseGpuLine(line, INVENTORY_FIELDS)
    if (!row) continue
    gpus.push({
      index: row.index as number,
      uuid: textCell(row.uuid),
      name: textCell(row.name),
      driver: textCell(row.driver_version),
      memTotalMiB: numberCell(row['memory.total']),
      memUsedMiB: numberCell(row['memory.used'])
    })
  }
  if (gpus.length === 0) {
    return { ok: false, missing: false, reason: `${bin} lists no GPU: ${firstLine(stdout)}` }
  }
  const inventory: GpuInventory = { gpus }
  try {
    const banner = await run(bin, [], opts)
    const cuda = parseCudaVersion(banner.stdout)
    if (cuda) inventory.cudaVersion = cuda
  } catch {
    // The CUDA version is a nicety of the fingerprint; the GPU metrics do not need it.
  }
  return { ok: true, inventory }
}

export interface GpuSampler {
  /**
   * Resolves once the first tick is in (nvidia-smi prints one at start), the process has ended,
   * or `timeoutMs` passed: a benchmark shorter than one interval still gets a sample.
   */
  ready(timeoutMs: number): Promise<void>
  /** Stops nvidia-smi and returns every tick; `problem` says why sampling ended early, if it did. */
  stop(): Promise<{ ticks: GpuTick[]; problem?: string }>
}

/** nvidia-smi repeats the driver's averaged value below about 200 ms, so finer is no better. */
export const SAMPLE_INTERVAL_MS = 200
const KILL_GRACE_MS = 2000

/** Runs `nvidia-smi … -lms <interval>` until stopped, parsing each line as it arrives. */
export function startGpuSampler(
  bin: string,
  opts: { intervalMs?: number; env?: NodeJS.ProcessEnv } = {}
): GpuSampler {
  const intervalMs = opts.intervalMs ?? SAMPLE_INTERVAL_MS
  const ticks: GpuTick[] = []
  let stderr = ''
  let stopping = false
  let problem: string | undefined
  let firstTick: (() => void) | undefined
  const first = new Promise<void>((resolve) => {
    firstTick = resolve
  })
  const child = spawn(
    bin,
    [
      `--query-gpu=${LOOP_FIELDS.join(',')}`,
      '--format=csv,noheader,nounits',
      '-lms',
      String(intervalMs)
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env }
  )
  createInterface({ input: child.stdout }).on('line', (line) => {
    const tick = tickFromLine(line, performance.now())
    if (tick) {
      ticks.push(tick)
      firstTick?.()
    }
  })
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-2000)
  })
  // A signal must not leave nvidia-smi sampling (it is not in a group of its own to be ended with).
  const unregister = onCleanup({
    run: () => void child.kill('SIGTERM'),
    now: () => void child.kill('SIGKILL')
  })
  const ended = new Promise<void>((resolve) => {
    child.on('error', (e) => {
      problem = `${bin} could not run: ${e.message}`
      unregister()
      resolve()
    })
    child.on('close', (code, signal) => {
      unregister()
      if (!stopping && !problem) {
        const why = firstLine(stderr) || (code !== null ? `exit code ${code}` : `signal ${signal}`)
        problem = `${bin} stopped sampling early (${why})`
      }
      resolve()
    })
  })
  return {
    async ready(timeoutMs) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      })
      await Promise.race([first, ended, timeout])
      clearTimeout(timer)
    },
    async stop() {
      stopping = true
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
      await ended
      clearTimeout(killer)
      return problem ? { ticks, problem } : { ticks }
    }
  }
}
