import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Benchmark, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { JsonReader } from '../read/checks.js'
import type { Importer, ImportInput } from '../read/types.js'

/**
 * criterion's files under `target/criterion/<id>/new/`: `sample.json` (`iters` and total `times`
 * in ns per sample: every sample, which is what the gate wants) and `estimates.json` (only the
 * estimates: the slope, or the mean when criterion sampled flat, as one sample). Neither file
 * names its benchmark: the `benchmark.json` beside it does (`full_id`), otherwise the folders
 * between `criterion/` and `new/` do. With a throughput in benchmark.json, a throughput metric
 * is derived per sample. Import one kind per benchmark (a glob ending in `new/sample.json`):
 * both kinds of the same benchmark would be a duplicate name.
 */
export const criterionJson: Importer = {
  name: 'criterion-json',
  description: "criterion's target/criterion/**/new/sample.json (every sample) or estimates.json",
  detect(input) {
    if (!/^\s*\{/.test(input.head) || !/"iters"|"point_estimate"/.test(input.head)) return false
    const v = input.json().value as Record<string, unknown> | null
    return v !== null && typeof v === 'object' && (isSample(v) || isEstimates(v))
  },
  parse(input, ctx): Benchmark[] {
    const r: JsonReader = new JsonReader(input.file, input.json())
    const root = r.object(r.json.value, [])
    const meta = siblingMetadata(input)
    const name = meta.name ?? nameFromPath(input.file)
    let times: number[]
    if (isSample(root)) {
      const iters = r.samples(root.iters, ['iters'], (x, p) => r.nonNegative(x, p))
      const total = r.samples(root.times, ['times'], (x, p) => r.nonNegative(x, p))
      if (iters.length !== total.length)
        r.fail(['times'], `has ${total.length} entries but iters has ${iters.length}`)
      times = total.map((t, i) => {
        const n = iters[i] ?? 0
        if (n === 0) r.fail(['iters', i], 'is 0: a sample without iterations')
        return t / n
      })
    } else {
      const key = root.slope !== null && root.slope !== undefined ? 'slope' : 'mean'
      const est = r.object(root[key], [key])
      times = [r.nonNegative(est.point_estimate, [key, 'point_estimate'])]
    }
    const metrics: Metric[] = [
      { name: 'time', unit: 'ns', direction: 'lower', class: ctx.class, samples: times }
    ]
    if (meta.throughput) {
      const [amount, unit] = meta.throughput
      metrics.push({
        name: 'throughput',
        unit,
        direction: 'higher',
        class: ctx.class,
        samples: times.map((t) => (t > 0 ? (amount * 1e9) / t : 0))
      })
    }
    return [importedBenchmark('criterion-json', input.file, name, metrics)]
  }
}

function isSample(v: Record<string, unknown>): boolean {
  return Array.isArray(v.iters) && Array.isArray(v.times)
}

function isEstimates(v: Record<string, unknown>): boolean {
  const mean = v.mean as Record<string, unknown> | null | undefined
  return mean !== null && typeof mean === 'object' && 'point_estimate' in mean
}

function siblingMetadata(input: ImportInput): {
  name?: string
  throughput?: [number, string]
} {
  let meta: { full_id?: unknown; throughput?: Record<string, unknown> | null }
  try {
    meta = JSON.parse(
      readFileSync(path.join(path.dirname(input.path ?? input.file), 'benchmark.json'), 'utf8')
    ) as typeof meta
  } catch {
    return {}
  }
  const name = typeof meta.full_id === 'string' && meta.full_id ? meta.full_id : undefined
  const t = meta.throughput
  const bytes = t?.Bytes ?? t?.BytesDecimal
  const elements = t?.Elements
  const throughput: [number, string] | undefined =
    typeof bytes === 'number'
      ? [bytes, 'B/s']
      : typeof elements === 'number'
        ? [elements, 'elem/s']
        : undefined
  return { name, throughput }
}

function nameFromPath(file: string): string {
  const parts = path.resolve(file).split(path.sep)
  const at = parts.lastIndexOf('criterion')
  // <id>/new/sample.json: drop the file and the new/base folder.
  const id = parts.slice(at >= 0 ? at + 1 : -3, -2).join('/')
  return id || path.basename(file, '.json')
}
