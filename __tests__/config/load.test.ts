import { describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadConfig, parseConfig } from '../../src/config/load.js'
import type { PerfGateConfig } from '../../src/config/types.js'

const FULL = `testbed: dual-5090
repetitions: 10
warmup: 1
min-samples: 5
timeout: 600
ab: true
ab-order: abba
build: npm ci
thresholds:
  core: { warn: 5%, fail: 5% }
  non-critical: { warn: 5%, fail: 10% }
  metrics:
    wall-time: { warn: 3%, fail: 8% }
benchmarks:
  - name: tokenizer
    kind: command
    run: hyperfine --export-json out.json 'node bench/tokenize.js'
    format: hyperfine            # none | hyperfine | custom | ...
    output: out.json
    class: non-critical
    cwd: bench
    env: { FOO: bar }
    timeout: 120
    repetitions: 5
    warmup: 0
    build: make tokenizer
    thresholds: { warn: 3%, fail: 8% }
    metrics:
      wall-time: { warn: 2%, fail: 4%, class: core, direction: lower, gate: true }
  - name: gemma3-1b
    kind: ollama
    host: http://127.0.0.1:11434
    model: gemma3:1b
    prompt: Summarise the attached benchmark table.
    warmup: 1
    repetitions: 8
    keep-alive: 5m
    options: { num_ctx: 2048, num_predict: 256, temperature: 0, seed: 42 }
    class: core
  - name: imported
    kind: file
    path: benchmarks/results/raw/*.json
    format: auto
    class: non-critical
`

const MINIMAL = `benchmarks:
  - name: build
    kind: command
    run: npm run build
`

