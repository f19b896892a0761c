import { describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/config/load.js'
import type { OllamaBenchmark } from '../../src/config/types.js'
import { cellName, expandMatrix } from '../../src/config/matrix.js'
import { parseTargetKey, targetsForCell } from '../../src/config/targets.js'
import { UserError } from '../../src/errors.js'

function problem(yaml: string): string {
  try {
    parseConfig(yaml, 'perf-gate.yml')
  } catch (e) {
    expect(e).toBeInstanceOf(UserError)
    return (e as Error).message.split('\n')[0] ?? ''
  }
  throw new Error(`accepted:\n${yaml}`)
}

const SWEEP = `benchmarks:
  - name: chat
    kind: ollama
    model: llama3.1:8b-instruct-q4_K_M
    prompts:
      - Why is the sky blue?
      - { text: "What is 6*7?", expect: { contains: "42" } }
    expect: { regex: "\\\\w+" }
    slo: { ttft_ms: 800, tpot_ms: 50 }
    options: { num_predict: 64 }
    matrix:
      num_ctx: [4096, 16384]
      model: [llama3.1:8b-instruct-q4_K_M, llama3.1:8b-instruct-q5_K_M]
      depth: [0, 8192]
      concurrency: [1, 4]
    targets:
      decode_tps: ">= 45"
      ttft_p95_ms: "<= 800"
      ttft_p95_ms[concurrency=4]: "<= 2000"
      ttft_p95_ms[concurrency=4,num_ctx=16384]: "<= 3000"
`

describe('matrix expansion', () => {
  it('gives one ordinary benchmark per combination, named by its axes in sorted order', () => {
    const config = parseConfig(SWEEP, '/repo/perf-gate.yml')
    // 2 × 2 × 2 × 2 = 16, less the 4 where 8192 tokens of depth do not fit a 4096 context.
    expect(config.benchmarks).toHaveLength(12)
    expect(config.skippedCells).toHaveLength(4)
    expect(config.skippedCells?.[0]).toEqual({
      name: 'chat[concurrency=1,depth=8192,model=llama3.1:8b-instruct-q4_K_M,num_ctx=4096]',
      reason: 'depth 8192 does not fit num_ctx 4096'
    })
    const names = config.benchmarks.map((b) => b.name)
    expect(names).toContain(
      'chat[concurrency=4,depth=0,model=llama3.1:8b-instruct-q5_K_M,num_ctx=16384]'
    )
    expect(new Set(names).size).toBe(12)
    const cell = config.benchmarks.find(
      (b) =>
        b.name === 'chat[concurrency=4,depth=8192,model=llama3.1:8b-instruct-q5_K_M,num_ctx=16384]'
    ) as OllamaBenchmark
    expect(cell).toMatchObject({
      kind: 'ollama',
      line: 2,
      model: 'llama3.1:8b-instruct-q5_K_M',
      concurrency: 4,
      depth: 8192,
      options: { num_ctx: 16384, num_predict: 64 },
      prompts: ['Why is the sky blue?', 'What is 6*7?'],
      promptExpects: [undefined, { contains: '42' }],
      expect: { regex: '\\w+' },
      slo: { ttftMs: 800, tpotMs: 50, attainment: 0.95 },
      matrix: {
        entry: 'chat',
        axes: {
          num_ctx: 16384,
          model: 'llama3.1:8b-instruct-q5_K_M',
          depth: 8192,
          concurrency: 4
        }
      }
    })
    // The most specific key that matches the cell wins, per metric.
    expect(cell.targets).toEqual([
      { metric: 'decode_tps', op: '>=', bound: 45, text: '>= 45' },
      { metric: 'ttft_p95_ms', op: '<=', bound: 3000, text: '<= 3000' }
    ])
    const single = config.benchmarks.find((b) => b.name.includes('concurrency=1,depth=0'))
    expect(single?.targets?.find((t) => t.metric === 'ttft_p95_ms')?.bound).toBe(800)
  })

  it('names cells the same whatever order the axes are written in', () => {
    expect(cellName('chat', { model: 'q4', concurrency: 4, depth: 0 })).toBe(
      cellName('chat', { depth: 0, concurrency: 4, model: 'q4' })
    )
    expect(cellName('chat', { model: 'q4', concurrency: 4 })).toBe('chat[concurrency=4,model=q4]')
  })

  it('turns on the load metrics in every cell of a concurrency axis, the 1 included', () => {
    const config = parseConfig(SWEEP, '/repo/perf-gate.yml')
    for (const b of config.benchmarks) expect((b as OllamaBenchmark).concurrency).toBeGreaterThan(0)
    const plain = parseConfig(
      'benchmarks:\n  - name: a\n    kind: ollama\n    model: m\n    prompt: hi\n',
      'p.yml'
    ).benchmarks[0] as OllamaBenchmark
    expect(plain.concurrency).toBeUndefined()
    expect(plain.matrix).toBeUndefined()
  })

  it('takes a host axis as a list of URLs or as labels, and lists every host on each cell', () => {
    const config = parseConfig(
      `benchmarks:
  - name: chat
    kind: ollama
    model: m
    prompt: hi
    matrix:
      host: { np1: "http://127.0.0.1:11434", np4: "http://127.0.0.1:11435" }
`,
      'p.yml'
    )
    expect(config.benchmarks.map((b) => [b.name, (b as OllamaBenchmark).host])).toEqual([
      ['chat[host=np1]', 'http://127.0.0.1:11434'],
      ['chat[host=np4]', 'http://127.0.0.1:11435']
    ])
    expect(config.benchmarks[0]?.matrix?.hosts).toEqual([
      'http://127.0.0.1:11434',
      'http://127.0.0.1:11435'
    ])
  })

  it('passes the values of a command matrix as environment variables', () => {
    const config = parseConfig(
      `benchmarks:
  - name: build
    kind: command
    run: make
    env: { CC: gcc }
    matrix: { JOBS: [1, 8], LTO: [true, false] }
`,
      'p.yml'
    )
    expect(config.benchmarks.map((b) => b.name)).toEqual([
      'build[JOBS=1,LTO=true]',
      'build[JOBS=1,LTO=false]',
      'build[JOBS=8,LTO=true]',
      'build[JOBS=8,LTO=false]'
    ])
    expect(config.benchmarks[2]).toMatchObject({ env: { CC: 'gcc', JOBS: '8', LTO: 'true' } })
  })

  it('is a pure function of the entry', () => {
    const entry = {
      kind: 'ollama' as const,
      name: 'x',
      model: 'm',
      prompt: 'p',
      matrix: { concurrency: [1, 2] }
    }
    const before = JSON.stringify(entry)
    const a = expandMatrix(entry)
    expect(expandMatrix(entry)).toEqual(a)
    expect(JSON.stringify(entry)).toBe(before)
    expect(a.cells.map((c) => c.name)).toEqual(['x[concurrency=1]', 'x[concurrency=2]'])
  })
})

describe('target keys', () => {
  it('parses a metric with cell conditions', () => {
    expect(parseTargetKey('ttft_p95_ms[concurrency=8, model=q4]')).toEqual({
      metric: 'ttft_p95_ms',
      when: { concurrency: '8', model: 'q4' }
    })
    expect(parseTargetKey('decode_tps')).toEqual({ metric: 'decode_tps', when: {} })
    expect(parseTargetKey('x[concurrency]')).toBeNull()
  })

  it('spells ≥ and ≤ either way', () => {
    expect(targetsForCell({ a: '≥ 1.5', b: '<=2e3' })).toEqual([
      { metric: 'a', op: '>=', bound: 1.5, text: '>= 1.5' },
      { metric: 'b', op: '<=', bound: 2000, text: '<= 2e3' }
    ])
  })
})

describe('matrix and target errors name the line', () => {
  const entry = (body: string): string =>
    `benchmarks:\n  - name: chat\n    kind: ollama\n    model: m\n    prompt: hi\n${body}`

  it('rejects a target that is not a bound', () => {
    expect(problem(entry('    targets:\n      decode_tps: 45\n'))).toBe(
      `perf-gate.yml:7: benchmarks[0].targets.decode_tps must be a bound in the metric's unit, like ">= 45" or "<= 800"`
    )
    expect(problem(entry('    targets:\n      decode_tps: "> 45"\n'))).toMatch(/^perf-gate.yml:7: /)
  })

  it('rejects a value listed twice, and one that would break the names', () => {
    expect(problem(entry('    matrix:\n      concurrency: [1, 2, 1]\n'))).toBe(
      'perf-gate.yml:7: benchmarks[0].matrix.concurrency[2] lists 1 twice (also item 1)'
    )
    expect(problem(entry('    matrix:\n      model: ["a,b", c]\n'))).toBe(
      "perf-gate.yml:7: benchmarks[0].matrix.model[0] 'a,b' cannot be a matrix value: values go into benchmark names, which leave , = [ ] to the axes"
    )
  })

  it('rejects an unknown axis and a matrix too large to run', () => {
    expect(problem(entry('    matrix:\n      threads: [1, 2]\n'))).toMatch(
      /^perf-gate.yml:7: benchmarks\[0\]\.matrix has unknown key 'threads'/
    )
    const many = Array.from({ length: 33 }, (_, i) => i + 1).join(', ')
    expect(
      problem(entry(`    matrix:\n      concurrency: [${many}]\n      depth: [${many}]\n`))
    ).toBe(
      'perf-gate.yml:6: benchmarks[0].matrix expands to 1089 combinations; at most 1024 are allowed (split the entry, or drop values)'
    )
  })

  it('rejects a target key naming an axis or a value the matrix does not have', () => {
    const m = '    matrix:\n      concurrency: [1, 4]\n    targets:\n'
    expect(problem(entry(`${m}      ttft_p95_ms[depth=0]: "<= 9"\n`))).toBe(
      'perf-gate.yml:9: benchmarks[0].targets["ttft_p95_ms[depth=0]"] names the axis \'depth\', which the matrix does not have (axes: concurrency)'
    )
    expect(problem(entry(`${m}      ttft_p95_ms[concurrency=8]: "<= 9"\n`))).toBe(
      'perf-gate.yml:9: benchmarks[0].targets["ttft_p95_ms[concurrency=8]"] names concurrency=8, which matrix.concurrency does not list (1, 4)'
    )
    expect(problem(entry(`    targets:\n      ttft_p95_ms[concurrency=8]: "<= 9"\n`))).toBe(
      'perf-gate.yml:7: benchmarks[0].targets["ttft_p95_ms[concurrency=8]"] names matrix cells, but this benchmark has no matrix'
    )
  })

  it('rejects a matrix where no combination fits its context', () => {
    expect(
      problem(entry('    options: { num_ctx: 2048 }\n    matrix:\n      depth: [4096, 8192]\n'))
    ).toBe(
      'perf-gate.yml:7: benchmarks[0].matrix has no combination that can run (depth 4096 does not fit num_ctx 2048)'
    )
  })

  it('rejects a regex or JSON Schema that cannot be compiled, at its line', () => {
    expect(problem(entry('    expect: { regex: "(" }\n'))).toMatch(
      /^perf-gate.yml:6: benchmarks\[0\]\.expect\.regex is not a valid regular expression: /
    )
    expect(
      problem(
        'benchmarks:\n  - name: chat\n    kind: ollama\n    model: m\n    prompts:\n      - a\n      - text: b\n        expect:\n          json-schema: { type: 12 }\n'
      )
    ).toMatch(
      /^perf-gate.yml:9: benchmarks\[0\]\.prompts\[1\]\.expect\.json-schema is not a valid JSON Schema: /
    )
    expect(problem(entry('    expect: { equals: "42" }\n'))).toMatch(
      /^perf-gate.yml:6: benchmarks\[0\]\.expect must be one of \{ contains: text \}/
    )
  })

  it('asks for a model unless the matrix lists them', () => {
    expect(
      problem(
        'benchmarks:\n  - name: chat\n    kind: ollama\n    prompt: hi\n    matrix:\n      concurrency: [1, 2]\n'
      )
    ).toBe('perf-gate.yml:2: benchmarks[0].model is required (or list the models in matrix.model)')
    const ok = parseConfig(
      'benchmarks:\n  - name: chat\n    kind: ollama\n    prompt: hi\n    matrix:\n      model: [a, b]\n',
      'p.yml'
    )
    expect(ok.benchmarks.map((b) => (b as OllamaBenchmark).model)).toEqual(['a', 'b'])
  })

  it('rejects a cell whose name another entry already has', () => {
    expect(
      problem(
        'benchmarks:\n  - name: x[JOBS=1]\n    kind: command\n    run: a\n  - name: x\n    kind: command\n    run: b\n    matrix: { JOBS: [1] }\n'
      )
    ).toBe(
      "perf-gate.yml:5: benchmarks[1] produces the benchmark 'x[JOBS=1]', which benchmarks[0] (line 2) produces too"
    )
  })
})
