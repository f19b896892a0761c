import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { importText } from '../../src/importers/index.js'
import { errorOf } from '../helpers/capture.js'

const nc = { class: 'core' as const }
const jsonl = (...rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

describe('llama-bench', () => {
  const row = (extra: Record<string, unknown>) => ({
    build_commit: '8cf427ff',
    model_type: 'qwen2 7B Q4_K - Medium',
    n_threads: 8,
    n_gpu_layers: 99,
    n_prompt: 512,
    n_gen: 0,
    n_depth: 0,
    test_time: '2025-04-24T11:58:50Z',
    avg_ts: 7000,
    samples_ts: [6900, 7100],
    ...extra
  })

  it('derives test names as llama-bench prints them', () => {
    const text = jsonl(
      row({ n_prompt: 512, n_gen: 0 }),
      row({ n_prompt: 0, n_gen: 128 }),
      row({ n_prompt: 512, n_gen: 128 }),
      row({ n_prompt: 512, n_gen: 0, n_depth: 4096 })
    )
    const { format, benchmarks } = importText('l.jsonl', text, 'auto', nc)
    expect(format).toBe('llama-bench')
    expect(benchmarks.map((b) => b.name)).toEqual([
      'pp512',
      'tg128',
      'pp512+tg128',
      'pp512 @ d4096'
    ])
  })

  it('names the swept parameters, never the build or the time', () => {
    const text = jsonl(
      row({ n_threads: 4, build_commit: 'aaa', test_time: 't1' }),
      row({ n_threads: 8, build_commit: 'bbb', test_time: 't2' })
    )
    const { benchmarks } = importText('l.jsonl', text, 'auto', nc)
    expect(benchmarks.map((b) => b.name)).toEqual(['pp512 [n_threads=4]', 'pp512 [n_threads=8]'])
  })

  it('takes appended runs of the same test and parameters as more repetitions', () => {
    const text = jsonl(row({ samples_ts: [1, 2] }), row({ samples_ts: [3], test_time: 'later' }))
    const { benchmarks } = importText('l.jsonl', text, 'auto', nc)
    expect(benchmarks).toHaveLength(1)
    expect(benchmarks[0].metrics[0]).toMatchObject({
      unit: 'tokens/s',
      direction: 'higher',
      class: 'core',
      samples: [1, 2, 3]
    })
  })

  it('refuses a truncated last line: nothing half-read is gated', () => {
    const text = jsonl(row({})) + JSON.stringify(row({})).slice(0, 80)
    expect(errorOf(() => importText('l.jsonl', text, 'auto', nc))).toBe(
      'l.jsonl:2: unterminated string (truncated JSON?)'
    )
  })

  it('refuses a CSV row cut short', () => {
    const csv = readFileSync('fixtures/llama-bench/llama-bench.csv', 'utf8').split('\n')
    const text = [csv[0], csv[1], (csv[2] ?? '').split(',').slice(0, 10).join(',')].join('\n')
    expect(errorOf(() => importText('l.csv', text, 'auto', nc))).toBe(
      'l.csv:3: has 10 fields, the header has 33 (truncated?)'
    )
  })
})

describe('vLLM bench serve', () => {
  const result = (extra: Record<string, unknown>) => ({
    date: '20250101-120000',
    backend: 'openai',
    model_id: 'llama3.1:8b',
    num_prompts: 100,
    request_rate: 'inf',
    max_concurrency: 1,
    duration: 200,
    completed: 100,
    failed: 0,
    request_throughput: 0.5,
    output_throughput: 60,
    total_token_throughput: 530,
    median_ttft_ms: 150,
    p99_ttft_ms: 170,
    ...extra
  })

  it('takes results appended line by line as one sample per run', () => {
    const text = jsonl(
      result({ output_throughput: 60, date: 'a' }),
      result({ output_throughput: 61, date: 'b' }),
      result({ output_throughput: 59, date: 'c', ttfts: [0.1, 0.2], itls: [[0.01], [0.02]] })
    )
    const { format, benchmarks } = importText('v.json', text, 'auto', nc)
    expect(format).toBe('vllm')
    expect(benchmarks).toHaveLength(1)
    expect(benchmarks[0].name).toBe('llama3.1:8b')
    const m = Object.fromEntries(benchmarks[0].metrics.map((x) => [x.name, x]))
    expect(m.output_throughput).toMatchObject({
      unit: 'tokens/s',
      direction: 'higher',
      samples: [60, 61, 59]
    })
    expect(m.median_ttft_ms).toMatchObject({
      unit: 'ms',
      direction: 'lower',
      samples: [150, 150, 150]
    })
  })

  it('keeps different concurrencies apart, named by the parameter', () => {
    const text = jsonl(result({ max_concurrency: 1 }), result({ max_concurrency: 8 }))
    const { benchmarks } = importText('v.json', text, 'auto', nc)
    expect(benchmarks.map((b) => b.name)).toEqual([
      'llama3.1:8b [max_concurrency=1]',
      'llama3.1:8b [max_concurrency=8]'
    ])
  })

  it('notes failed requests', () => {
    const { benchmarks } = importText(
      'v.json',
      jsonl(result({ failed: 3, completed: 97 })),
      'auto',
      nc
    )
    expect(benchmarks[0].notes).toEqual(['line 1: 3 of 100 requests failed'])
  })

  it.each([
    [
      'a run in which no request completed',
      jsonl(result({}), result({ completed: 0 })),
      'v.json:2: completed is 0: no request completed, so there is nothing to measure'
    ],
    [
      "Python's NaN (what the tool writes for a statistic over no requests)",
      jsonl(result({})) +
        JSON.stringify(result({})).replace('"median_ttft_ms":150', '"median_ttft_ms":NaN'),
      "v.json:2: median_ttft_ms is NaN, which JSON does not allow: the tool wrote a missing or invalid measurement (Python's json.dumps writes NaN by default)"
    ],
    [
      'a negative latency',
      jsonl(result({ p99_ttft_ms: -1 })),
      'v.json:1: p99_ttft_ms must not be negative, got -1'
    ]
  ])('refuses %s', (_what, text, message) => {
    expect(errorOf(() => importText('v.json', text, 'auto', nc))).toBe(message)
  })
})

describe('GenAI-Perf', () => {
  it('imports the JSON and the CSV of one run to the same benchmark', () => {
    const json = JSON.stringify({
      time_to_first_token: { unit: 'ms', avg: 8, p50: 8, p99: 8.98, min: 7 },
      request_latency: { unit: 'ms', avg: 5, p50: 5, p99: 5.98 },
      output_token_throughput: { unit: 'tokens/sec', avg: 456 },
      request_throughput: { unit: 'requests/sec', avg: 123 },
      request_count: { unit: 'count', avg: 3 },
      input_config: {}
    })
    const csv = [
      'Metric,avg,min,max,p99,p95,p90,p75,p50,p25,p10,p5,p1',
      'Time To First Token (ms),8.00,7.00,9.00,8.98,8.90,8.80,8.50,8.00,7.50,7.20,7.10,7.02',
      'Request Latency (ms),5.00,4.00,6.00,5.98,5.90,5.80,5.50,5.00,4.50,4.20,4.10,4.02',
      '',
      'Metric,Value',
      'Output Token Throughput (tokens/sec),456.00',
      'Request Throughput (per sec),123.00',
      'Request Count (count),3.00'
    ].join('\r\n')
    const dir = 'artifacts/llama3-openai-chat-concurrency4'
    const a = importText(`${dir}/profile_export_genai_perf.json`, json, 'auto', nc).benchmarks
    const b = importText(`${dir}/profile_export_genai_perf.csv`, csv, 'auto', nc).benchmarks
    const shape = (bs: typeof a) =>
      bs.map((x) => [x.name, x.metrics.map((m) => [m.name, m.unit, m.direction, m.samples])])
    expect(shape(a)).toEqual(shape(b))
    expect(a[0].name).toBe('llama3-openai-chat-concurrency4')
    expect(shape(a)[0][1]).toEqual([
      ['time_to_first_token p50', 'ms', 'lower', [8]],
      ['time_to_first_token p99', 'ms', 'lower', [8.98]],
      ['request_latency p50', 'ms', 'lower', [5]],
      ['request_latency p99', 'ms', 'lower', [5.98]],
      ['output_token_throughput', 'tokens/sec', 'higher', [456]],
      ['request_throughput', 'requests/sec', 'higher', [123]]
    ])
  })
})

describe('llmperf', () => {
  it('notes failed requests', () => {
    const text = JSON.stringify({
      version: '2023-08-31',
      name: 'run',
      results_ttft_s_quantiles_p50: 0.15,
      results_number_errors: 2
    })
    const { benchmarks } = importText('s.json', text, 'auto', nc)
    expect(benchmarks[0].metrics.map((m) => m.name)).toEqual(['ttft_s p50'])
    expect(benchmarks[0].notes).toEqual(['2 requests failed'])
  })
})