describe('parseConfig', () => {
  it('turns the full example into the typed config', () => {
    const expected: PerfGateConfig = {
      file: '/repo/perf-gate.yml',
      dir: '/repo',
      testbed: 'dual-5090',
      repetitions: 10,
      warmup: 1,
      minSamples: 5,
      timeoutSeconds: 600,
      runnerDrift: 0.05,
      ab: true,
      abOrder: 'abba',
      build: 'npm ci',
      thresholds: {
        core: { warn: 0.05, fail: 0.05 },
        nonCritical: { warn: 0.05, fail: 0.1 },
        metrics: { 'wall-time': { warn: 0.03, fail: 0.08 } }
      },
      benchmarks: [
        {
          kind: 'command',
          name: 'tokenizer',
          line: 15,
          class: 'non-critical',
          repetitions: 5,
          warmup: 0,
          thresholds: { warn: 0.03, fail: 0.08 },
          build: 'make tokenizer',
          metrics: {
            'wall-time': { warn: 0.02, fail: 0.04, class: 'core', direction: 'lower', gate: true }
          },
          run: "hyperfine --export-json out.json 'node bench/tokenize.js'",
          format: 'hyperfine',
          output: 'out.json',
          cwd: '/repo/bench',
          root: '/repo',
          env: { FOO: 'bar' },
          timeoutSeconds: 120
        },
        {
          kind: 'ollama',
          name: 'gemma3-1b',
          line: 30,
          class: 'core',
          repetitions: 8,
          warmup: 1,
          metrics: {},
          host: 'http://127.0.0.1:11434',
          model: 'gemma3:1b',
          prompts: ['Summarise the attached benchmark table.'],
          keepAlive: '5m',
          options: { num_ctx: 2048, num_predict: 256, temperature: 0, seed: 42 }
        },
        {
          kind: 'file',
          name: 'imported',
          line: 40,
          class: 'non-critical',
          repetitions: 10,
          warmup: 1,
          metrics: {},
          path: 'benchmarks/results/raw/*.json',
          format: 'auto'
        }
      ]
    }
    expect(parseConfig(FULL, '/repo/perf-gate.yml')).toStrictEqual(expected)
  })

  it('applies every default to a minimal file', () => {
    const config = parseConfig(MINIMAL, '/repo/perf-gate.yml')
    expect(config).toStrictEqual({
      file: '/repo/perf-gate.yml',
      dir: '/repo',
      testbed: 'local',
      repetitions: 10,
      warmup: 1,
      minSamples: 5,
      timeoutSeconds: 600,
      runnerDrift: 0.05,
      ab: false,
      abOrder: 'balanced',
      thresholds: {
        core: { warn: 0.05, fail: 0.05 },
        nonCritical: { warn: 0.05, fail: 0.1 },
        metrics: {}
      },
      benchmarks: [
        {
          kind: 'command',
          name: 'build',
          line: 2,
          class: 'non-critical',
          repetitions: 10,
          warmup: 1,
          metrics: {},
          run: 'npm run build',
          format: 'none',
          cwd: '/repo',
          root: '/repo',
          env: {},
          timeoutSeconds: 600
        }
      ]
    })
  })

  it('lets top-level repetitions, warmup and timeout flow into benchmarks that do not set them', () => {
    const config = parseConfig(
      `repetitions: 3\nwarmup: 0\ntimeout: 2.5\n${MINIMAL}`,
      'perf-gate.yml'
    )
    expect(config.benchmarks[0]).toMatchObject({ repetitions: 3, warmup: 0, timeoutSeconds: 2.5 })
  })

  it('bases relative paths on the folder of the config file', () => {
    const config = parseConfig(
      `benchmarks:
  - { name: a, kind: command, run: x, cwd: ../elsewhere }
  - { name: b, kind: command, run: x, cwd: /abs }
  - { name: c, kind: ollama, model: m, prompt-file: prompts/long.txt }
`,
      'configs/perf-gate.yml'
    )
    expect(config.dir).toBe(resolve('configs'))
    expect(config.benchmarks.map((b) => (b.kind === 'command' ? b.cwd : b))).toEqual([
      resolve('elsewhere'),
      '/abs',
      expect.objectContaining({ promptFile: resolve('configs/prompts/long.txt'), prompts: [] })
    ])
  })

  it('reads percentages written as "5%", "5 %", a plain number, or a fraction of a percent', () => {
    const config = parseConfig(
      `thresholds:
  core: { warn: "2.5 %", fail: 7 }
  non-critical: { warn: .5%, fail: 0.75 }
${MINIMAL}`,
      'perf-gate.yml'
    )
    expect(config.thresholds.core).toEqual({ warn: 0.025, fail: 0.07 })
    expect(config.thresholds.nonCritical.warn).toBeCloseTo(0.005, 12)
    expect(config.thresholds.nonCritical.fail).toBeCloseTo(0.0075, 12)
  })

  it.each(['none', 'off', '~', 'null', 'false'])('reads fail: %s as warn-only (null)', (word) => {
    const config = parseConfig(
      `thresholds:\n  core: { warn: 4%, fail: ${word} }\n${MINIMAL}`,
      'p.yml'
    )
    expect(config.thresholds.core).toEqual({ warn: 0.04, fail: null })
  })

  it('gives each prompt form as a list, and stringifies env values YAML typed', () => {
    const config = parseConfig(
      `benchmarks:
  - { name: one, kind: ollama, model: m, prompt: hi }
  - { name: many, kind: ollama, model: m, prompts: [a, b], keep-alive: -1, options: { think: low } }
  - { name: cmd, kind: command, run: x, env: { THREADS: 4, DEBUG: true, NAME: n } }
`,
      'perf-gate.yml'
    )
    const [one, many, cmd] = config.benchmarks
    expect(one).toMatchObject({ prompts: ['hi'], options: {} })
    expect(one).not.toHaveProperty('keepAlive')
    expect(many).toMatchObject({ prompts: ['a', 'b'], keepAlive: -1, options: { think: 'low' } })
    expect(cmd).toMatchObject({ env: { THREADS: '4', DEBUG: 'true', NAME: 'n' } })
  })

  it('follows YAML anchors and merge keys', () => {
    const config = parseConfig(
      `benchmarks:
  - &base { name: a, kind: ollama, model: m, prompt: p, options: { seed: 1 } }
  - <<: *base
    name: b
`,
      'perf-gate.yml'
    )
    expect(config.benchmarks.map((b) => [b.name, b.kind, b.line])).toEqual([
      ['a', 'ollama', 2],
      ['b', 'ollama', 3]
    ])
  })
})

