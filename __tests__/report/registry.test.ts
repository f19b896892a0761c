import { describe, expect, it } from '@jest/globals'
import { mergeRegistry, registryRows, type RegistryRow } from '../../src/report/registry.js'
import { readSet } from './golden-fixture.js'

const row = (over: Partial<RegistryRow> = {}): RegistryRow => ({
  model: 'llama3.2:3b',
  testbed: 'gpu-2x',
  decodeTps: 180,
  ttftMs: 96,
  vramPeakMiB: 4700,
  date: '2026-11-20',
  commit: '0123456789abcdef0123456789abcdef01234567',
  ...over
})

describe('registryRows', () => {
  it('takes one row per Ollama model: best decode, median TTFT, summed VRAM peaks', () => {
    const rows = registryRows(readSet('current.json'))
    expect(rows.map((r) => r.model)).toEqual([
      'llama3.2:3b-instruct-q4_K_M',
      'llama3.2:3b-instruct-q5_K_M'
    ])
    const q4 = rows[0]
    const decode = readSet('current.json').benchmarks[0].metrics.find(
      (m) => m.name === 'decode_tps'
    )!
    expect(q4.decodeTps).toBe(Math.max(...decode.samples))
    expect(q4.vramPeakMiB).toBe(2460 + 2300)
    expect(q4).toMatchObject({ testbed: 'gpu-2x', date: '2026-11-22' })
  })
})

describe('mergeRegistry', () => {
  it('starts a registry with a heading and the table', () => {
    const out = mergeRegistry(null, [row()])
    expect(out).toMatch(/^# Models registry\n/)
    expect(out).toContain(
      '| Model | Testbed | Best decode | TTFT (median) | VRAM peak | Date | Commit |'
    )
    expect(out).toContain(
      '| llama3.2:3b | gpu-2x | 180 tokens/s | 96 ms | 4,700 MiB | 2026-11-20 | `0123456` |'
    )
  })

  it('keeps other rows and the text around the table, and the best decode per model × testbed', () => {
    const first = mergeRegistry(null, [row(), row({ model: 'qwen3:8b', decodeTps: 90 })])
    const edited =
      first.replace('# Models registry', '# Our models\n\nHand-written intro.') + '\nFooter line.\n'
    const slower = mergeRegistry(edited, [row({ decodeTps: 170, date: '2026-11-22' })])
    expect(slower).toBe(edited)
    const faster = mergeRegistry(edited, [row({ decodeTps: 190, date: '2026-11-22' })])
    expect(faster).toContain('| llama3.2:3b | gpu-2x | 190 tokens/s |')
    expect(faster).not.toContain('| llama3.2:3b | gpu-2x | 180 tokens/s |')
    expect(faster).toContain('| qwen3:8b | gpu-2x | 90 tokens/s |')
    expect(faster).toContain('Hand-written intro.')
    expect(faster).toContain('Footer line.')
    // Another testbed is another row.
    const other = mergeRegistry(faster, [row({ testbed: 'cpu' })])
    expect(other.match(/^\| llama3\.2:3b \|/gm)).toHaveLength(2)
  })

  it('escapes model and testbed names', () => {
    const out = mergeRegistry(null, [row({ model: 'evil|<b>@x', testbed: 'a|b' })])
    const line = out.split('\n').find((l) => l.includes('evil'))!
    expect(line).toContain('evil\\|&lt;b&gt;@\u200Bx')
    expect(line).toContain('a\\|b')
    // Merging again finds the escaped row instead of adding a duplicate.
    expect(mergeRegistry(out, [row({ model: 'evil|<b>@x', testbed: 'a|b', decodeTps: 1 })])).toBe(
      out
    )
  })
})
