import { beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openStore } from '../../src/baseline/index.js'
import { LocalBaselineStore, safeSegment, testbedFolder } from '../../src/baseline/local-store.js'
import { resultSet, timeBench } from '../helpers/results.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pg-store-'))
})

const at = (minute: number, sha: string) =>
  resultSet([timeBench('b', [minute, minute + 1])], {
    createdAt: `2026-11-22T10:${String(minute).padStart(2, '0')}:00.000Z`,
    commit: { sha }
  })

describe('LocalBaselineStore', () => {
  it('has no baseline before the first write', async () => {
    expect(await new LocalBaselineStore(dir).latest('test')).toBeNull()
  })

  it('keeps history and returns the newest as the baseline', async () => {
    const store = new LocalBaselineStore(dir)
    await store.write(at(1, 'a1'))
    await store.write(at(3, 'c3'))
    await store.write(at(2, 'b2'))
    expect((await store.latest('test'))?.results.commit.sha).toBe('c3')
    expect((await store.history('test', 10)).map((h) => h.results.commit.sha)).toEqual([
      'a1',
      'b2',
      'c3'
    ])
    expect((await store.history('test', 2)).map((h) => h.results.commit.sha)).toEqual(['b2', 'c3'])
  })

  it('keeps testbeds apart', async () => {
    const store = new LocalBaselineStore(dir)
    await store.write(at(1, 'x'))
    expect(await store.latest('other')).toBeNull()
  })

  it('a failed write leaves the previous baseline and no partial file', async () => {
    const store = new LocalBaselineStore(dir)
    await store.write(at(1, 'good'))
    const broken = at(2, 'bad') as unknown as { note: unknown }
    broken.note = 10n // JSON.stringify throws on BigInt: the write fails before anything is renamed
    await expect(store.write(broken as never)).rejects.toThrow(
      /could not write the baseline .* previous baseline is unchanged/
    )
    expect((await store.latest('test'))?.results.commit.sha).toBe('good')
    expect(readdirSync(path.join(dir, 'test')).filter((f) => f.startsWith('.tmp-'))).toEqual([])
  })

  it('ignores a temporary file left by a killed writer, and skips a corrupt newer file with a warning', async () => {
    const warnings: string[] = []
    const store = new LocalBaselineStore(dir, { onWarning: (m) => warnings.push(m) })
    await store.write(at(1, 'good'))
    writeFileSync(path.join(dir, 'test', '.tmp-999-deadbeef.json'), '{"version": 1, "testb')
    writeFileSync(path.join(dir, 'test', '20991231T000000000Z_cut.json'), '{"version": 1, "testb')
    expect((await store.latest('test'))?.results.commit.sha).toBe('good')
    expect(warnings.join('\n')).toMatch(
      /skipping unreadable baseline: .*20991231T000000000Z_cut\.json:1: .*truncated/
    )
  })

  it('prunes beyond the retention count', async () => {
    const store = new LocalBaselineStore(dir, { keep: 2 })
    for (let i = 1; i <= 4; i++) await store.write(at(i, `s${i}`))
    expect((await store.history('test', 10)).map((h) => h.results.commit.sha)).toEqual(['s3', 's4'])
  })

  it('cannot be steered outside its folder by a testbed name', () => {
    for (const name of ['../../etc', '..', '.', 'a/b', '/abs', 'dual 5090', '\u0000x']) {
      const folder = testbedFolder(name)
      expect(folder).not.toMatch(/[/\\]/)
      expect(folder.includes('\u0000')).toBe(false)
      expect(folder).not.toMatch(/^\./)
      expect(path.resolve(dir, folder).startsWith(dir + path.sep)).toBe(true)
    }
  })

  it('gives every testbed name a folder of its own, readable, plain names unchanged', () => {
    const names = ['gpü', 'gpä', 'gpé', 'gp_', '.', '..', '_', 'a/b', 'a_b', 'CI', 'ci', 'Ci', '']
    const folders = names.map(testbedFolder)
    // Case-insensitive file systems (macOS, Windows) would merge folders differing only in case.
    expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(names.length)
    expect(testbedFolder('ci')).toBe('ci')
    expect(testbedFolder('gpu-a100.x2')).toBe('gpu-a100.x2')
    expect(testbedFolder('gpä')).toMatch(/^gpa~[0-9a-f]{12}$/)
    expect(testbedFolder('dual 5090')).toMatch(/^dual_5090~[0-9a-f]{12}$/)
  })

  it('never gates one testbed against another whose name differs only in an accent', async () => {
    const store = new LocalBaselineStore(dir)
    await store.write({ ...at(1, 'a'), testbed: 'gpä' })
    expect(await store.latest('gpé')).toBeNull()
    expect(await store.latest('gpü')).toBeNull()
    expect((await store.latest('gpä'))?.results.testbed).toBe('gpä')
  })

  it('reads a store written with the old folder names, refusing baselines of another testbed', async () => {
    // Before: every folder was safeSegment(name), so gpä and gpé shared `gp_`.
    const warnings: string[] = []
    const legacy = path.join(dir, safeSegment('gpä'))
    mkdirSync(legacy, { recursive: true })
    const old = { ...at(1, 'old'), testbed: 'gpä' }
    writeFileSync(path.join(legacy, '20261122T100100000Z_old.json'), JSON.stringify(old))
    const store = new LocalBaselineStore(dir, { onWarning: (m) => warnings.push(m) })
    expect((await store.latest('gpä'))?.results.commit.sha).toBe('old')
    expect(await store.latest('gpé')).toBeNull()
    expect(warnings.join('\n')).toMatch(/recorded for testbed "gpä", not "gpé"/)
    // A new baseline goes to the new folder and is newer than the old one.
    await store.write({ ...at(2, 'new'), testbed: 'gpä' })
    expect((await store.history('gpä', 10)).map((h) => h.results.commit.sha)).toEqual([
      'old',
      'new'
    ])
    expect(readdirSync(path.join(dir, testbedFolder('gpä')))).toHaveLength(1)
    // Listed by the names the baselines record, the old shared folder's included.
    const gpe = { ...at(3, 'e'), testbed: 'gpé' }
    writeFileSync(path.join(legacy, '20261122T100300000Z_e.json'), JSON.stringify(gpe, null, 2))
    expect(await store.testbeds()).toEqual(['gpä', 'gpé'])
    expect((await store.latest('gpé'))?.results.commit.sha).toBe('e')
  })
})

describe('openStore', () => {
  it('parses local:DIR relative to the workspace', () => {
    expect(openStore('local:base', { cwd: dir }).location).toBe(`local:${path.join(dir, 'base')}`)
  })
  it('refuses anything else with the accepted forms', () => {
    expect(() => openStore('s3://bucket', { cwd: dir })).toThrow(
      "baseline-store must be 'local:DIR' or 'git:BRANCH', got 's3://bucket'"
    )
  })
})