describe('runner-drift', () => {
  it('reads the runner drift as a percentage: 5 % by default, 0 for the within-job rule', () => {
    const at = (line: string) =>
      parseConfig(`${line}\n${MINIMAL}`, '/repo/perf-gate.yml').runnerDrift
    expect(parseConfig(MINIMAL, '/repo/perf-gate.yml').runnerDrift).toBe(0.05)
    expect(at('runner-drift: 2.5%')).toBeCloseTo(0.025, 12)
    expect(at('runner-drift: 8')).toBeCloseTo(0.08, 12)
    expect(at('runner-drift: 0')).toBe(0)
  })

  it('names the line of a drift that is not a percentage', () => {
    expect(() => parseConfig(`runner-drift: -1%\n${MINIMAL}`, 'perf-gate.yml')).toThrow(
      'perf-gate.yml:1: runner-drift must be a percentage >= 0'
    )
    expect(() => parseConfig(`runner-drift: lots\n${MINIMAL}`, 'perf-gate.yml')).toThrow(
      'perf-gate.yml:1: runner-drift must be a percentage like 5% or 2.5'
    )
  })
})

describe('top-level metrics and from-zero', () => {
  const FILE = `metrics:
  cpu_time: { gate: true }
  real_time: { gate: false, class: core }
from-zero: warn
benchmarks:
  - name: gbench
    kind: file
    path: out.json
    metrics:
      real_time: { gate: true }
`

  it('gives every benchmark the top-level metric overrides, its own entry winning field by field', () => {
    const config = parseConfig(FILE, '/repo/perf-gate.yml')
    expect(config.metrics).toEqual({
      cpu_time: { gate: true },
      real_time: { gate: false, class: 'core' }
    })
    expect(config.fromZero).toBe('warn')
    expect(config.benchmarks[0]?.metrics).toEqual({
      cpu_time: { gate: true },
      real_time: { gate: true, class: 'core' }
    })
  })

  it('keeps budgets under thresholds.metrics, and names a bad from-zero', () => {
    expect(() =>
      parseConfig(`metrics:\n  cpu_time: { warn: 5% }\n${MINIMAL}`, 'perf-gate.yml')
    ).toThrow(/^perf-gate\.yml:2: .*warn/)
    expect(() => parseConfig(`from-zero: maybe\n${MINIMAL}`, 'perf-gate.yml')).toThrow(
      /^perf-gate\.yml:1: from-zero must be /
    )
  })
})

