import type { Benchmark, Metric, ResultSet } from '../results/model.js'

/*
 * Figures across the cells of a matrix, each a metric of the cell it describes, so it has a
 * baseline, a verdict and a target like any other. Their samples are round-wise replicates: the
 * i-th sample of a figure uses the i-th measured round of every cell it reads. Rounds of one cell
 * are independent draws, so these replicates are too, and the figure's spread carries the noise
 * of every cell it reads (a ratio's log-variance is the sum of its parts'). Computed from the
 * result set alone, after the shards of a matrix are merged.
 */

export const SWEEP_METRICS = {
  /** aggregate_tps at c ÷ (c × aggregate_tps at c = 1): 1 is perfect batching. */
  batch_efficiency: { unit: 'ratio', direction: 'higher' },
  /**
   * First concurrency where aggregate_tps gains < 5 % while ttft_p95_ms still rises; from the
   * rounds that saturate, and left out when most do not.
   */
  saturation_concurrency: { unit: 'requests', direction: 'higher' },
  /** Largest concurrency whose share of requests meeting every SLO reaches the attainment. */
  slo_concurrency: { unit: 'requests', direction: 'higher' },
  /** decode_tps ÷ its value at the smallest depth and num_ctx. */
  context_degradation: { unit: 'ratio', direction: 'higher' },
  /** prompt_tps ÷ its value at the smallest depth and num_ctx. */
  context_degradation_prefill: { unit: 'ratio', direction: 'higher' }
} as const

export type SweepMetricName = keyof typeof SWEEP_METRICS

/** Aggregate throughput must gain at least this much per step up in concurrency. */
export const SATURATION_GAIN = 0.05

const DERIVED = new Set<string>(Object.keys(SWEEP_METRICS))

interface Cell {
  bench: Benchmark
  axes: Record<string, string | number | boolean>
}

function samplesOf(b: Benchmark, metric: string): number[] {
  return b.metrics.find((m) => m.name === metric)?.samples ?? []
}

function classOf(b: Benchmark): Metric['class'] {
  return b.metrics[0]?.class ?? 'non-critical'
}

function lineKey(axes: Cell['axes'], omit: readonly string[]): string {
  return JSON.stringify(
    Object.keys(axes)
      .filter((k) => !omit.includes(k))
      .sort()
      .map((k) => [k, axes[k]])
  )
}

function lines(cells: Cell[], omit: readonly string[]): Cell[][] {
  const out = new Map<string, Cell[]>()
  for (const c of cells) {
    const key = lineKey(c.axes, omit)
    out.set(key, [...(out.get(key) ?? []), c])
  }
  return [...out.values()]
}

function num(v: string | number | boolean | undefined): number {
  return typeof v === 'number' ? v : Number(v)
}

/** x[i] / (scale · y[i]) for the rounds both have, skipping a round with nothing to divide by. */
function ratioSamples(x: number[], y: number[], scale = 1): number[] {
  const out: number[] = []
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const a = x[i]
    const b = y[i]
    if (a > 0 && b > 0) out.push(a / (scale * b))
  }
  return out
}

type Added = Map<Benchmark, { metrics: Metric[]; notes: string[] }>

function add(added: Added, b: Benchmark, name: SweepMetricName, samples: number[]): void {
  if (samples.length === 0) return
  const def = SWEEP_METRICS[name]
  const entry = added.get(b) ?? { metrics: [], notes: [] }
  entry.metrics.push({
    name,
    unit: def.unit,
    direction: def.direction,
    class: classOf(b),
    samples,
    // Read from metrics that are gated already: gate them too only when asked (metrics: …).
    gate: false
  })
  added.set(b, entry)
}

function note(added: Added, b: Benchmark, text: string): void {
  const entry = added.get(b) ?? { metrics: [], notes: [] }
  entry.notes.push(text)
  added.set(b, entry)
}

function invalidRef(ref: Cell, cell: Cell, what: string, added: Added): boolean {
  const bad = [ref, cell].find((c) => c.bench.invalid)
  if (!bad) return false
  note(
    added,
    cell.bench,
    `${what}: not worked out, ${bad === cell ? 'this cell' : `the reference cell ${bad.bench.name}`} is invalid`
  )
  return true
}

