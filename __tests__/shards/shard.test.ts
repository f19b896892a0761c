import { describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/config/load.js'
import {
  parseBenchmarkList,
  parseShard,
  selectBenchmarks,
  shardArtifactName,
  shardArtifactPrefix,
  shardFromArtifactName,
  shardMembers
} from '../../src/engine/shard.js'
import { UserError } from '../../src/errors.js'
import { mulberry32 } from '../helpers/random.js'

function configWith(names: string[]) {
  const entries = names
    .map((n) => `  - name: ${n}\n    kind: command\n    run: echo ${n}\n    format: none\n`)
    .join('')
  return parseConfig(`testbed: gpu-box\nbenchmarks:\n${entries}`, 'perf-gate.yml')
}

function shuffled<T>(items: T[], seed: number): T[] {
  const rng = mulberry32(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

describe('parseShard', () => {
  it('reads i/n from a matrix', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 })
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 })
  })

  it.each(['0/3', '4/3', '3', 'a/b', '1/0', '-1/2', '1/2/3'])(
    'refuses %p, naming the input',
    (t) => {
      expect(() => parseShard(t)).toThrow(
        new UserError(
          `input 'shard' must be i/n with 1 <= i <= n (for example 2/3, from the matrix); got '${t}'`
        )
      )
    }
  )
})

describe('parseBenchmarkList', () => {
  it('takes commas or lines, trims, drops blanks and repeats', () => {
    expect(parseBenchmarkList('a, b,\n c\n\na')).toEqual(['a', 'b', 'c'])
  })
})

describe('shardMembers', () => {
  const rng = mulberry32(7)
  const cases = Array.from({ length: 40 }, (_, k) => {
    const size = 1 + Math.floor(rng() * 30)
    const names = Array.from({ length: size }, (_, i) => `bench-${(i * 7919) % 1000}-${k}`)
    return { names, count: 1 + Math.floor(rng() * size) }
  })

  it('deals every benchmark to exactly one shard, sizes within one of each other', () => {
    for (const { names, count } of cases) {
      const shards = Array.from({ length: count }, (_, i) =>
        shardMembers(names, { index: i + 1, count })
      )
      expect(shards.flat().sort()).toEqual([...names].sort())
      const sizes = shards.map((s) => s.length)
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    }
  })

  it('does not depend on the order of the config', () => {
    for (const [k, { names, count }] of cases.entries()) {
      const other = shuffled(names, k + 1)
      for (let i = 1; i <= count; i++) {
        expect(shardMembers(other, { index: i, count })).toEqual(
          shardMembers(names, { index: i, count })
        )
      }
    }
  })

  it('deals in sorted name order', () => {
    const names = ['e', 'a', 'd', 'c', 'b']
    expect(shardMembers(names, { index: 1, count: 2 })).toEqual(['a', 'c', 'e'])
    expect(shardMembers(names, { index: 2, count: 2 })).toEqual(['b', 'd'])
  })
})

describe('selectBenchmarks', () => {
  const config = configWith(['decode', 'prefill', 'load', 'embed'])

  it('keeps the shard members in config order with their settings', () => {
    const got = selectBenchmarks(config, { kind: 'shard', shard: { index: 1, count: 2 } })
    expect(got.benchmarks.map((b) => b.name)).toEqual(['decode', 'load'])
    expect(got.benchmarks[0]).toBe(config.benchmarks[0])
    expect(got.testbed).toBe('gpu-box')
  })

  it('takes an explicit list', () => {
    const got = selectBenchmarks(config, { kind: 'list', names: ['embed', 'decode'] })
    expect(got.benchmarks.map((b) => b.name)).toEqual(['decode', 'embed'])
  })

  it('refuses unknown names and lists the known ones', () => {
    expect(() => selectBenchmarks(config, { kind: 'list', names: ['decode', 'decod3'] })).toThrow(
      new UserError(
        "input 'benchmarks' names 'decod3', not in perf-gate.yml; its benchmarks are: decode, prefill, load, embed"
      )
    )
  })

  it('refuses more shards than benchmarks, since a shard would run nothing', () => {
    expect(() =>
      selectBenchmarks(config, { kind: 'shard', shard: { index: 5, count: 5 } })
    ).toThrow(/input 'shard' is 5\/5, but perf-gate.yml has 4 benchmark\(s\): use at most 4 shards/)
  })
})

describe('shard artifact names', () => {
  it('names index shards i-of-n under the testbed prefix and reads them back', () => {
    const name = shardArtifactName('gpu box', { kind: 'shard', shard: { index: 2, count: 3 } })
    expect(name).toBe('perf-gate-gpu_box-shard-2-of-3')
    expect(name.startsWith(shardArtifactPrefix('gpu box'))).toBe(true)
    expect(shardFromArtifactName(name)).toEqual({ index: 2, count: 3 })
  })

  it('keeps testbeds apart even when one name starts with the other', () => {
    const other = shardArtifactName('ci-gpu', { kind: 'shard', shard: { index: 1, count: 2 } })
    expect(other.startsWith(shardArtifactPrefix('ci'))).toBe(false)
  })

  it('names lists by their sorted names and a hash, so lists that slug alike differ', () => {
    const a = shardArtifactName('ci', { kind: 'list', names: ['b/x', 'a'] })
    const b = shardArtifactName('ci', { kind: 'list', names: ['a', 'b:x'] })
    expect(a).toMatch(/^perf-gate-ci-shard-a_b_x-[0-9a-f]{8}$/)
    expect(b).not.toBe(a)
    expect(shardArtifactName('ci', { kind: 'list', names: ['a', 'b/x'] })).toBe(a)
    expect(a).not.toMatch(/["/:<>|*?\\\r\n]/)
    expect(shardFromArtifactName(a)).toBeNull()
  })
})