describe('loadConfig', () => {
  it('reads a file and labels it as named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perf-gate-config-'))
    try {
      const file = join(dir, 'perf-gate.yml')
      await writeFile(file, MINIMAL)
      const config = await loadConfig(file)
      expect(config.file).toBe(file)
      expect(config.dir).toBe(dir)
      expect(config.benchmarks[0]?.name).toBe('build')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('reports a missing file as a UserError with a hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perf-gate-config-'))
    try {
      const missing = join(dir, 'perf-gate.yml')
      await expect(loadConfig(missing)).rejects.toMatchObject({
        name: 'UserError',
        message: `${missing}: config file not found (looked for ${missing}; hint: create one, see README)`
      })
      await expect(loadConfig(dir)).rejects.toThrow(
        `${dir}: cannot read the config file: it is a directory`
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('names the file and line of a problem in the file it read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perf-gate-config-'))
    try {
      const file = join(dir, 'perf-gate.yml')
      await writeFile(file, `${MINIMAL}    warmup: -1\n`)
      await expect(loadConfig(file)).rejects.toThrow(
        `${file}:5: benchmarks[0].warmup must be an integer >= 0`
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('hardening (#19)', () => {
  const command = (extra: string) =>
    `benchmarks:\n  - name: b\n    kind: command\n    run: "true"\n    format: custom\n${extra}`

  it('refuses an output: file outside the config folder, which is deleted before each run', () => {
    for (const output of ['../victim.txt', '/etc/passwd', 'sub/../../victim.txt']) {
      expect(() => parseConfig(command(`    output: ${output}\n`), '/repo/perf-gate.yml')).toThrow(
        /^\/repo\/perf-gate\.yml:6: benchmarks\[0\]\.output must stay inside the config's folder \(\/repo\)/
      )
    }
    // cwd moves the base, not the fence.
    expect(() =>
      parseConfig(command('    cwd: sub\n    output: ../../x.json\n'), '/repo/perf-gate.yml')
    ).toThrow(/output must stay inside/)
    const ok = parseConfig(command('    cwd: sub\n    output: ../x.json\n'), '/repo/perf-gate.yml')
    expect(ok.benchmarks[0]).toMatchObject({ output: '../x.json', cwd: '/repo/sub', root: '/repo' })
  })

  it('refuses a config over 1 MiB before parsing it, with its size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perf-gate-config-'))
    try {
      const file = join(dir, 'perf-gate.yml')
      // Broken YAML too: the size is refused first, so nothing was parsed.
      const big = `${MINIMAL}  - [unclosed\n# ${'x'.repeat(1024 * 1024)}\n`
      await writeFile(file, big)
      await expect(loadConfig(file)).rejects.toThrow(
        `${file}: the config is 1.0 MiB; perf-gate reads configs up to 1 MiB`
      )
      expect(() => parseConfig(big, 'p.yml')).toThrow(/^p\.yml: the config is 1\.0 MiB/)
      expect(() => parseConfig(big.slice(0, 1000), 'p.yml')).toThrow(/invalid YAML/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('formats', () => {
  it('accepts every importer by name, for commands and files', () => {
    const config = parseConfig(
      'benchmarks:\n  - name: g\n    kind: command\n    run: go test -bench .\n    format: go\n  - name: l\n    kind: file\n    path: "*.jsonl"\n    format: llama-bench\n',
      'perf-gate.yml'
    )
    expect(config.benchmarks.map((b) => (b.kind === 'ollama' ? null : b.format))).toEqual([
      'go',
      'llama-bench'
    ])
  })
})

describe('adaptive sampling', () => {
  const yaml = (top: string, bench = '') =>
    `${top}benchmarks:\n  - name: a\n    kind: command\n    run: "true"\n${bench}  - name: b\n    kind: command\n    run: "true"\n`

  it('applies the top-level plan to command benchmarks, and a benchmark may override it', () => {
    const config = parseConfig(
      yaml(
        'adaptive: { min: 5, max: 20, step: 5 }\n',
        '    adaptive: { min: 6, max: 12, step: 2 }\n'
      ),
      'perf-gate.yml'
    )
    expect(config.benchmarks.map((b) => (b.kind === 'command' ? b.adaptive : null))).toEqual([
      { min: 6, max: 12, step: 2 },
      { min: 5, max: 20, step: 5 }
    ])
  })

  it('names the line of an impossible plan', () => {
    expect(() =>
      parseConfig(yaml('adaptive: { min: 10, max: 5, step: 5 }\n'), 'perf-gate.yml')
    ).toThrow('perf-gate.yml:1: adaptive.max must be >= adaptive.min (10)')
    expect(() =>
      parseConfig(
        yaml('min-samples: 6\nadaptive:\n  min: 5\n  max: 20\n  step: 5\n'),
        'perf-gate.yml'
      )
    ).toThrow('perf-gate.yml:3: adaptive.min must be >= min-samples (6)')
  })
})
