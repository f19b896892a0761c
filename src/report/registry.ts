import { markdownTable } from 'markdown-table'
import { median } from 'simple-statistics'
import type { ResultSet } from '../results/model.js'
import { escapeMarkdown } from './escape.js'
import { formatDate, formatValue } from './format.js'
import { shortSha } from '../shared/text.js'

/*
 * docs/models/models-registry.md: one row per model × testbed with the best decode rate seen on
 * trusted baseline runs. Written only by baseline runs; rows of other models and testbeds are
 * kept as they are, so the table grows across runs and repositories can edit it by hand.
 */

export const REGISTRY_HEADER = [
  'Model',
  'Testbed',
  'Best decode',
  'TTFT (median)',
  'VRAM peak',
  'Date',
  'Commit'
]

export interface RegistryRow {
  model: string
  testbed: string
  decodeTps: number
  ttftMs?: number
  /** Sum of the per-GPU VRAM peaks. */
  vramPeakMiB?: number
  date: string
  commit: string | null
}

/** The rows a baseline run contributes: one per Ollama benchmark with a decode rate. */
export function registryRows(set: ResultSet): RegistryRow[] {
  const rows = new Map<string, RegistryRow>()
  for (const b of set.benchmarks) {
    const model = set.environment[`ollama.${b.name}.model`]
    const decode = b.metrics.find((m) => m.name === 'decode_tps')
    if (typeof model !== 'string' || !decode) continue
    const ttft = b.metrics.find((m) => m.name === 'ttft_ms')
    const vram = b.metrics.filter((m) => /^gpu\d+\.vram_peak_mib$/.test(m.name))
    const row: RegistryRow = {
      model,
      testbed: set.testbed,
      decodeTps: Math.max(...decode.samples),
      ...(ttft ? { ttftMs: median(ttft.samples) } : {}),
      ...(vram.length ? { vramPeakMiB: vram.reduce((s, m) => s + Math.max(...m.samples), 0) } : {}),
      date: formatDate(set.createdAt),
      commit: set.commit.sha
    }
    const key = `${model}\u0000${set.testbed}`
    const had = rows.get(key)
    if (!had || row.decodeTps > had.decodeTps) rows.set(key, row)
  }
  return [...rows.values()]
}

function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim())
}

function renderRow(r: RegistryRow): string[] {
  return [
    escapeMarkdown(r.model, { maxLength: 100 }),
    escapeMarkdown(r.testbed, { maxLength: 80 }),
    formatValue(r.decodeTps, 'tokens/s'),
    formatValue(r.ttftMs, 'ms'),
    formatValue(r.vramPeakMiB, 'MiB'),
    r.date,
    shortSha(r.commit) ? `\`${shortSha(r.commit)}\`` : 'n/a'
  ]
}

function decodeOf(cells: string[]): number {
  const v = Number((cells[2] ?? '').replace(/,/g, '').split(' ')[0])
  return Number.isFinite(v) ? v : -Infinity
}

/**
 * The registry after this run: existing rows kept byte for byte unless this run beats the best
 * decode rate of the same model × testbed. `existing` may be null (first run) or any markdown
 * with the table; text around the table is kept.
 */
export function mergeRegistry(existing: string | null, rows: readonly RegistryRow[]): string {
  const intro = [
    '# Models registry',
    '',
    'Best decode rate per model and testbed, from trusted baseline runs of perf-gate. Updated automatically; rows may be edited by hand.',
    ''
  ].join('\n')
  const text = existing ?? intro
  const lines = text.split('\n')
  const headerAt = lines.findIndex((l) => l.startsWith('| Model | Testbed |'))
  const before = headerAt >= 0 ? lines.slice(0, headerAt) : text.trimEnd().split('\n').concat([''])
  let end = headerAt >= 0 ? headerAt + 2 : -1
  const body: string[][] = []
  if (headerAt >= 0) {
    while (end < lines.length && (lines[end] ?? '').startsWith('|')) {
      body.push(cellsOf(lines[end] ?? ''))
      end++
    }
  }
  const after = headerAt >= 0 ? lines.slice(end) : []
  for (const r of rows) {
    const cells = renderRow(r)
    const at = body.findIndex((b) => b[0] === cells[0] && b[1] === cells[1])
    if (at < 0) body.push(cells)
    else if (r.decodeTps > decodeOf(body[at] ?? [])) body[at] = cells
  }
  body.sort(
    (a, b) => (a[0] ?? '').localeCompare(b[0] ?? '') || (a[1] ?? '').localeCompare(b[1] ?? '')
  )
  const table = markdownTable([REGISTRY_HEADER, ...body], { alignDelimiters: false })
  return [...before, table, ...after].join('\n').replace(/\n*$/, '\n')
}