function concurrencyFigures(line: Cell[], added: Added): void {
  const sorted = [...line].sort((a, b) => num(a.axes.concurrency) - num(b.axes.concurrency))
  const ref = sorted[0]
  if (!ref || sorted.length < 2) return
  const c0 = num(ref.axes.concurrency)
  if (c0 !== 1) {
    note(
      added,
      ref.bench,
      'batch_efficiency: not worked out, the concurrency axis has no 1 to measure a single stream'
    )
  } else {
    const single = samplesOf(ref.bench, 'aggregate_tps')
    for (const cell of sorted.slice(1)) {
      if (invalidRef(ref, cell, 'batch_efficiency', added)) continue
      const c = num(cell.axes.concurrency)
      add(
        added,
        cell.bench,
        'batch_efficiency',
        ratioSamples(samplesOf(cell.bench, 'aggregate_tps'), single, c)
      )
    }
  }
  if (sorted.some((c) => c.bench.invalid)) {
    note(added, ref.bench, 'saturation_concurrency: not worked out, a cell of this line is invalid')
    return
  }
  const agg = sorted.map((c) => samplesOf(c.bench, 'aggregate_tps'))
  const ttft = sorted.map((c) => samplesOf(c.bench, 'ttft_p95_ms'))
  const rounds = Math.min(...agg.map((a) => a.length), ...ttft.map((t) => t.length))
  const saturation: number[] = []
  for (let i = 0; i < rounds; i++) {
    for (let j = 1; j < sorted.length; j++) {
      const gain = (agg[j]?.[i] ?? 0) / (agg[j - 1]?.[i] ?? 1) - 1
      if (gain < SATURATION_GAIN && (ttft[j]?.[i] ?? 0) > (ttft[j - 1]?.[i] ?? 0)) {
        saturation.push(num(sorted[j]?.axes.concurrency))
        break
      }
    }
  }
  // A round that never saturates has no value to give; most rounds so means the axis ends first.
  if (rounds > 0 && saturation.length > rounds / 2) {
    add(added, ref.bench, 'saturation_concurrency', saturation)
  } else if (rounds > 0) {
    note(
      added,
      ref.bench,
      `saturation_concurrency: aggregate throughput still gained ≥ ${SATURATION_GAIN * 100} % per step up to concurrency ${num(sorted[sorted.length - 1]?.axes.concurrency)} in ${rounds - saturation.length} of ${rounds} rounds: the saturation point lies beyond the axis`
    )
  }
  const attainment = ref.bench.matrix?.sloAttainment
  if (attainment !== undefined) {
    const met = sorted.map((c) => samplesOf(c.bench, 'slo_attainment'))
    const n = Math.min(...met.map((m) => m.length))
    const largest: number[] = []
    for (let i = 0; i < n; i++) {
      let best = 0
      sorted.forEach((c, j) => {
        if ((met[j]?.[i] ?? 0) >= attainment) best = Math.max(best, num(c.axes.concurrency))
      })
      largest.push(best)
    }
    add(added, ref.bench, 'slo_concurrency', largest)
  }
}

function contextFigures(line: Cell[], added: Added): void {
  const key = (c: Cell): [number, number] => [
    c.axes.depth === undefined ? 0 : num(c.axes.depth),
    c.axes.num_ctx === undefined ? 0 : num(c.axes.num_ctx)
  ]
  const sorted = [...line].sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1])
  const ref = sorted[0]
  if (!ref || sorted.length < 2) return
  for (const cell of sorted.slice(1)) {
    if (invalidRef(ref, cell, 'context_degradation', added)) continue
    add(
      added,
      cell.bench,
      'context_degradation',
      ratioSamples(samplesOf(cell.bench, 'decode_tps'), samplesOf(ref.bench, 'decode_tps'))
    )
    add(
      added,
      cell.bench,
      'context_degradation_prefill',
      ratioSamples(samplesOf(cell.bench, 'prompt_tps'), samplesOf(ref.bench, 'prompt_tps'))
    )
  }
}

function distinct(cells: Cell[], axis: string): number {
  return new Set(cells.map((c) => String(c.axes[axis]))).size
}

/** The config's per-metric `gate` and `class` for a figure of a benchmark, if it sets any. */
export type FigureOverrides = (
  benchmark: string,
  metric: string
) => { gate?: boolean; class?: Metric['class'] } | undefined

/**
 * The set with every matrix entry's figures across cells added to its cells (replacing any worked
 * out before, so merging shards and working them out again gives the same set).
 */
export function withSweepFigures(set: ResultSet, overrides?: FigureOverrides): ResultSet {
  const entries = new Map<string, Cell[]>()
  for (const b of set.benchmarks) {
    if (!b.matrix || b.source?.kind !== 'ollama') continue
    const list = entries.get(b.matrix.entry) ?? []
    list.push({ bench: b, axes: b.matrix.axes })
    entries.set(b.matrix.entry, list)
  }
  if (entries.size === 0) return set
  const added: Added = new Map()
  for (const cells of entries.values()) {
    if (distinct(cells, 'concurrency') > 1) {
      for (const line of lines(cells, ['concurrency'])) concurrencyFigures(line, added)
    }
    if (distinct(cells, 'depth') > 1 || distinct(cells, 'num_ctx') > 1) {
      for (const line of lines(cells, ['depth', 'num_ctx'])) contextFigures(line, added)
    }
  }
  return {
    ...set,
    benchmarks: set.benchmarks.map((b) => {
      const extra = added.get(b)
      const kept = b.metrics.filter((m) => !DERIVED.has(m.name))
      if (!extra && kept.length === b.metrics.length) return b
      const notes = [
        ...(b.notes ?? []).filter(
          (n) => !Object.keys(SWEEP_METRICS).some((k) => n.startsWith(`${k}: `))
        ),
        ...(extra?.notes ?? [])
      ]
      const figures = (extra?.metrics ?? []).map((m) => {
        const o = overrides?.(b.name, m.name)
        return {
          ...m,
          ...(o?.class ? { class: o.class } : {}),
          ...(o?.gate !== undefined ? { gate: o.gate } : {})
        }
      })
      const out: Benchmark = { ...b, metrics: [...kept, ...figures] }
      if (notes.length) out.notes = notes
      else delete out.notes
      return out
    })
  }
}
