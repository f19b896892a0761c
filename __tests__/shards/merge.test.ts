import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  mergeForConfig,
  mergeShards,
  readShardResults,
  type ShardResults
} from '../../src/engine/merge.js'
import { shardMembers } from '../../src/engine/shard.js'
import { UserError } from '../../src/errors.js'
import type { Environment } from '../../src/results/model.js'
import { resultSet, timeBench } from '../helpers/results.js'

const GPU: Partial<Environment> = {
  'gpu.count': 2,
  'gpu.names': 'NVIDIA RTX 4090, NVIDIA RTX 4090',
  'gpu.driver': '550.54.14',
  'ollama.version': '0.12.6'
}

function shard(
  index: number,
  names: string[],
  over: { env?: Partial<Environment>; sha?: string; testbed?: string; host?: string } = {}
): ShardResults {
  const set = resultSet(
    names.map((n) => timeBench(n, [10, 11, 12])),
    {
      testbed: over.testbed ?? 'gpu-box',
      ...(over.sha ? { commit: { sha: over.sha } } : {}),
      createdAt: `2026-11-22T10:0${index}:00.000Z`
    }
  )
  set.environment = {
    ...set.environment,
    ...GPU,
    hostname: over.host ?? `runner-${index}`,
    memoryBytes: 64e9 + index,
    ...over.env
  }
  return { label: `perf-gate-gpu-box-shard-${index}-of-3`, set }
}

const three = () => [shard(1, ['a', 'd']), shard(2, ['b']), shard(3, ['c'])]

describe('mergeShards', () => {
  it('joins the benchmarks of all shards into one set for one gate', () => {
    const merged = mergeShards(three())
    expect(merged.benchmarks.map((b) => b.name)).toEqual(['a', 'd', 'b', 'c'])
    expect(merged.testbed).toBe('gpu-box')
    expect(merged.commit.sha).toBe('a'.repeat(40))
    expect(merged.createdAt).toBe('2026-11-22T10:03:00.000Z')
    expect(merged.environment).toMatchObject({
      ...GPU,
      hostname: 'runner-1 | runner-2 | runner-3',
      memoryBytes: 64e9 + 1
    })
  })

  it('keeps the keys only one shard has (its own benchmarks’ model settings)', () => {
    const merged = mergeShards([
      shard(1, ['a'], { env: { 'ollama.a.model.digest': 'sha256:aa' } }),
      shard(2, ['b'], { env: { 'ollama.b.model.digest': 'sha256:bb' } }),
      shard(3, ['c'], { env: { 'gpu.count': undefined } })
    ])
    expect(merged.environment).toMatchObject({
      'ollama.a.model.digest': 'sha256:aa',
      'ollama.b.model.digest': 'sha256:bb',
      'gpu.count': 2
    })
  })

  it('names the missing shard and the benchmarks it would have run', () => {
    const names = ['a', 'b', 'c', 'd']
    expect(() =>
      mergeShards([shard(1, ['a', 'd']), shard(3, ['c'])], {
        membersOf: (index, count) => shardMembers(names, { index, count })
      })
    ).toThrow(
      new UserError(
        'shard 2/3 (b) is missing: found only perf-gate-gpu-box-shard-1-of-3, perf-gate-gpu-box-shard-3-of-3. A shard job failed or did not upload its results; the merge gates only a complete set'
      )
    )
  })

  it('counts shards against input shards when the names carry no index', () => {
    const lists = three().map((s, i) => ({ ...s, label: `perf-gate-gpu-box-shard-list${i}` }))
    expect(mergeShards(lists, { expected: 3 }).benchmarks).toHaveLength(4)
    expect(() => mergeShards(lists.slice(0, 2), { expected: 3 })).toThrow(
      /^expected 3 shard results \(input 'shards'\), found 2: perf-gate-gpu-box-shard-list0, perf-gate-gpu-box-shard-list1$/
    )
  })

  it('refuses shards cut for another n than input shards', () => {
    expect(() => mergeShards(three(), { expected: 4 })).toThrow(
      /perf-gate-gpu-box-shard-1-of-3 is shard 1 of 3, but input 'shards' is 4/
    )
  })

  it('refuses a benchmark measured by two shards', () => {
    expect(() => mergeShards([shard(1, ['a', 'b']), shard(2, ['b']), shard(3, ['c'])])).toThrow(
      new UserError(
        "benchmark 'b' is in both perf-gate-gpu-box-shard-1-of-3 and perf-gate-gpu-box-shard-2-of-3; give each benchmark to one shard"
      )
    )
  })

  it('refuses shards of another commit or testbed', () => {
    expect(() =>
      mergeShards([shard(1, ['a']), shard(2, ['b'], { sha: 'f'.repeat(40) }), shard(3, ['c'])])
    ).toThrow(
      /perf-gate-gpu-box-shard-2-of-3 measured commit f{40} but perf-gate-gpu-box-shard-1-of-3 measured a{40}/
    )
    expect(() =>
      mergeShards([shard(1, ['a']), shard(2, ['b'], { testbed: 'laptop' }), shard(3, ['c'])])
    ).toThrow(/measured testbed 'laptop' but perf-gate-gpu-box-shard-1-of-3 measured 'gpu-box'/)
  })

  it('refuses shards whose machines differ, naming each key, value and shard', () => {
    const run = () =>
      mergeShards([
        shard(1, ['a']),
        shard(2, ['b'], { env: { 'gpu.driver': '555.42.02' } }),
        shard(3, ['c'], { env: { 'ollama.version': '0.13.0', 'gpu.count': 1 } })
      ])
    expect(run).toThrow(UserError)
    expect(run).toThrow(
      "the shards of testbed 'gpu-box' ran on different machines: " +
        'gpu.driver is 550 in perf-gate-gpu-box-shard-1-of-3 but 555 in perf-gate-gpu-box-shard-2-of-3; ' +
        'gpu.count is 2 in perf-gate-gpu-box-shard-1-of-3 but 1 in perf-gate-gpu-box-shard-3-of-3; ' +
        'ollama.version is 0.12.6 in perf-gate-gpu-box-shard-1-of-3 but 0.13.0 in perf-gate-gpu-box-shard-3-of-3. ' +
        'Pin the matrix to runners of one kind (runs-on labels), give each kind its own testbed, or list the key in allow-fingerprint-changes'
    )
  })

  it('holds a key to the first shard that recorded it', () => {
    expect(() =>
      mergeShards([
        shard(1, ['a'], { env: { 'gpu.names': undefined } }),
        shard(2, ['b'], { env: { 'gpu.names': 'NVIDIA A100' } }),
        shard(3, ['c'], { env: { 'gpu.names': 'NVIDIA L4' } })
      ])
    ).toThrow(
      /: gpu.names is NVIDIA A100 in perf-gate-gpu-box-shard-2-of-3 but NVIDIA L4 in perf-gate-gpu-box-shard-3-of-3\./
    )
  })

  it('lets a driver bug-fix release, or an allowed key, differ and keeps both values', () => {
    const merged = mergeShards(
      [
        shard(1, ['a']),
        shard(2, ['b'], { env: { 'gpu.driver': '550.90.07', 'ollama.version': '0.13.0' } }),
        shard(3, ['c'], { env: { os: 'Linux 6.8.0-47' } })
      ],
      { allow: ['ollama.version'] }
    )
    expect(merged.environment).toMatchObject({
      'gpu.driver': '550.54.14 | 550.90.07',
      'ollama.version': '0.12.6 | 0.13.0',
      os: 'Linux | Linux 6.8.0-47'
    })
  })

  it('lets host names and a few MiB of memory differ between runners of one kind', () => {
    const merged = mergeShards([
      shard(1, ['a'], { host: 'gpu-a' }),
      shard(2, ['b'], { host: 'gpu-b', env: { memoryBytes: 63e9 } }),
      shard(3, ['c'], { host: 'gpu-a' })
    ])
    expect(merged.environment.hostname).toBe('gpu-a | gpu-b')
    expect(merged.environment.memoryBytes).toBe(63e9)
  })
})

