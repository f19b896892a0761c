import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { queryInventory, startGpuSampler } from '../../src/runners/gpu-sampler.js'

const FAKE = path.resolve('fixtures/nvidia-smi/fake-nvidia-smi.mjs')
const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, ...vars })

/** Bounded wait for the fake to have started (it writes its pid), so slow machines do not flake. */
async function started(pidFile: string): Promise<number> {
  for (let i = 0; i < 250; i++) {
    if (existsSync(pidFile)) return Number(readFileSync(pidFile, 'utf8'))
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('the fake nvidia-smi did not start')
}

function pidFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'pg-gpu-')), 'pid')
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('nvidia-smi inventory', () => {
  it('reads names, driver, VRAM, the baseline in use and the CUDA version', async () => {
    const result = await queryInventory(FAKE, { env: env() })
    expect(result).toEqual({
      ok: true,
      inventory: {
        gpus: [
          {
            index: 0,
            uuid: 'GPU-3c5e7a10-8f2b-4d6e-9a1c-0b7d2e4f6a81',
            name: 'NVIDIA GeForce RTX 4090',
            driver: '535.129.03',
            memTotalMiB: 24564,
            memUsedMiB: 1
          },
          {
            index: 1,
            uuid: 'GPU-9d4b2c71-1e8a-4f3d-b6c2-7a9e0f5d3b42',
            name: 'NVIDIA GeForce RTX 4090',
            driver: '535.129.03',
            memTotalMiB: 24564,
            memUsedMiB: 1
          }
        ],
        cudaVersion: '12.2'
      }
    })
  })

  it('tells a missing nvidia-smi from a broken one', async () => {
    expect(await queryInventory('/nonexistent/nvidia-smi')).toEqual({
      ok: false,
      missing: true,
      reason: '/nonexistent/nvidia-smi not found'
    })
    const broken = env({
      FAKE_NVSMI_FAIL:
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
    })
    expect(await queryInventory(FAKE, { env: broken })).toEqual({
      ok: false,
      missing: false,
      reason: `${FAKE} failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.`
    })
  })
})

describe('nvidia-smi sampler', () => {
  it('parses the loop line by line as it runs and stops the process', async () => {
    const file = pidFile()
    const sampler = startGpuSampler(FAKE, {
      intervalMs: 20,
      env: env({ FAKE_NVSMI_PIDFILE: file })
    })
    const pid = await started(file)
    // Five ticks (the fixture's four and a repeat) take 80 ms at 20 ms; allow far more.
    await new Promise((r) => setTimeout(r, 300))
    const { ticks, problem } = await sampler.stop()
    expect(problem).toBeUndefined()
    expect(ticks.length).toBeGreaterThanOrEqual(10)
    expect(ticks.slice(0, 8).map((t) => t.memUsedMiB)).toEqual([
      1, 1, 10844, 9958, 11206, 10312, 11206, 10312
    ])
    // Arrival times are stamped as lines come in, so they never go backwards.
    for (let i = 1; i < ticks.length; i++)
      expect(ticks[i].at).toBeGreaterThanOrEqual(ticks[i - 1].at)
    expect(alive(pid)).toBe(false)
  })

  it('says why sampling ended early', async () => {
    const file = pidFile()
    const sampler = startGpuSampler(FAKE, {
      intervalMs: 20,
      env: env({ FAKE_NVSMI_EXIT_AFTER: '1', FAKE_NVSMI_PIDFILE: file })
    })
    const pid = await started(file)
    for (let i = 0; i < 250 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20))
    const { ticks, problem } = await sampler.stop()
    expect(ticks).toHaveLength(2)
    expect(problem).toBe(`${FAKE} stopped sampling early (exit code 3)`)
  })

  it('reports a binary that cannot run instead of throwing', async () => {
    const { ticks, problem } = await startGpuSampler('/nonexistent/nvidia-smi').stop()
    expect(ticks).toEqual([])
    expect(problem).toMatch(
      /^\/nonexistent\/nvidia-smi could not run: spawn \/nonexistent\/nvidia-smi ENOENT/
    )
  })
})
