import type { Benchmark, Direction, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { JsonReader } from '../read/checks.js'
import type { Importer } from '../read/types.js'

/**
 * ray-project/llmperf `token_benchmark_ray.py` summary (`<model>_<in>_<out>_summary.json`,
 * results version 2023-08-31): statistics over the requests, flattened as
 * `results_<metric>_quantiles_p50`. Each becomes one value: the p50 and p99 of each per-request
 * metric (seconds, or tokens/s), and the system output throughput and completion rate. Note
 * that llmperf's inter-token latency includes the TTFT, unlike vLLM's or GenAI-Perf's.
 */
const PER_REQUEST: Readonly<Record<string, [unit: string, direction: Direction]>> = {
  ttft_s: ['s', 'lower'],
  end_to_end_latency_s: ['s', 'lower'],
  inter_token_latency_s: ['s', 'lower'],
  request_output_throughput_token_per_s: ['tokens/s', 'higher']
}
const SYSTEM: Readonly<Record<string, [unit: string, direction: Direction]>> = {
  mean_output_throughput_token_per_s: ['tokens/s', 'higher'],
  num_completed_requests_per_min: ['req/min', 'higher']
}

export const llmperf: Importer = {
  name: 'llmperf',
  description: 'ray-project/llmperf summary JSON (p50/p99 per metric, seconds)',
  detect(input) {
    if (!/"results_ttft_s_/.test(input.head) || !/^\s*\{/.test(input.head)) return false
    const v = input.json().value as Record<string, unknown> | null
    return v !== null && typeof v === 'object' && !Array.isArray(v) && 'version' in v
  },
  parse(input, ctx): Benchmark[] {
    const r: JsonReader = new JsonReader(input.file, input.json())
    const o = r.object(r.json.value, [])
    const metrics: Metric[] = []
    const add = (name: string, key: string, unit: string, direction: Direction): void => {
      const v = r.optionalMeasurement(o[key], [key])
      if (v === undefined) return
      if (v < 0) r.fail([key], `must not be negative, got ${v}`)
      metrics.push({ name, unit, direction, class: ctx.class, samples: [v] })
    }
    for (const [m, [unit, dir]] of Object.entries(PER_REQUEST))
      for (const q of ['p50', 'p99']) add(`${m} ${q}`, `results_${m}_quantiles_${q}`, unit, dir)
    for (const [m, [unit, dir]] of Object.entries(SYSTEM)) add(m, `results_${m}`, unit, dir)
    if (metrics.length === 0) r.fail([], 'holds no llmperf result statistics')
    const errors = typeof o.results_number_errors === 'number' ? o.results_number_errors : 0
    const name =
      typeof o.name === 'string' && o.name
        ? o.name
        : typeof o.model === 'string'
          ? o.model
          : 'llmperf'
    return [
      importedBenchmark(
        'llmperf',
        input.file,
        name,
        metrics,
        errors > 0 ? [`${errors} requests failed`] : []
      )
    ]
  }
}
