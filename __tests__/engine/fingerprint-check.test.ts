import { describe, expect, it } from '@jest/globals'
import {
  checkFingerprint,
  compareWithFingerprint,
  usableHistory
} from '../../src/engine/fingerprint-check.js'
import type { Environment } from '../../src/results/model.js'
import { fingerprintNote } from '../../src/report/baseline-note.js'
import type { GateReport } from '../../src/types/report.js'
import { lognormal, mulberry32, resultSet, timeBench } from '../helpers/results.js'

const DIGEST_A = 'sha256:' + 'a1'.repeat(32)
const DIGEST_B = 'sha256:' + 'b2'.repeat(32)

function env(over: Record<string, string | number | null> = {}): Environment {
  return {
    os: 'Linux 6.8',
    arch: 'x64',
    cpu: 'AMD EPYC 9354',
    cpuCount: 64,
    memoryBytes: 256e9,
    node: 'v24.1.0',
    hostname: 'runner-1',
    'gpu.count': 2,
    'gpu.names': 'NVIDIA GeForce RTX 5090, NVIDIA GeForce RTX 5090',
    'gpu.driver': '570.133.07',
    'cuda.version': '12.8',
    'ollama.version': '0.12.6',
    'ollama.chat.model': 'llama3.3:70b',
    'ollama.chat.model.digest': DIGEST_A,
    'ollama.chat.model.quantization': 'Q4_K_M',
    'ollama.chat.num_ctx': 8192,
    'ollama.summarise.model.digest': DIGEST_B,
    'ollama.summarise.model.quantization': 'Q4_K_M',
    'ollama.summarise.num_ctx': 4096,
    ...over
  }
}

describe('which keys block a comparison', () => {
  it('finds nothing when only the host name differs', () => {
    expect(checkFingerprint(env(), env({ hostname: 'runner-7' }))).toEqual([])
  })

  it('compares the driver by major version only', () => {
    expect(checkFingerprint(env(), env({ 'gpu.driver': '570.172.08' }))).toEqual([])
    expect(checkFingerprint(env(), env({ 'gpu.driver': '575.51.02' }))).toEqual([
      {
        key: 'gpu.driver',
        baseline: '570',
        current: '575',
        benchmark: null,
        effect: 'block',
        allowed: false
      }
    ])
  })

  it.each([
    ['gpu.count', 1, '2', '1'],
    ['gpu.names', 'NVIDIA GeForce RTX 4090, NVIDIA GeForce RTX 4090', null, null],
    ['ollama.version', '0.13.0', '0.12.6', '0.13.0']
  ])('%s is machine-wide: every benchmark', (key, value, from, to) => {
    const [d] = checkFingerprint(env(), env({ [key]: value }))
    expect(d).toMatchObject({ key, benchmark: null, effect: 'block' })
    if (from !== null) expect([d?.baseline, d?.current]).toEqual([from, to])
  })

  it.each([
    ['ollama.chat.model.digest', DIGEST_B, 'a1a1a1a1a1a1', 'b2b2b2b2b2b2'],
    ['ollama.chat.model.quantization', 'Q8_0', 'Q4_K_M', 'Q8_0'],
    ['ollama.chat.num_ctx', 4096, '8192', '4096']
  ])('%s concerns its benchmark only', (key, value, from, to) => {
    expect(checkFingerprint(env(), env({ [key]: value }))).toEqual([
      { key, baseline: from, current: to, benchmark: 'chat', effect: 'block', allowed: false }
    ])
  })

  it('only notes the CPU, CUDA and keys one side did not record', () => {
    const diffs = checkFingerprint(
      env({ 'ollama.version': null }),
      env({ cpu: 'AMD EPYC 9355', 'cuda.version': '12.9' })
    )
    expect(diffs.map((d) => [d.key, d.effect])).toEqual([
      ['cpu', 'note'],
      ['cuda.version', 'note'],
      ['ollama.version', 'note']
    ])
    expect(diffs[2]).toMatchObject({ baseline: null, current: '0.12.6' })
  })

  it('allows listed keys and patterns', () => {
    const diffs = checkFingerprint(
      env(),
      env({
        'gpu.driver': '575.51.02',
        'ollama.chat.model.digest': DIGEST_B,
        'ollama.version': '0.13.0'
      }),
      ['gpu.driver', 'ollama.*.model.digest']
    )
    expect(diffs.map((d) => [d.key, d.allowed])).toEqual([
      ['gpu.driver', true],
      ['ollama.chat.model.digest', true],
      ['ollama.version', false]
    ])
  })
})

