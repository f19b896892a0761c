import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/config/load.js'
import { measurePairs, type Tree } from '../../src/engine/ab/measure.js'
import { pairedInputs } from '../../src/engine/ab/pairs.js'
import { PairSchedule } from '../../src/engine/ab/schedule.js'
import { silentReporter } from '../../src/runners/index.js'
import { defaultThresholdsFor } from '../../src/stats/compare-sets.js'
import { comparePaired } from '../../src/stats/paired.js'
import {
  ollamaSpec,
  standinModel,
  startOllamaStandin,
  type OllamaStandin
} from '../helpers/ollama-standin.js'

/*
 * An `ollama` benchmark in an A/B run: the base's and the head's spec alternate their requests on
 * the same server in the schedule's order, each arm with its own cold run and warm-up first.
 */

let server: OllamaStandin
beforeAll(async () => {
  server = await startOllamaStandin([standinModel()])
})
afterAll(() => server.close())

const tree = (arm: 'base' | 'head'): Tree => ({
  arm,
  label: `${arm} tree`,
  config: parseConfig(
    'benchmarks:\n  - name: x\n    kind: command\n    run: "true"\n',
    '/r/perf-gate.yml'
  )
})

describe('an ollama benchmark measured A/B', () => {
  it("alternates the two specs' requests on one server in the schedule's order", async () => {
    const base = ollamaSpec(server.host, { prompts: ['base prompt'], repetitions: 6, warmup: 1 })
    const head = ollamaSpec(server.host, { prompts: ['head prompt'], repetitions: 6, warmup: 1 })
    const schedule = new PairSchedule('balanced', 11, 'llm')
    const from = server.requests.length
    const measured = await measurePairs({ base, head }, schedule, {
      base: tree('base'),
      head: tree('head'),
      reporter: silentReporter,
      thresholdsFor: defaultThresholdsFor,
      fingerprint: {}
    })
    const prompts = server.requests
      .slice(from)
      .filter((r) => r.path === '/api/generate' && typeof r.body?.prompt === 'string')
      .map((r) => (String(r.body?.prompt).includes('base') ? 'A' : 'B'))
    const expected = ['A', 'A', 'B', 'B', ...measured.orders.flatMap((o) => o.split(''))]
    expect(prompts).toEqual(expected)
    // Identical specs on the same server: six pairs each, every metric within budget.
    expect(measured.orders.length).toBeGreaterThanOrEqual(6)
    const { inputs } = pairedInputs(measured, defaultThresholdsFor)
    expect(inputs.map((i) => i.metric).sort()).toEqual([
      'decode_tps',
      'e2e_ms',
      'prompt_tps',
      'server_ttft_ms',
      'ttft_ms'
    ])
    for (const i of inputs) expect(i.current).toHaveLength(measured.orders.length)
    const decode = comparePaired(inputs.find((i) => i.metric === 'decode_tps')!)
    expect(decode.verdict).toBe('pass')
    // Each arm's result is what a whole run reports: the cold run's load time included.
    expect(measured.headResult[0]?.metrics.map((m) => m.name)).toContain('load_ms')
  })
})
