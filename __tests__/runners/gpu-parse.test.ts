import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  INVENTORY_FIELDS,
  LOOP_FIELDS,
  parseCudaVersion,
  parseGpuLine,
  tickFromLine
} from '../../src/runners/gpu-parse.js'

const DIR = path.resolve('fixtures/nvidia-smi')
const read = (f: string): string => readFileSync(path.join(DIR, f), 'utf8')
const lines = (f: string): string[] =>
  read(f)
    .split('\n')
    .filter((l) => l.trim())

describe('nvidia-smi CSV lines', () => {
  it('reads every GPU row of the dual-GPU sampling loop', () => {
    const ticks = lines('nvidia-smi-dual-gpu-lms.SYNTHETIC.csv').map((l, i) => tickFromLine(l, i))
    expect(ticks).toHaveLength(8)
    expect(ticks[4]).toEqual({
      at: 4,
      index: 0,
      memUsedMiB: 11206,
      memTotalMiB: 24564,
      utilPct: 61,
      powerW: 231.4
    })
    expect(ticks.map((t) => t?.index)).toEqual([0, 1, 0, 1, 0, 1, 0, 1])
  })

  it('turns [N/A], [Not Supported] and [Unknown Error] into unknown, never 0', () => {
    // Real lines quoted in nvidia-smi-real-lines.txt (i3pystatus #776 and #850).
    const fields = [
      'index',
      'memory.free',
      'memory.used',
      'temperature.gpu',
      'fan.speed',
      'utilization.gpu',
      'utilization.memory'
    ] as const
    for (const cell of ['[N/A]', '[Not Supported]', '[Unknown Error]']) {
      const row = parseGpuLine(`0, 2004, 0, 44, ${cell}, 0, 0`, fields)
      expect(row?.['fan.speed']).toBeNull()
      expect(row?.['memory.used']).toBe(0)
    }
    // A passively cooled card: fan.speed [N/A] while the GPU is 70 % busy.
    const [, dcLine] = lines('nvidia-smi-datacenter-lms.SYNTHETIC.csv')
    expect(parseGpuLine(dcLine, LOOP_FIELDS)?.['fan.speed']).toBeNull()
    expect(tickFromLine(dcLine, 0)).toMatchObject({
      utilPct: 70,
      memUsedMiB: 44980,
      powerW: 405.02
    })
    expect(
      tickFromLine('1, NVIDIA H100 80GB HBM3, 44980, 81559, 70, [N/A], 51, [N/A]', 0)?.powerW
    ).toBeNull()
  })

  it('accepts values with units, as printed without nounits', () => {
    // Verbatim capture #7 of nvidia-smi-real-lines.txt: header with units, then values with them.
    const fields = ['index', 'name', 'memory.used', 'utilization.gpu', 'power.draw'] as const
    const [header, gpu0, gpu1] = lines('nvidia-smi-real-lines.txt').filter((l) =>
      /^(index, name|[01], NVIDIA)/.test(l)
    )
    expect(parseGpuLine(header, fields)).toBeUndefined()
    expect(parseGpuLine(gpu0, fields)).toEqual({
      index: 0,
      name: 'NVIDIA GeForce RTX 3090',
      'memory.used': 1,
      'utilization.gpu': 0,
      'power.draw': 30.65
    })
    expect(parseGpuLine(gpu1, fields)?.['memory.used']).toBe(38742)
  })

  it('skips what is not a GPU row: headers, blanks, driver errors, short lines', () => {
    expect(tickFromLine('', 0)).toBeUndefined()
    expect(
      tickFromLine(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
        0
      )
    ).toBeUndefined()
    expect(tickFromLine('0, NVIDIA GeForce RTX 4090, 1, 24564', 0)).toBeUndefined()
    expect(tickFromLine('x, NVIDIA GeForce RTX 4090, 1, 24564, 0, 21.87, 38, 0', 0)).toBeUndefined()
  })

  it('reads the inventory query, with the baseline VRAM in use', () => {
    const rows = lines('inventory-datacenter.SYNTHETIC.csv').map((l) =>
      parseGpuLine(l, INVENTORY_FIELDS)
    )
    expect(rows[0]).toMatchObject({
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      driver_version: '550.54.15',
      'memory.total': 81559,
      'memory.used': 7
    })
    expect(rows[1]?.['memory.used']).toBeNull()
  })

  it('finds the CUDA version in the nvidia-smi banner', () => {
    expect(parseCudaVersion(read('banner-dual-quadro-535.txt'))).toBe('12.2')
    expect(parseCudaVersion('CUDA Version                              : 12.4')).toBe('12.4')
    expect(parseCudaVersion('no banner')).toBeUndefined()
  })
})
