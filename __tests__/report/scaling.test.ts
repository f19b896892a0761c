import { describe, expect, it } from '@jest/globals'
import { renderCheckRun } from '../../src/report/check-run.js'
import { MAX_COMMENT_LENGTH, renderLedger } from '../../src/report/ledger.js'
import { renderReportFile } from '../../src/report/report-file.js'
import { renderScaling } from '../../src/report/scaling.js'
import { renderReport } from '../../src/report/summary.js'
import { sweepViews } from '../../src/report/sweep-view.js'
import { targetEvidence, targeted } from '../../src/report/targets.js'
import type { Benchmark, Metric, ResultSet } from '../../src/results/model.js'
import { compareResultSets, noBaselineOutcome } from '../../src/stats/compare-sets.js'
import { withSweepFigures } from '../../src/stats/sweep.js'
import { applyTargets } from '../../src/stats/targets.js'
import type { TargetSpec } from '../../src/stats/types.js'
import type { GateReport } from '../../src/types/report.js'
import { resultSet } from '../helpers/results.js'

/*
 * The Scaling section and the targets, rendered from a report built the way the engine builds it:
 * cells with samples, the figures across them, the gate, the targets, the sweep views.
 */

function m(name: string, unit: string, samples: number[], direction?: 'higher' | 'lower'): Metric {
  return {
    name,
    unit,
    direction: direction ?? (unit === 'ms' ? 'lower' : 'higher'),
    class: 'core',
    samples
  }
}

const spread = (v: number, n = 10): number[] =>
  Array.from({ length: n }, (_, i) => v * (1 + (i - (n - 1) / 2) * 0.002))

/** A cell of a model served at `c` requests at once, `depth` tokens deep; rates scaled by `speed`. */
function cell(
  model: string,
  c: number,
  depth: number,
  speed: number,
  extra: Partial<Benchmark> = {}
) {
  const single = 50 * speed * (1 - depth / 40000)
  const aggregate = (single * c) / (1 + 0.3 * (c - 1)) / (c >= 8 ? 1.55 : 1)
  const axes = { model, concurrency: c, depth }
  return {
    name: `chat[concurrency=${c},depth=${depth},model=${model}]`,
    source: { kind: 'ollama' as const, format: 'generate' },
    matrix: { entry: 'chat', axes },
    metrics: [
      m('decode_tps', 'tokens/s', spread(single / (1 + 0.3 * (c - 1)))),
      m('prompt_tps', 'tokens/s', spread(2000 * speed * (1 - depth / 20000))),
      m('aggregate_tps', 'tokens/s', spread(aggregate)),
      m('per_user_tps', 'tokens/s', spread(single / (1 + 0.3 * (c - 1)))),
      m('ttft_p95_ms', 'ms', spread(100 * c + depth / 20)),
      m(
        'accuracy',
        'fraction',
        Array.from({ length: 10 }, (_, i) => (model === 'q4' && i === 0 ? 0 : 1))
      ),
      m('vram_ratio', 'ratio', [1], 'higher'),
      { ...m('gpu0.vram_delta_mib', 'MiB', [9000], 'lower'), gate: false },
      { ...m('gpu1.vram_delta_mib', 'MiB', [model === 'q5' ? 8000 : 0], 'lower'), gate: false }
    ],
    ...extra
  } satisfies Benchmark
}

function sweep(models = ['q4', 'q5'], cs = [1, 2, 4, 8], depths = [0, 8192]): ResultSet {
  const cells: Benchmark[] = []
  for (const model of models) {
    for (const c of cs) {
      for (const depth of depths) cells.push(cell(model, c, depth, model === 'q4' ? 1.31 : 1))
    }
  }
  return withSweepFigures(resultSet(cells))
}

const TARGETS: TargetSpec[] = [
  { metric: 'decode_tps', op: '>=', bound: 45, text: '>= 45' },
  { metric: 'ttft_p95_ms', op: '<=', bound: 800, text: '<= 800' },
  { metric: 'batch_efficiency', op: '>=', bound: 0.6, text: '>= 0.6' }
]

function report(current: ResultSet, baseline: ResultSet | null = null): GateReport {
  const outcome = applyTargets(
    baseline ? compareResultSets(baseline, current) : noBaselineOutcome(current, 'no baseline yet'),
    current,
    () => TARGETS
  )
  return {
    outcome,
    testbed: 'dual-5090',
    current: { sha: 'b'.repeat(40), createdAt: '2026-11-22T10:00:00.000Z' },
    baseline: baseline ? { sha: 'a'.repeat(40), createdAt: '2026-11-21T10:00:00.000Z' } : null,
    timestamp: '2026-11-22T10:00:00.000Z',
    sweeps: sweepViews(current)
  }
}

