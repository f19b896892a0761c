import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  defaultConfig,
  describeAssumed,
  loadConfigOrDefaults,
  pinningConfig,
  runnerTestbed
} from '../../src/config/defaults.js'
import { parseConfig } from '../../src/config/load.js'
import { renderAssumedConfig } from '../../src/report/assumed-config.js'

const dir = () => mkdtempSync(path.join(tmpdir(), 'pg-defaults-'))

describe('runnerTestbed', () => {
  it("names the runner's OS and architecture, preferring the runner's own variables", () => {
    expect(runnerTestbed({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' })).toBe('linux-x64')
    expect(runnerTestbed({ RUNNER_OS: 'macOS', RUNNER_ARCH: 'ARM64' })).toBe('macos-arm64')
    expect(runnerTestbed({}, 'win32', 'x64')).toBe('windows-x64')
    expect(runnerTestbed({}, 'linux', 'arm64')).toBe('linux-arm64')
  })
})

describe('the pinning perf-gate.yml', () => {
  it('is three lines that load to exactly the defaults the run assumed', () => {
    const pin = pinningConfig('linux-x64')
    expect(pin.trimEnd().split('\n')).toEqual([
      'testbed: linux-x64',
      'thresholds:',
      '  non-critical: { warn: 5%, fail: 10% }'
    ])
    const file = path.join(dir(), 'perf-gate.yml')
    expect(parseConfig(pin, file, { imported: true })).toEqual(defaultConfig(file, 'linux-x64'))
  })

  it('quotes a testbed name YAML would read otherwise', () => {
    const pin = pinningConfig('gpu: a100 #1')
    expect(parseConfig(pin, 'perf-gate.yml', { imported: true }).testbed).toBe('gpu: a100 #1')
  })
})

describe('loadConfigOrDefaults', () => {
  it('runs on the defaults when the run imports results and there is no config file', async () => {
    const file = path.join(dir(), 'perf-gate.yml')
    const got = await loadConfigOrDefaults(file, {
      imported: true,
      env: { RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' }
    })
    expect(got.config).toEqual(defaultConfig(file, 'linux-x64'))
    expect(got.assumed).toMatchObject({ testbed: 'linux-x64', testbedFrom: 'runner', warn: 0.05 })
    expect(describeAssumed(got.assumed!)).toEqual([
      `no ${file}: running on defaults: testbed 'linux-x64' (the runner's OS and architecture; name it with the testbed input (CLI: --testbed)), the default budgets (warn 5%, fail 10%), every imported benchmark gated.`,
      `To pin this, commit this ${file}:`,
      'testbed: linux-x64',
      'thresholds:',
      '  non-critical: { warn: 5%, fail: 10% }'
    ])
  })

  it('takes the testbed input when there is one', async () => {
    const got = await loadConfigOrDefaults(path.join(dir(), 'perf-gate.yml'), {
      imported: true,
      testbed: 'dual-5090'
    })
    expect(got.config.testbed).toBe('dual-5090')
    expect(got.assumed?.testbedFrom).toBe('input')
  })

  it('still needs the file when nothing is imported', async () => {
    await expect(
      loadConfigOrDefaults(path.join(dir(), 'perf-gate.yml'), { imported: false })
    ).rejects.toThrow(/config file not found/)
  })

  it('fails on a config that exists and is invalid, as always', async () => {
    const file = path.join(dir(), 'perf-gate.yml')
    writeFileSync(file, 'testbed: ci\nthresholds: { core: { warn: lots } }\n')
    await expect(loadConfigOrDefaults(file, { imported: true })).rejects.toThrow(
      /perf-gate.yml:2: thresholds.core.warn must be a percentage/
    )
  })

  it('accepts a config without benchmarks only when results are imported', async () => {
    const file = path.join(dir(), 'perf-gate.yml')
    writeFileSync(file, pinningConfig('ci'))
    const got = await loadConfigOrDefaults(file, { imported: true })
    expect(got.assumed).toBeNull()
    expect(got.config).toMatchObject({ testbed: 'ci', benchmarks: [] })
    await expect(loadConfigOrDefaults(file, { imported: false })).rejects.toThrow(
      /perf-gate.yml:1: benchmarks is required: list what to run, or import result files/
    )
  })
})

describe('renderAssumedConfig', () => {
  it('says what was assumed and shows the file that pins it, escaping a testbed from an input', () => {
    const md = renderAssumedConfig({
      file: 'perf-gate.yml',
      testbed: 'a`b <!-- x',
      testbedFrom: 'input',
      warn: 0.05,
      fail: 0.1,
      pin: pinningConfig('a`b <!-- x')
    })
    expect(md).toContain('> **No `perf-gate.yml`: this run used the defaults.**')
    expect(md).toContain('(from the `testbed` input), the default budgets (warn 5 %, fail 10 %)')
    // Only inside the fenced block, where it is literal text and the YAML needs it verbatim.
    expect(md.split('```yaml')[0]).not.toContain('<!--')
    expect(md).toMatch(
      /```yaml\ntestbed: "a`b <!-- x"\nthresholds:\n {2}non-critical: \{ warn: 5%, fail: 10% \}\n```$/
    )
  })
})