describe('the gate with a different environment', () => {
  const rng = mulberry32(7)
  const base = () => [
    timeBench('chat', lognormal(rng, 10, 100, 0.02)),
    timeBench('summarise', lognormal(rng, 10, 50, 0.02)),
    timeBench('tokenize', lognormal(rng, 10, 10, 0.02))
  ]
  // Every benchmark 30 % slower: a certain fail wherever it is compared.
  const slower = (bs: ReturnType<typeof base>) =>
    bs.map((b) => ({
      ...b,
      metrics: b.metrics.map((m) => ({ ...m, samples: m.samples.map((x) => x * 1.3) }))
    }))

  it('a machine-wide difference leaves every benchmark neutral and names it', () => {
    const before = resultSet(base(), { environment: env() })
    const after = resultSet(slower(base()), { environment: env({ 'gpu.driver': '575.51.02' }) })
    const diffs = checkFingerprint(before.environment, after.environment)
    const outcome = compareWithFingerprint(before, after, diffs)
    expect(outcome.verdict).toBe('neutral')
    expect(outcome.reason).toBe(
      'not compared: the environment differs from the baseline (gpu.driver 570 → 575); list the keys in allow-fingerprint-changes to compare anyway'
    )
    expect(outcome.comparisons.map((c) => c.verdict)).toEqual(['neutral', 'neutral', 'neutral'])
    expect(outcome.comparisons[0]?.reason).toBe(
      'not compared: the environment differs from the baseline (gpu.driver 570 → 575)'
    )
    // The numbers are still shown.
    expect(outcome.comparisons[0]?.current?.median).toBeGreaterThan(120)
  })

  it("a benchmark's own difference leaves only that benchmark neutral", () => {
    const before = resultSet(base(), { environment: env() })
    const after = resultSet(slower(base()), {
      environment: env({ 'ollama.chat.num_ctx': 4096 })
    })
    const outcome = compareWithFingerprint(
      before,
      after,
      checkFingerprint(before.environment, after.environment)
    )
    expect(outcome.verdict).toBe('fail')
    const by = Object.fromEntries(outcome.comparisons.map((c) => [c.benchmark, c.verdict]))
    expect(by).toEqual({ summarise: 'fail', tokenize: 'fail', chat: 'neutral' })
    expect(outcome.reason).toMatch(
      /; 1 metric not compared because the environment differs from the baseline \(ollama\.chat\.num_ctx 8192 → 4096\); list the keys/
    )
  })

  it('an allowed difference is compared as usual', () => {
    const before = resultSet(base(), { environment: env() })
    const after = resultSet(slower(base()), { environment: env({ 'gpu.driver': '575.51.02' }) })
    const outcome = compareWithFingerprint(
      before,
      after,
      checkFingerprint(before.environment, after.environment, ['gpu.driver'])
    )
    expect(outcome.verdict).toBe('fail')
    expect(outcome.comparisons.every((c) => c.verdict === 'fail')).toBe(true)
  })

  it('the ledger note lists each difference, escaped', () => {
    const diffs = checkFingerprint(
      env(),
      env({ 'gpu.driver': '575.51.02', 'ollama.version': '0.13.0|<b>x</b>', cpu: 'EPYC *9355*' }),
      ['ollama.version']
    )
    const note = fingerprintNote({ fingerprint: diffs } as GateReport)
    expect(note).toBe(
      [
        '**Environment differs from the baseline:**',
        '- gpu.driver 570 → 575: every benchmark not compared',
        '- ollama.version 0.12.6 → 0.13.0\\|&lt;b&gt;x&lt;/b&gt;: allowed, compared anyway',
        '- cpu AMD EPYC 9354 → EPYC \\*9355\\* (for information)'
      ].join('\n')
    )
  })
})

describe('which stored jobs may stand for a benchmark (the history-aware rule)', () => {
  const set = (over: Record<string, string | number | null> = {}) =>
    resultSet([], { environment: env(over) })

  it('leaves out jobs of another driver for every benchmark, and of another model for its own', () => {
    const sets = [
      set({ 'gpu.driver': '565.57.01' }),
      set({ 'ollama.chat.model.digest': DIGEST_B }),
      set({ hostname: 'runner-9', cpu: 'another cpu' }),
      set()
    ]
    const usable = usableHistory(sets, env())
    expect(['chat', 'summarise'].map((b) => sets.map((_, i) => usable(i, b)))).toEqual([
      [false, false, true, true],
      [false, true, true, true]
    ])
    // Sub-benchmarks of `chat` (a prompt set's rows) go with it.
    expect(usable(1, 'chat/prompt-2')).toBe(false)
  })

  it('keeps jobs whose difference is allowed', () => {
    const sets = [set({ 'gpu.driver': '565.57.01' })]
    expect(usableHistory(sets, env(), ['gpu.driver'])(0, 'chat')).toBe(true)
  })
})
