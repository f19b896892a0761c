import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  coldRunAnomaly,
  contextAnomaly,
  loadTimeAnomaly,
  offloadAnomaly,
  outputAnomalies,
  runsNeeded,
  spreadAnomalies,
  thinkingAnomaly
} from '../../src/runners/ollama-anomalies.js'
import { buildOllamaMetrics, hasMetrics, runSamples } from '../../src/runners/ollama-metrics.js'
import { readFinal, type RunRecord } from '../../src/runners/ollama-stream.js'
import type { Metric } from '../../src/results/model.js'

const DIR = path.resolve('fixtures/ollama')

function lastLine(file: string): Record<string, unknown> {
  const lines = readFileSync(path.join(DIR, file), 'utf8').trim().split('\n')
  return JSON.parse(lines[lines.length - 1] ?? '{}')
}

function json(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(DIR, file), 'utf8'))
}

function record(final: RunRecord['final'], over: Partial<RunRecord> = {}): RunRecord {
  return {
    startedAt: 0,
    text: '',
    e2eMs: 100,
    clientTtftMs: 10,
    chunks: 5,
    thinkingChunks: 0,
    final,
    ...over
  }
}

describe('metrics from documented Ollama responses', () => {
  it('converts the nanoseconds of the streamed generate example once, correctly', () => {
    // docs/api.md: eval_count 259 over 4.23271 s, a cold load of 6.338 s
    const s = runSamples(record(readFinal(lastLine('generate-stream.ndjson'))))
    expect(s.decode_tps).toBeCloseTo(259 / 4.23271, 6)
    expect(s.decode_tps).toBeCloseTo(61.19, 2)
    expect(s.prompt_tps).toBeCloseTo(26 / 0.130079, 6)
    expect(s.server_ttft_ms).toBeCloseTo(6338.219291 + 130.079, 6)
    expect(s.load_ms).toBeCloseTo(6338.219291, 6)
    expect(s.output_tokens).toBe(259)
  })

  it('reads the chat example, whose done chunk has no done_reason, and the newest one that has', () => {
    const old = readFinal(lastLine('chat-stream.ndjson'))
    expect(old.doneReason).toBeUndefined()
    expect(runSamples(record(old)).decode_tps).toBeCloseTo(282 / 4.535599, 6)
    const newest = readFinal(json('chat-nonstream-openapi.json'))
    expect(newest.doneReason).toBe('stop')
    expect(runSamples(record(newest)).decode_tps).toBeCloseTo(18 / 0.052479709, 6)
  })

  it('tells a final chunk with metrics from the documented ones without', () => {
    expect(hasMetrics(readFinal(lastLine('generate-stream.SYNTHETIC-fixture.ndjson')))).toBe(true)
    // docs/api/streaming.mdx shows a done chunk without metrics; load/unload replies carry none.
    expect(hasMetrics(readFinal(lastLine('generate-stream-docs-streaming-mdx.ndjson')))).toBe(false)
    expect(hasMetrics(readFinal(json('generate-load-model.json')))).toBe(false)
    expect(hasMetrics(readFinal(json('generate-unload-model.json')))).toBe(false)
  })

  it('leaves out what the server omitted (omitempty) instead of reporting 0', () => {
    // A prefix-cache hit used to drop prompt_eval_count; the prompt rate is then unknown, not 0.
    const s = runSamples(record({ evalCount: 10, evalDuration: 1e8, loadDuration: 2e6 }))
    expect(s.prompt_tps).toBeUndefined()
    expect(s.server_ttft_ms).toBe(2)
    expect(s.decode_tps).toBe(100)
    expect(runSamples(record({ evalCount: 10, evalDuration: 1e8 })).server_ttft_ms).toBeUndefined()
    expect(runSamples(record({ totalDuration: 1e6 }, { clientTtftMs: undefined })).ttft_ms).toBe(
      undefined
    )
  })

  it('keeps the cold and warm-up runs as warmup, never as samples, and the load time apart', () => {
    const cold = record({
      evalCount: 10,
      evalDuration: 2e8,
      loadDuration: 3e9,
      promptEvalDuration: 1e7
    })
    const warm = record({
      evalCount: 10,
      evalDuration: 1.5e8,
      loadDuration: 1e6,
      promptEvalDuration: 1e7
    })
    const run = (tps: number): RunRecord =>
      record({
        evalCount: 100,
        evalDuration: (100 / tps) * 1e9,
        loadDuration: 1e6,
        promptEvalDuration: 1e7
      })
    const { metrics, missing } = buildOllamaMetrics({
      cls: 'core',
      cold,
      warmups: [warm],
      measured: [run(50), run(52)]
    })
    const byName = Object.fromEntries(metrics.map((m) => [m.name, m]))
    expect(byName.decode_tps).toMatchObject({
      unit: 'tokens/s',
      direction: 'higher',
      class: 'core',
      warmup: [50, 10 / 0.15]
    })
    expect(byName.decode_tps?.samples[0]).toBeCloseTo(50, 9)
    expect(byName.decode_tps?.samples[1]).toBeCloseTo(52, 9)
    expect(byName.decode_tps?.gate).toBeUndefined()
    expect(byName.load_ms).toEqual({
      name: 'load_ms',
      unit: 'ms',
      direction: 'lower',
      class: 'core',
      samples: [3000],
      gate: false
    })
    expect(byName.output_tokens?.gate).toBe(false)
    // measured runs carry no prompt_eval_count, so no prompt rate: left out and named
    expect(byName.prompt_tps).toBeUndefined()
    expect(missing).toEqual(['prompt_tps'])
  })
})

