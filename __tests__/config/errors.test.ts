import { describe, expect, it } from '@jest/globals'
import { ConfigError } from '../../src/config/errors.js'
import { parseConfig } from '../../src/config/load.js'
import { UserError } from '../../src/errors.js'

/** The message a config is rejected with, or a failure if it is accepted. */
function problem(yaml: string): string {
  try {
    parseConfig(yaml, 'perf-gate.yml')
  } catch (e) {
    expect(e).toBeInstanceOf(UserError)
    return (e as Error).message
  }
  throw new Error(`accepted:\n${yaml}`)
}

const bench = (extra = '', kind = 'command', body = 'run: x'): string =>
  `benchmarks:\n  - name: a\n    kind: ${kind}\n    ${body}\n${extra}`

describe('config errors', () => {
  it('names file, line and path of a bad value in a nested benchmark', () => {
    const yaml = `testbed: ci
thresholds:
  core: { warn: 5%, fail: 5% }
benchmarks:
  - name: first
    kind: command
    run: echo one
  - name: second
    kind: command
    run: echo two
    format: none
    repetitions: 0
`
    expect(problem(yaml)).toBe(
      'perf-gate.yml:12: benchmarks[1].repetitions must be an integer >= 1'
    )
  })

  it.each([
    ['repetitions: 2.5', 'perf-gate.yml:1: repetitions must be an integer >= 1'],
    ['repetitions: ten', 'perf-gate.yml:1: repetitions must be an integer >= 1'],
    ['warmup: -1', 'perf-gate.yml:1: warmup must be an integer >= 0'],
    ['min-samples: 1', 'perf-gate.yml:1: min-samples must be an integer >= 2'],
    ['timeout: 0', 'perf-gate.yml:1: timeout must be a number > 0'],
    ['testbed: [a]', 'perf-gate.yml:1: testbed must be a string'],
    ['testbed: ""', 'perf-gate.yml:1: testbed must not be empty'],
    ['thresholds: 5%', 'perf-gate.yml:1: thresholds must be a mapping (key: value)']
  ])('rejects top-level %s', (line, message) => {
    expect(problem(`${line}\n${bench()}`)).toBe(message)
  })

  it('rejects a wrong enum value and lists the choices', () => {
    expect(problem(bench('    class: critical\n'))).toBe(
      'perf-gate.yml:5: benchmarks[0].class must be one of: core, non-critical'
    )
    expect(problem(bench('    format: json\n'))).toBe(
      'perf-gate.yml:5: benchmarks[0].format must be one of: none, auto, perf-gate, hyperfine, custom, cargo, go, benchmarkjs, benchmarkluau, pytest, googlebench, catch2, julia, jmh, benchmarkdotnet, criterion, criterion-json, llama-bench, vllm, genai-perf, llmperf, customBiggerIsBetter, customSmallerIsBetter'
    )
    expect(problem(bench('', 'shell'))).toBe(
      'perf-gate.yml:3: benchmarks[0].kind must be one of: command, ollama, file'
    )
    expect(problem('benchmarks:\n  - name: a\n    run: x\n')).toBe(
      'perf-gate.yml:2: benchmarks[0].kind is required (one of: command, ollama, file)'
    )
  })

  it('rejects a wrong type', () => {
    expect(problem(bench('', 'command', 'run: [npm, test]'))).toBe(
      'perf-gate.yml:4: benchmarks[0].run must be a string'
    )
    expect(problem(bench('', 'command', 'run:'))).toBe(
      'perf-gate.yml:4: benchmarks[0].run must be a string, not empty'
    )
    expect(problem(bench('    metrics:\n      wall-time: { gate: yes }\n'))).toBe(
      'perf-gate.yml:6: benchmarks[0].metrics.wall-time.gate must be true or false'
    )
    // One problem per key, though zod also runs the length check on the list.
    expect(problem(bench('', 'ollama', 'model: []\n    prompt: p'))).toBe(
      'perf-gate.yml:4: benchmarks[0].model must be a string'
    )
    expect(problem('benchmarks: { a: 1 }\n')).toBe('perf-gate.yml:1: benchmarks must be a list')
    // A block value starts on the next line; the key's line is the one to point at.
    expect(problem(`thresholds:\n  core:\n    - 5%\n${bench()}`)).toBe(
      'perf-gate.yml:2: thresholds.core must be a mapping (key: value)'
    )
    expect(problem('!!binary aGVsbG8=\n')).toBe(
      'perf-gate.yml:1: the config must be a mapping (key: value)'
    )
    expect(problem('- a\n')).toBe('perf-gate.yml:1: the config must be a mapping (key: value)')
  })

  it('rejects unknown keys, suggesting the key that was probably meant', () => {
    expect(problem(`repetiton: 3\n${bench()}`)).toBe(
      "perf-gate.yml:1: unknown key 'repetiton' (did you mean 'repetitions'?)"
    )
    expect(problem(`minSamples: 3\n${bench()}`)).toBe(
      "perf-gate.yml:1: unknown key 'minSamples' (did you mean 'min-samples'?)"
    )
    expect(problem(bench('    thresholds: { warn: 3%, fial: 8% }\n'))).toBe(
      "perf-gate.yml:5: benchmarks[0].thresholds has unknown key 'fial' (did you mean 'fail'?)"
    )
    expect(problem(bench('    model: llama\n'))).toBe(
      "perf-gate.yml:5: benchmarks[0] has unknown key 'model' (only valid with kind: ollama)"
    )
    expect(problem(bench('    colour: blue\n'))).toMatch(
      /^perf-gate\.yml:5: benchmarks\[0\] has unknown key 'colour' \(known keys: kind, name, .*run.*\)$/
    )
  })

  it('rejects unknown ollama options by name, since a typo would change what is measured', () => {
    expect(
      problem(
        bench(
          '    options:\n      num_ctx: 2048\n      num_cxt: 4096\n',
          'ollama',
          'model: m\n    prompt: p'
        )
      )
    ).toBe(
      "perf-gate.yml:8: benchmarks[0].options has unknown key 'num_cxt' (did you mean 'num_ctx'?)"
    )
    expect(
      problem(bench('    options: { think: maybe }\n', 'ollama', 'model: m\n    prompt: p'))
    ).toBe('perf-gate.yml:6: benchmarks[0].options.think must be true, false, low, medium or high')
    expect(
      problem(bench('    options: { num_ctx: 0 }\n', 'ollama', 'model: m\n    prompt: p'))
    ).toBe('perf-gate.yml:6: benchmarks[0].options.num_ctx must be an integer >= 1')
  })

  it('counts lines the same in files with CRLF endings and a byte order mark', () => {
    const yaml =
      '\uFEFFbenchmarks:\r\n  - name: a\r\n    kind: command\r\n    run: x\r\n    warmup: -2\r\n'
    expect(problem(yaml)).toBe('perf-gate.yml:5: benchmarks[0].warmup must be an integer >= 0')
  })

  it('names the entry line when a required key is missing', () => {
    expect(problem('benchmarks:\n  - name: a\n    kind: command\n')).toBe(
      'perf-gate.yml:2: benchmarks[0].run is required'
    )
    expect(problem(bench('', 'ollama', 'prompt: hi'))).toBe(
      'perf-gate.yml:2: benchmarks[0].model is required'
    )
    expect(problem(bench('', 'file', 'format: auto'))).toBe(
      'perf-gate.yml:2: benchmarks[0].path is required'
    )
    expect(problem('benchmarks:\n  - kind: file\n    path: x\n')).toBe(
      'perf-gate.yml:2: benchmarks[0].name is required'
    )
  })

  it('rejects an empty or missing benchmarks list, and an empty file', () => {
    expect(problem('testbed: ci\n')).toBe(
      "perf-gate.yml:1: benchmarks is required: list what to run, or import result files with the action's results input (CLI: --results)"
    )
    expect(problem('testbed: ci\nbenchmarks: []\n')).toBe(
      'perf-gate.yml:2: benchmarks must list at least one benchmark'
    )
    expect(problem('# nothing yet\n')).toBe(
      'perf-gate.yml:1: the config is empty: it needs at least a benchmarks list'
    )
  })

  it('rejects duplicate and blank benchmark names, naming the line of the duplicate', () => {
    const yaml = `benchmarks:
  - name: tokenizer
    kind: command
    run: a
  - name: parser
    kind: command
    run: b
  - name: tokenizer
    kind: file
    path: c
`
    expect(problem(yaml)).toBe(
      "perf-gate.yml:8: benchmarks[2].name 'tokenizer' is already used by benchmarks[0] (line 2)"
    )
    expect(problem('benchmarks:\n  - { name: " ", kind: command, run: x }\n')).toBe(
      'perf-gate.yml:2: benchmarks[0].name must not be blank'
    )
  })

  it('wants exactly one of prompt, prompt-file and prompts', () => {
    expect(problem(bench('    prompts: [a, b]\n', 'ollama', 'model: m\n    prompt: p'))).toBe(
      'perf-gate.yml:6: benchmarks[0].prompts cannot be combined with prompt: use exactly one of prompt, prompt-file, prompts'
    )
    expect(problem(bench('', 'ollama', 'model: m'))).toBe(
      'perf-gate.yml:2: benchmarks[0] needs one of prompt, prompt-file, prompts'
    )
    expect(problem(bench('    prompts: []\n', 'ollama', 'model: m'))).toBe(
      'perf-gate.yml:5: benchmarks[0].prompts must not be empty'
    )
  })

  it('rejects an output file that format none would never read', () => {
    expect(problem(bench('    output: out.json\n'))).toBe(
      'perf-gate.yml:5: benchmarks[0].output is only read with a format other than none (e.g. format: auto)'
    )
  })

  describe('percentages', () => {
    it.each([
      ['warn: five%', 'thresholds.core.warn must be a percentage like 5% or 2.5'],
      ['warn: 5 percent', 'thresholds.core.warn must be a percentage like 5% or 2.5'],
      ['warn: -1', 'thresholds.core.warn must be a percentage >= 0'],
      ['warn: "-2%"', 'thresholds.core.warn must be a percentage >= 0'],
      ['warn: none', 'thresholds.core.warn must be a percentage like 5% or 2.5'],
      [
        'fail: never',
        'thresholds.core.fail must be a percentage like 10% or 2.5, or none/off for warn-only'
      ],
      [
        'fail: .inf',
        'thresholds.core.fail must be a percentage like 10% or 2.5, or none/off for warn-only'
      ]
    ])('rejects %s', (entry, message) => {
      expect(problem(`thresholds:\n  core:\n    ${entry}\n${bench()}`)).toBe(
        `perf-gate.yml:3: ${message}`
      )
    })

    it('wants warn <= fail within one mapping, naming the key', () => {
      expect(problem(bench('    thresholds: { warn: 9%, fail: 3% }\n'))).toBe(
        'perf-gate.yml:5: benchmarks[0].thresholds.warn (9%) must be <= fail (3%)'
      )
      expect(problem(`thresholds:\n  core:\n    warn: 6%\n    fail: 4%\n${bench()}`)).toBe(
        'perf-gate.yml:3: thresholds.core.warn (6%) must be <= fail (4%)'
      )
    })

    it('wants warn <= fail for budgets combined from different levels', () => {
      expect(problem(`thresholds:\n  non-critical: { warn: 12% }\n${bench()}`)).toBe(
        'perf-gate.yml:2: thresholds.non-critical.warn (12%) must be <= fail (10%, the default)'
      )
      expect(problem(`thresholds:\n  core: { fail: 3% }\n${bench()}`)).toBe(
        'perf-gate.yml:2: thresholds.core.fail (3%) must be >= warn (5%, the default)'
      )
      expect(problem(bench('    thresholds: { warn: 11% }\n'))).toBe(
        "perf-gate.yml:5: benchmarks[0].thresholds.warn (11%) must be <= thresholds.non-critical.fail (10%, the default) for benchmark 'a'"
      )
      expect(
        problem(
          `thresholds:\n  metrics:\n    wall-time: { warn: 4% }\n${bench('    metrics:\n      wall-time: { fail: 3% }\n')}`
        )
      ).toBe(
        "perf-gate.yml:9: benchmarks[0].metrics.wall-time.fail (3%) must be >= thresholds.metrics.wall-time.warn (4%) for benchmark 'a'"
      )
      // A warn-only fail budget never conflicts.
      expect(() =>
        parseConfig(bench('    thresholds: { warn: 50%, fail: off }\n'), 'perf-gate.yml')
      ).not.toThrow()
    })
  })

  describe('YAML syntax', () => {
    it('reports a tab used as indentation at its line', () => {
      expect(problem('benchmarks:\n  - name: a\n\tkind: command\n')).toBe(
        'perf-gate.yml:3: invalid YAML: tabs are not allowed as indentation'
      )
    })

    it('reports an unclosed quote where the string starts', () => {
      expect(
        problem('testbed: ci\nbenchmarks:\n  - name: "a\n    kind: command\n    run: x\n')
      ).toBe(
        'perf-gate.yml:3: invalid YAML: missing closing "quote (the string starting here is never closed)'
      )
    })

    it('reports a duplicate key by name', () => {
      expect(problem(`warmup: 1\nwarmup: 2\n${bench()}`)).toBe(
        "perf-gate.yml:2: invalid YAML: duplicate key 'warmup'"
      )
    })

    it('keeps the line within the file for errors at its end', () => {
      expect(problem('benchmarks: [\n  a,\n')).toMatch(/^perf-gate\.yml:2: invalid YAML: /)
    })
  })

  it('reports the first problem by line and counts the rest, listing all on the error', () => {
    const yaml = `benchmarks:
  - name: a
    kind: command
    run: x
    warmup: -1
timeout: soon
repetiton: 2
`
    let error: unknown
    try {
      parseConfig(yaml, 'perf-gate.yml')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const config = error as ConfigError
    expect(config.message).toBe(
      'perf-gate.yml:5: benchmarks[0].warmup must be an integer >= 0 (and 2 more)'
    )
    expect(config.lines()).toEqual([
      'perf-gate.yml:5: benchmarks[0].warmup must be an integer >= 0',
      'perf-gate.yml:6: timeout must be a number > 0',
      "perf-gate.yml:7: unknown key 'repetiton' (did you mean 'repetitions'?)"
    ])
  })

  it.each([
    '',
    ':',
    '[',
    'benchmarks:',
    'benchmarks: [~]',
    'benchmarks: [[]]',
    'benchmarks: [{}]',
    'benchmarks: [{ kind: {} }]',
    'benchmarks: [{ kind: ollama, name: {}, model: [], prompt: {}, options: [], keep-alive: {} }]',
    'benchmarks: [{ kind: command, name: x, run: x, env: [], metrics: [1], thresholds: [] }]',
    'benchmarks: [{ kind: command, name: x, run: x, env: { A: {} }, metrics: { m: { class: {} } } }]',
    'thresholds: { metrics: { m: [] }, core: ~ }\nbenchmarks: 1',
    '!!binary aGVsbG8=',
    'a: &x [*x]',
    '? [a]\n: b'
  ])('always leads with file:line and speaks plainly (%j)', (yaml) => {
    const message = problem(yaml)
    expect(message).toMatch(/^perf-gate\.yml:\d+: \S/)
    expect(message).not.toMatch(
      /\[object Object\]|\n|\bat .*:\d+:\d+|Invalid input|received|expected/
    )
  })
})
