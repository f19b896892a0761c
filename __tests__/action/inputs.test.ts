import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { readInputs } from '../../src/action/inputs.js'

const from = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

describe('readInputs', () => {
  it('applies the documented defaults', () => {
    expect(readInputs(from({}))).toEqual({
      mode: 'gate',
      config: 'perf-gate.yml',
      results: undefined,
      baselineResults: undefined,
      baselineStore: 'local:.perf-gate/baselines',
      githubToken: undefined,
      failOn: 'fail',
      comment: true,
      checkRun: true,
      outputDir: '.perf-gate/out',
      rawDir: 'benchmarks/results/raw',
      testbed: undefined,
      repetitions: undefined,
      note: undefined,
      acceptLabel: 'perf-gate:accept',
      resultsDir: undefined,
      baselineRetention: undefined,
      baselineMaxDistance: 50,
      allowFingerprintChanges: [],
      shard: undefined,
      benchmarks: undefined,
      shards: undefined,
      analystModel: undefined,
      dashboardUrl: undefined,
      promoteDraft: 'false',
      openIssues: false
    })
  })

  it('reads exactly the inputs action.yml declares', () => {
    const asked = new Set<string>()
    readInputs((name) => {
      asked.add(name)
      return ''
    })
    const declared = Object.keys(
      (parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown> }).inputs
    )
    expect([...asked].sort()).toEqual(declared.sort())
  })

  it('reads every input', () => {
    const got = readInputs(
      from({
        mode: 'baseline',
        'fail-on': 'never',
        comment: 'false',
        'check-run': 'no',
        repetitions: '20',
        results: 'r/*.json',
        'accept-label': 'perf:ok',
        'results-dir': 'artifact',
        'dashboard-url': 'https://acme.github.io/app/'
      })
    )
    expect(got).toMatchObject({
      mode: 'baseline',
      failOn: 'never',
      comment: false,
      checkRun: false,
      repetitions: 20,
      results: 'r/*.json',
      acceptLabel: 'perf:ok',
      resultsDir: 'artifact',
      dashboardUrl: 'https://acme.github.io/app/'
    })
  })

  it.each([
    [
      { 'fail-on': 'sometimes' },
      "input 'fail-on' must be one of fail, warn, never; got 'sometimes'"
    ],
    [{ comment: 'maybe' }, "input 'comment' must be true or false; got 'maybe'"],
    [{ repetitions: '0' }, "input 'repetitions' must be an integer >= 1; got '0'"],
    [{ repetitions: '2.5' }, "input 'repetitions' must be an integer >= 1; got '2.5'"],
    [{ 'baseline-retention': '0' }, "input 'baseline-retention' must be an integer >= 1; got '0'"],
    [
      { 'baseline-max-distance': '-1' },
      "input 'baseline-max-distance' must be an integer >= 0; got '-1'"
    ],
    [{ shards: 'three' }, "input 'shards' must be an integer >= 1; got 'three'"],
    [{ mode: 'report' }, "mode 'report' needs the input 'results-dir'"],
    [
      { 'dashboard-url': 'javascript:alert(1)' },
      "input 'dashboard-url' must be an http(s) URL; got 'javascript:alert(1)'"
    ],
    [
      { 'promote-draft': 'yes' },
      "input 'promote-draft' must be one of false, true, when-all-gates-pass; got 'yes'"
    ]
  ])('names the input at fault: %j', (inputs, message) => {
    expect(() => readInputs(from(inputs))).toThrow(message)
  })
})
