import type { Benchmark, Direction, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { failAt } from '../read/checks.js'
import { jsonRecords } from '../read/records.js'
import type { Importer } from '../read/types.js'

/**
 * vLLM `vllm bench serve --save-result` (and the older benchmarks/benchmark_serving.py). The
 * file is one JSON object on one line; `--append-result` adds one more line per run. Runs of the
 * same configuration are samples of one benchmark, one value per run: request and token
 * throughput (higher is better) and, for each latency it reported (TTFT, TPOT, ITL, E2EL), the
 * median and every percentile in ms (lower is better). The per-request arrays that
 * `--save-detailed` adds are read past without being parsed (read/slim.ts), one line at a time.
 */
const THROUGHPUTS: Readonly<Record<string, string>> = {
  request_throughput: 'req/s',
  output_throughput: 'tokens/s',
  total_token_throughput: 'tokens/s'
}
const LATENCY = /^(?:median|p\d+(?:\.\d+)?)_(?:ttft|tpot|itl|e2el)_ms$/
/** Keys that describe what was run; anything else scalar (e.g. --metadata) is configuration too. */
const RESULT_KEYS =
  /^(?:date|duration|completed|failed|total_(?:input_tokens|output_tokens|token_throughput)|request_(?:throughput|goodput:?)|output_throughput|max_output_tokens_per_s|max_concurrent_requests|(?:mean|median|std|p\d+(?:\.\d+)?)_\w+_ms)$/

/** The only keys whose value is read when it is an array or object: they are measurements. */
const measured = (key: string): boolean =>
  key === 'completed' || key === 'failed' || Object.hasOwn(THROUGHPUTS, key) || LATENCY.test(key)

export const vllm: Importer = {
  name: 'vllm',
  description: 'vLLM bench serve result JSON, one run per line (--append-result)',
  detect: (input) =>
    /^\s*\{/.test(input.head) &&
    /"completed"\s*:/.test(input.head) &&
    /"(?:output_throughput|median_ttft_ms)"\s*:/.test(input.head),
  parse(input, ctx): Benchmark[] {
    const runs = new Map<
      string,
      { config: Map<string, string>; metrics: Map<string, Metric>; notes: string[] }
    >()
    for (const rec of jsonRecords(input, measured)) {
      const { reader: r, path } = rec
      const o = r.object(rec.value, path)
      const completed = r.nonNegative(o.completed, [...path, 'completed'])
      if (completed === 0)
        r.fail([...path, 'completed'], 'is 0: no request completed, so there is nothing to measure')
      const config = new Map<string, string>()
      for (const [k, v] of Object.entries(o))
        if (!RESULT_KEYS.test(k) && (v === null || typeof v !== 'object')) config.set(k, String(v))
      const key = JSON.stringify([...config])
      let run = runs.get(key)
      if (!run) runs.set(key, (run = { config, metrics: new Map(), notes: [] }))
      const add = (name: string, unit: string, direction: Direction): void => {
        const value = r.optionalMeasurement(o[name], [...path, name])
        if (value === undefined) return
        if (value < 0) r.fail([...path, name], `must not be negative, got ${value}`)
        const m = run.metrics.get(name)
        if (m) m.samples.push(value)
        else run.metrics.set(name, { name, unit, direction, class: ctx.class, samples: [value] })
      }
      for (const [name, unit] of Object.entries(THROUGHPUTS)) add(name, unit, 'higher')
      for (const name of Object.keys(o)) if (LATENCY.test(name)) add(name, 'ms', 'lower')
      const failed = typeof o.failed === 'number' ? o.failed : 0
      if (failed > 0)
        run.notes.push(`line ${rec.line()}: ${failed} of ${failed + completed} requests failed`)
    }
    if (runs.size === 0) failAt(input.file, 1, 'no vLLM result found')
    const all = [...runs.values()]
    const varying = new Set<string>()
    for (const run of all)
      for (const [k, v] of run.config) if (all.some((o) => o.config.get(k) !== v)) varying.add(k)
    return all.map((run) => {
      const base = run.config.get('model_id') ?? run.config.get('model') ?? 'vllm bench serve'
      const params = [...varying]
        .filter((k) => k !== 'model_id')
        .map((k) => `${k}=${run.config.get(k) ?? ''}`)
      const name = params.length ? `${base} [${params.join(', ')}]` : base
      const metrics = [...run.metrics.values()]
      if (metrics.length === 0)
        failAt(input.file, 1, `${name}: no throughput or latency in the result`)
      return importedBenchmark('vllm', input.file, name, metrics, run.notes)
    })
  }
}