describe('readShardResults', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-shards-'))
  const write = (name: string, body: unknown) => {
    const file = path.join(dir, name)
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body, null, 2))
    return file
  }

  it('reads one results document per shard', async () => {
    const file = write('one.json', shard(1, ['a']).set)
    const got = await readShardResults([{ label: 's1', file }])
    expect(got).toEqual([{ label: 's1', set: shard(1, ['a']).set }])
  })

  it('refuses an artifact with two results files', async () => {
    const a = write('a.json', shard(1, ['a']).set)
    const b = write('b.json', shard(1, ['b']).set)
    await expect(
      readShardResults([
        { label: 's1', file: a },
        { label: 's1', file: b }
      ])
    ).rejects.toThrow(`s1 holds 2 results files (${a}, ${b}); a shard uploads exactly one`)
  })

  it('points at the file and line of a broken document', async () => {
    const set = shard(1, ['a']).set as any
    set.benchmarks[0].metrics[0].samples = []
    const file = write('broken.json', set)
    await expect(readShardResults([{ label: 's1', file }])).rejects.toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: benchmarks\\[0\\]`)
    )
  })
})

describe('mergeForConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-merge-'))
  const configPath = path.join(dir, 'perf-gate.yml')
  writeFileSync(
    configPath,
    'testbed: gpu-box\nbenchmarks:\n' +
      ['a', 'b', 'c', 'd']
        .map((n) => `  - name: ${n}\n    kind: command\n    run: echo\n    format: none\n`)
        .join('')
  )
  const files = (shards: ShardResults[]) =>
    shards.map((s) => {
      const file = path.join(dir, `${s.label}.json`)
      writeFileSync(file, JSON.stringify(s.set))
      return { label: s.label, file }
    })

  it('asks for the artifacts of the testbed and merges them', async () => {
    const asked: string[] = []
    const merged = await mergeForConfig({
      configPath,
      sha: 'a'.repeat(40),
      fetch: (prefix) => {
        asked.push(prefix)
        return Promise.resolve(files(three()))
      }
    })
    expect(asked).toEqual(['perf-gate-gpu-box-shard-'])
    expect(merged.benchmarks).toHaveLength(4)
  })

  it('names the benchmarks of a missing shard from the config', async () => {
    await expect(
      mergeForConfig({
        configPath,
        fetch: () => Promise.resolve(files([shard(1, ['a', 'd']), shard(2, ['b'])]))
      })
    ).rejects.toThrow(/^shard 3\/3 \(c\) is missing/)
  })

  it('refuses shards measured at another commit than this run', async () => {
    await expect(
      mergeForConfig({
        configPath,
        sha: 'c'.repeat(40),
        fetch: () => Promise.resolve(files(three()))
      })
    ).rejects.toThrow(
      `the shard results are for commit ${'a'.repeat(40)}, but this run is for ${'c'.repeat(40)}: they come from another run`
    )
  })
})
