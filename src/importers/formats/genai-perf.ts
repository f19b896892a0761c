import path from 'node:path'
import type { Benchmark, Direction, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { failAt, JsonReader, textNumber } from '../read/checks.js'
import { splitCsvLine } from '../read/csv.js'
import type { Importer, ImportContext, ImportInput } from '../read/types.js'

/**
 * NVIDIA GenAI-Perf `profile_export_genai_perf.json` and `.csv`. Both hold statistics over the
 * requests, not the requests, so each statistic is one value: for per-request metrics the p50
 * and p99, for system metrics (throughputs) the value. Sequence lengths and the request count
 * describe the load, not its speed, and telemetry is not gated. The two files of one run import
 * to the same benchmark, named after the artifact folder (`artifacts/<run>/`), which is where
 * GenAI-Perf encodes model, endpoint and concurrency.
 */
const KNOWN: Readonly<Record<string, [unit: string, direction: Direction]>> = {
  time_to_first_token: ['ms', 'lower'],
  time_to_second_token: ['ms', 'lower'],
  inter_token_latency: ['ms', 'lower'],
  request_latency: ['ms', 'lower'],
  output_token_throughput_per_user: ['tokens/sec/user', 'higher'],
  output_token_throughput: ['tokens/sec', 'higher'],
  request_throughput: ['requests/sec', 'higher'],
  request_goodput: ['requests/sec', 'higher']
}
const STATS = ['p50', 'p99'] as const

export const genaiPerf: Importer = {
  name: 'genai-perf',
  description: 'NVIDIA GenAI-Perf profile_export_genai_perf.json or .csv (p50/p99 per metric)',
  detect(input) {
    const h = input.head
    if (/^Metric,avg,min,max,p99/m.test(h)) return true
    return /^\s*\{/.test(h) && /"time_to_first_token"\s*:\s*\{/.test(h) && /"unit"/.test(h)
  },
  parse(input, ctx): Benchmark[] {
    const metrics = input.head.trimStart().startsWith('{')
      ? fromJson(input, ctx)
      : fromCsv(input, ctx)
    if (metrics.length === 0) failAt(input.file, 1, 'no GenAI-Perf metric found')
    return [importedBenchmark('genai-perf', input.file, runName(input.file), metrics)]
  }
}

function runName(file: string): string {
  const base = path.basename(file).replace(/\.(json|csv)$/i, '')
  const dir = path.basename(path.dirname(path.resolve(file)))
  return base.startsWith('profile_export') && dir ? dir : base
}

function fromJson(input: ImportInput, ctx: ImportContext): Metric[] {
  const r: JsonReader = new JsonReader(input.file, input.json())
  const root = r.object(r.json.value, [])
  const out: Metric[] = []
  for (const key of Object.keys(KNOWN)) {
    if (root[key] === undefined) continue
    const [unit, direction] = KNOWN[key] ?? ['', 'lower']
    const stat = r.object(root[key], [key])
    if (stat.p50 !== undefined) {
      for (const s of STATS) {
        const v = r.optionalMeasurement(stat[s], [key, s])
        if (v !== undefined) out.push(metric(`${key} ${s}`, unit, direction, ctx, v, r, [key, s]))
      }
    } else
      out.push(
        metric(key, unit, direction, ctx, r.nonNegative(stat.avg, [key, 'avg']), r, [key, 'avg'])
      )
  }
  return out
}

function metric(
  name: string,
  unit: string,
  direction: Direction,
  ctx: ImportContext,
  value: number,
  r: JsonReader,
  p: Array<string | number>
): Metric {
  if (value < 0) r.fail(p, `must not be negative, got ${value}`)
  return { name, unit, direction, class: ctx.class, samples: [value] }
}

/** "Time To First Token (ms)" → time_to_first_token, as the JSON names it. */
function keyOf(label: string): string {
  return label
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_')
}

function fromCsv(input: ImportInput, ctx: ImportContext): Metric[] {
  const out: Metric[] = []
  let header: string[] | undefined
  for (const { text, line } of input.lines()) {
    if (text.trim() === '') {
      header = undefined
      continue
    }
    const cells = splitCsvLine(text)
    if (!cells) failAt(input.file, line, 'unterminated quote in a CSV row')
    if (!header) {
      header = cells
      continue
    }
    const key = keyOf(cells[0] ?? '')
    const known = Object.hasOwn(KNOWN, key) ? KNOWN[key] : undefined
    if (!known) continue
    const [unit, direction] = known
    const cols = header
    const at = (col: string): number => {
      const i = cols.indexOf(col)
      if (i < 0 || cells[i] === undefined)
        failAt(input.file, line, `${cells[0] ?? ''}: no '${col}' column`)
      return textNumber(cells[i] ?? '', input.file, line, `${cells[0] ?? ''} ${col}`)
    }
    if (cols.includes('p50')) {
      for (const s of STATS)
        out.push({ name: `${key} ${s}`, unit, direction, class: ctx.class, samples: [at(s)] })
    } else out.push({ name: key, unit, direction, class: ctx.class, samples: [at('Value')] })
  }
  return out
}