describe('the Scaling section', () => {
  const current = sweep()
  const r = report(current)
  const scaling = renderScaling(r) ?? ''

  it('draws aggregate throughput and TTFT p95 against concurrency, one line per model', () => {
    expect(scaling).toContain('### chat')
    expect(scaling).toContain('title "Aggregate tokens per s by concurrency at depth 0"')
    expect(scaling).toContain('x-axis ["1", "2", "4", "8"]')
    const agg = scaling.split('```mermaid')[1] ?? ''
    expect(agg.match(/^ {4}line \[/gm)).toHaveLength(2)
    // The pink saturation bar first (below), then the lines.
    expect(agg).toContain('"plotColorPalette": "#f4b6c2, #4e79a7, #f28e2b"')
    expect(scaling).toContain('Lines: blue q4 · orange q5.')
    // The TTFT target is drawn as a grey line at 800.
    const ttft = scaling.split('```mermaid')[2] ?? ''
    expect(ttft).toContain('line [800, 800, 800, 800]')
    expect(scaling).toContain('grey target ≤ 800')
  })

  it('draws per-user against aggregate throughput, and decode speed against depth', () => {
    expect(scaling).toContain('quadrantChart')
    expect(scaling).toMatch(/^ {4}q4 c8: \[\d/m)
    expect(scaling).toContain('title "Decode tokens per s by context depth at concurrency 1"')
  })

  it('draws the saturation point: a pink bar, under the lines, at the concurrency it is reached', () => {
    const numbers = (row: string | undefined): number[] =>
      (row ?? '')
        .replace(/^.*\[|\]$/g, '')
        .split(', ')
        .map(Number)
    for (const block of scaling
      .split('```mermaid')
      .slice(1, 3)
      .map((b) => b.split('```')[0] ?? '')) {
      const rows = block.split('\n').map((l) => l.trim())
      const bars = rows.filter((l) => l.startsWith('bar ['))
      const lines = rows.filter((l) => l.startsWith('line ['))
      expect(bars).toHaveLength(1)
      // Declared first, so it takes the palette's first colour and is drawn under the lines.
      expect(rows.findIndex((l) => l.startsWith('bar ['))).toBeLessThan(
        rows.findIndex((l) => l.startsWith('line ['))
      )
      expect(block).toContain('"plotColorPalette": "#f4b6c2, #4e79a7, #f28e2b')
      // Both models saturate at 8: 0 at 1, 2 and 4, and at 8 the higher of the two lines there.
      const [q4, q5] = lines.map(numbers)
      expect(numbers(bars[0])).toEqual([0, 0, 0, Math.max(q4?.[3] ?? NaN, q5?.[3] ?? NaN)])
      // The axis starts at 0, where the bars do.
      expect(block).toMatch(/y-axis "[^"]+" 0 --> /)
    }
    expect(scaling).toContain(
      'Pink bar: the saturation point, q4 at concurrency 8, q5 at concurrency 8.'
    )
    // Not on the chart against depth, which has no saturation point.
    const decode = scaling.split('```mermaid')[4]?.split('```')[0] ?? ''
    expect(decode).toContain('Decode tokens per s by context depth')
    expect(decode).not.toContain('bar [')
  })

  it('draws no saturation bar where no line saturates', () => {
    // From 1 to 2 requests at once, aggregate throughput still gains 54 %.
    const text = renderScaling(report(sweep(['q4', 'q5'], [1, 2], [0]))) ?? ''
    expect(text).toContain('does not saturate up to concurrency 2')
    expect(text).toContain('title "Aggregate tokens per s by concurrency"')
    expect(text).not.toContain('bar [')
    expect(text).not.toContain('Pink bar')
  })

  it('says where each line saturates: aggregate gains under 5 % while TTFT p95 still rises', () => {
    expect(scaling).toContain('q4 saturates at concurrency 8 (90 % CI 8 … 8)')
    expect(scaling).toContain('q5 saturates at concurrency 8')
  })

  it('sets the models side by side: speed ratio and accuracy', () => {
    expect(scaling).toContain(
      '- q5 is 1.31× slower than q4 (decode tokens/s); accuracy 1 vs 0.9, at concurrency=1, depth=0'
    )
  })

  it('lists every cell with its numbers, targets missed and placement', () => {
    expect(scaling).toContain(
      '| Cell | Aggregate tok/s | Per-user tok/s | TTFT p95 ms | Batch eff. | Decode tok/s | Ctx degr. | Accuracy | Placement |'
    )
    expect(scaling).toMatch(/\| concurrency=8, depth=8192, model=q5 \| .* ❌ \|/)
    expect(scaling).toContain('all in VRAM, GPU 0 only')
    expect(scaling).toContain('all in VRAM, split over GPUs 0, 1')
  })

  it('is in the job summary and the report file, and absent without a matrix', () => {
    expect(renderReport(r)).toContain('## Scaling\n\n### chat')
    expect(renderReport(r)).toContain('## Targets')
    const file = renderReportFile({ report: r, current, baseline: null })
    expect(file).toContain('## Scaling')
    expect(file).toContain('### chat: each model against q4 (A)')
    expect(renderScaling({ ...r, sweeps: [] })).toBeNull()
  })

  it('names invalid cells and keeps them out of the figures', () => {
    const cells = sweep().benchmarks.map((b) =>
      b.name === 'chat[concurrency=1,depth=0,model=q5]'
        ? { ...b, invalid: 'partial-offload: only 80 % of q5 is in VRAM' }
        : b
    )
    const text = renderScaling(report(withSweepFigures({ ...current, benchmarks: cells }))) ?? ''
    expect(text).toContain(
      'Invalid, shown but not gated: concurrency=1, depth=0, model=q5 (partial-offload: only 80 % of q5 is in VRAM).'
    )
    expect(text).toContain('**invalid**')
  })

  it('escapes what the config and the server named', () => {
    const hostile = withSweepFigures(
      resultSet([
        cell('q4`<img src=x>"]%%{init}', 1, 0, 1),
        cell('q4`<img src=x>"]%%{init}', 2, 0, 1)
      ])
    )
    const text = renderScaling(report(hostile)) ?? ''
    expect(text).not.toContain('<img')
    const mermaid = text
      .split('```mermaid')
      .slice(1)
      .map((b) => b.split('```')[0] ?? '')
    for (const block of mermaid) {
      expect(block).not.toMatch(/%%\{init\}|`|<img/)
    }
  })
})

describe('targets in the ledger and the check run', () => {
  it('writes each target in the evidence grammar', () => {
    const base = resultSet([
      { name: 'inference', metrics: [m('decode_tps', 'tokens/s', spread(42.5))] }
    ])
    const cur = resultSet([
      { name: 'inference', metrics: [m('decode_tps', 'tokens/s', spread(41.2))] }
    ])
    const outcome = applyTargets(compareResultSets(base, cur), cur, () => [TARGETS[0]])
    const [row] = targeted(outcome.comparisons)
    expect(targetEvidence(row)).toBe(
      'perf: inference/decode_tps: 41.2 tokens/s; target ≥ 45; Δ vs baseline: -3.1%'
    )
  })

  const current = sweep()
  const r = report(current)

  it('gives missed targets lines of their own in the gates row and lists all in the details', () => {
    const ledger = renderLedger(null, r)
    const row = ledger.split('\n').find((l) => l.startsWith('| perf |')) ?? ''
    expect(row).toMatch(/^\| perf \| ❌ fail \| `perf: no baseline yet`<br>❌ `perf: chat\[/)
    expect(row).toContain('; target ≥ 45; Δ vs baseline: n/a`')
    expect(ledger).toMatch(/Targets missed \(\d+ of \d+\):/)
    expect(ledger).toContain('Sweep chat: 16 cells · saturation q4 c=8, q5 c=8')
    expect(ledger).toMatch(
      /<summary>perf: .*; targets: \d+ missed, (\d+ undecided, )?\d+ met<\/summary>/
    )
  })

  it('puts the targets table in the check run text and their lines in the summary', () => {
    const payload = renderCheckRun(r, { headSha: 'b'.repeat(40) })
    expect(payload.conclusion).toBe('failure')
    expect(payload.output.title).toMatch(/^perf: no baseline yet, \d+ targets missed \(fail\)$/)
    expect(
      payload.output.text.startsWith(
        '### Targets\n\n| Benchmark | Metric | Value | 90 % CI | Target | Verdict |'
      )
    ).toBe(true)
    expect(payload.output.summary).toMatch(
      /^- ❌ `perf: chat\[.*; target .*; Δ vs baseline: n\/a`$/m
    )
  })

  it('keeps a 64-cell matrix within GitHub’s limits', () => {
    const big = sweep(['q4', 'q5', 'q6', 'q8'], [1, 2, 4, 8], [0, 2048, 4096, 8192])
    expect(big.benchmarks).toHaveLength(64)
    const rep = report(big, sweep(['q4', 'q5', 'q6', 'q8'], [1, 2, 4, 8], [0, 2048, 4096, 8192]))
    const ledger = renderLedger(null, rep)
    expect(ledger.length).toBeLessThan(MAX_COMMENT_LENGTH)
    // The worst cells, at most 100 rows; the rest counted, listed in the check run and summary.
    const rows = ledger.split('\n').filter((l) => l.startsWith('| chat'))
    expect(rows.length).toBeLessThanOrEqual(100)
    expect(ledger).toMatch(/… \d+ more rows/)
    expect(Buffer.byteLength(renderReport(rep))).toBeLessThan(1 << 20)
  })
})