describe('anomalies', () => {
  it('flags outputs far shorter than num_predict, naming the done_reason', () => {
    const runs = [
      record({ evalCount: 256, doneReason: 'length' }),
      record({ evalCount: 12, doneReason: 'stop' }),
      record({ evalCount: 40, doneReason: 'stop' })
    ]
    expect(outputAnomalies(runs, 256)).toEqual([
      'short-output: 2 of 3 measured runs produced 12–40 tokens of the 256 asked (num_predict), under 128 (done_reason stop); decode_tps over so few tokens is noise and e2e_ms is not comparable'
    ])
    // A model that stops early without a cap is fine unless the output is tiny.
    expect(outputAnomalies([record({ evalCount: 200, doneReason: 'stop' })], undefined)).toEqual([])
    expect(outputAnomalies([record({ evalCount: 3, doneReason: 'stop' })], undefined)[0]).toMatch(
      /^short-output: 1 of 1 measured runs produced 3 tokens, under 16/
    )
  })

  it('flags a done_reason other than stop or length', () => {
    const notes = outputAnomalies(
      [
        record({ evalCount: 64, doneReason: 'load' }),
        record({ evalCount: 64, doneReason: 'length' })
      ],
      64
    )
    expect(notes).toEqual([
      'done-reason: 1 of 2 measured runs ended with done_reason load, not stop or length'
    ])
  })

  it('flags thinking unless think was pinned to a thinking level', () => {
    const runs = [record({}, { thinkingChunks: 30 }), record({}, { thinkingChunks: 0 })]
    expect(thinkingAnomaly(runs, undefined)[0]).toMatch(
      /^thinking: 1 of 2 runs streamed thinking \(30 chunks\); thinking tokens count in eval_count/
    )
    expect(thinkingAnomaly(runs, false)[0]).toMatch(/although think: false was sent/)
    expect(thinkingAnomaly(runs, 'high')).toEqual([])
    expect(thinkingAnomaly([record({})], undefined)).toEqual([])
  })

  it('flags partial GPU offload from /api/ps (the documented 81 % example)', () => {
    const ps = json('ps-openapi.json') as { models: { size: number; size_vram: number }[] }
    const m = ps.models[0]
    const notes = offloadAnomaly(
      'gemma4',
      { name: 'gemma4', size: m.size, sizeVram: m.size_vram },
      '10m'
    )
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(
      /^partial-offload: only 80\.9 % of gemma4 is in VRAM \(5\.0 of 6\.1 GiB/
    )
    const full = json('ps.json') as { models: { size: number; size_vram: number }[] }
    const f = full.models[0]
    expect(
      offloadAnomaly('mistral', { name: 'mistral', size: f.size, sizeVram: f.size_vram }, -1)
    ).toEqual([])
    // keep_alive 0 unloads after every request, so absence from /api/ps is expected then
    expect(offloadAnomaly('m', undefined, 0)).toEqual([])
    expect(offloadAnomaly('m', undefined, '10m')[0]).toMatch(/^not-resident:/)
  })

  it('flags a context length other than the num_ctx sent', () => {
    expect(contextAnomaly('m', { name: 'm', contextLength: 4096 }, 4096)).toEqual([])
    expect(contextAnomaly('m', { name: 'm', contextLength: 2048 }, 4096)[0]).toMatch(
      /^num-ctx: the server runs m with a context of 2048 tokens, not the num_ctx 4096 sent/
    )
  })

  it('flags measured runs that paid a model load', () => {
    const runs = [record({ loadDuration: 3e6 }), record({ loadDuration: 2.1e9 }), record({})]
    expect(coldRunAnomaly(runs)).toEqual([
      "cold-run: measured run 2 reloaded the model (load 2100 ms); keep_alive may have expired or another model evicted it, and those runs' TTFT and e2e include the load"
    ])
  })

  it('says when the cold run was no colder than the warm ones', () => {
    const warm = [record({ loadDuration: 3e6 }), record({ loadDuration: 4e6 })]
    expect(loadTimeAnomaly(record({ loadDuration: 2.5e9 }), warm)).toEqual([])
    // 40 ms against warm loads of 3-4 ms is a (fast) load, not a resident model.
    expect(loadTimeAnomaly(record({ loadDuration: 40e6 }), warm)).toEqual([])
    expect(loadTimeAnomaly(record({ loadDuration: 5e6 }), warm)).toEqual([
      'load-time: the cold run found the model already loaded (load 5 ms), so load_ms is not a cold start'
    ])
  })

  it('sizes the runs a CV needs at the budget with a two-sample power estimate', () => {
    // (1.96 + 0.84)² · 2 ≈ 15.7: a CV equal to the budget needs 16 runs per side
    expect(runsNeeded(0.05, 0.05)).toBe(16)
    expect(runsNeeded(0.01, 0.05)).toBe(1)
    expect(runsNeeded(0.1, 0.05)).toBe(63)
  })

  it('flags a gated metric too noisy for its budget at this many runs, and only those', () => {
    const metric = (name: string, samples: number[], gate?: boolean): Metric => ({
      name,
      unit: 'tokens/s',
      direction: 'higher',
      class: 'core',
      samples,
      ...(gate === undefined ? {} : { gate })
    })
    const noisy = [100, 80, 120, 90, 110, 100, 85, 115, 95, 105] // CV ≈ 12.9 %
    const calm = [100, 101, 99, 100, 100.5, 99.5, 100, 101, 99, 100]
    const notes = spreadAnomalies(
      [metric('decode_tps', noisy), metric('ttft_ms', calm), metric('output_tokens', noisy, false)],
      () => 0.05
    )
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(
      /^high-cv: decode_tps varies 12\.9 % run to run \(CV\); telling a 5 % change from noise takes about 105 runs per side, this benchmark has 10/
    )
    // warn-only metrics (no fail budget) are not judged
    expect(spreadAnomalies([metric('decode_tps', noisy)], () => null)).toEqual([])
  })
})
