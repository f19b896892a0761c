import { describe, expect, it } from '@jest/globals'
import type { BaselineEntry, BaselineStore } from '../../src/baseline/store.js'
import type { ResultSet } from '../../src/results/model.js'
import { resultSet, timeBench } from '../helpers/results.js'

/**
 * What every baseline store promises, whatever it keeps baselines in. A harness opens stores on
 * one shared location (a new store is what the next workflow run sees) and can damage an entry or
 * make the next write fail half-way.
 */
export interface StoreHarness {
  open(opts?: { keep?: number; onWarning?: (m: string) => void }): BaselineStore
  /** Replaces the stored content of an entry with something that does not parse. */
  corrupt(entry: BaselineEntry): Promise<void>
  /** Makes the next write fail after it has started storing something. */
  failNextWrite(): void
  /** Called after the failed write, to stop injecting. */
  healed(): void
}

const hex = (c: string) => c.repeat(40)

export function baseline(minute: number, sha: string, testbed = 'test'): ResultSet {
  return resultSet([timeBench('b', [minute, minute + 1])], {
    testbed,
    createdAt: `2026-11-22T10:${String(minute).padStart(2, '0')}:00.000Z`,
    commit: { sha }
  })
}

const shas = (xs: Array<{ results: ResultSet }>) => xs.map((x) => x.results.commit.sha)

export function storeContract(name: string, harness: () => StoreHarness): void {
  describe(`${name} store contract`, () => {
    it('is empty before the first write', async () => {
      const store = harness().open()
      expect(await store.list('test')).toEqual([])
      expect(await store.testbeds()).toEqual([])
      expect(await store.latest('test')).toBeNull()
      expect(await store.forCommit('test', hex('a'))).toBeNull()
      expect(await store.history('test', 10)).toEqual([])
    })

    it('orders by creation time whatever the write order, and the next run sees it', async () => {
      const h = harness()
      const writer = h.open()
      await writer.write(baseline(1, hex('a')))
      await writer.write(baseline(3, hex('c')))
      const b = await writer.write(baseline(2, hex('b')))
      expect(b).toMatchObject({ testbed: 'test', sha: hex('b') })

      const store = h.open()
      const list = await store.list('test')
      const loaded = await Promise.all(list.map((e) => store.read(e)))
      expect(loaded.map((x) => x?.results.commit.sha)).toEqual([hex('a'), hex('b'), hex('c')])
      expect((await store.latest('test'))?.results.commit.sha).toBe(hex('c'))
      expect(shas(await store.history('test', 10))).toEqual([hex('a'), hex('b'), hex('c')])
      expect(shas(await store.history('test', 2))).toEqual([hex('b'), hex('c')])
      const read = await store.read(list[0])
      expect(read?.results).toEqual(baseline(1, hex('a')))
      expect((await store.forCommit('test', hex('b')))?.results.createdAt).toBe(
        '2026-11-22T10:02:00.000Z'
      )
      expect(await store.forCommit('test', hex('d'))).toBeNull()
    })

    it('returns the newest of several baselines of one commit', async () => {
      const h = harness()
      await h.open().write(baseline(1, hex('a')))
      await h.open().write(baseline(5, hex('a')))
      const found = await h.open().forCommit('test', hex('a'))
      expect(found?.results.createdAt).toBe('2026-11-22T10:05:00.000Z')
      expect(await h.open().list('test')).toHaveLength(2)
    })

    it('keeps only the newest K per testbed, leaving other testbeds alone', async () => {
      const h = harness()
      await h.open({ keep: 3 }).write(baseline(0, hex('f'), 'other'))
      for (let m = 1; m <= 5; m++) await h.open({ keep: 3 }).write(baseline(m, hex(String(m))))
      const store = h.open({ keep: 3 })
      expect(shas(await store.history('test', 10))).toEqual([hex('3'), hex('4'), hex('5')])
      expect(await store.list('other')).toHaveLength(1)
    })

    it('skips an unreadable entry with a warning and falls back to the older one', async () => {
      const h = harness()
      await h.open().write(baseline(1, hex('a')))
      const bad = await h.open().write(baseline(2, hex('b')))
      await h.corrupt(bad)
      const warnings: string[] = []
      const store = h.open({ onWarning: (m) => warnings.push(m) })
      expect((await store.latest('test'))?.results.commit.sha).toBe(hex('a'))
      expect(shas(await store.history('test', 10))).toEqual([hex('a')])
      expect(await store.forCommit('test', hex('b'))).toBeNull()
      expect(warnings.join('\n')).toMatch(/skipping unreadable baseline/)
    })

    it('writes all or nothing: a write failing half-way leaves the previous state readable', async () => {
      const h = harness()
      await h.open().write(baseline(1, hex('a')))
      h.failNextWrite()
      await expect(h.open().write(baseline(2, hex('b')))).rejects.toThrow(
        /previous baseline is unchanged/
      )
      h.healed()
      const warnings: string[] = []
      const store = h.open({ onWarning: (m) => warnings.push(m) })
      expect(await store.list('test')).toHaveLength(1)
      expect((await store.latest('test'))?.results.commit.sha).toBe(hex('a'))
      expect(warnings).toEqual([])
      // And the store still takes writes afterwards.
      await h.open().write(baseline(3, hex('c')))
      expect((await h.open().latest('test'))?.results.commit.sha).toBe(hex('c'))
    })

    it('keeps testbeds whose names need escaping apart and readable', async () => {
      const h = harness()
      const names = ['gpu/a100 (fp16)', '../../outside', 'ünïcode ✓', 'gpu']
      for (const [i, n] of names.entries()) await h.open().write(baseline(i + 1, hex('a'), n))
      const store = h.open()
      for (const [i, n] of names.entries()) {
        const got = await store.latest(n)
        expect(got?.results.testbed).toBe(n)
        expect(got?.results.createdAt).toBe(baseline(i + 1, hex('a'), n).createdAt)
        expect(await store.list(n)).toHaveLength(1)
      }
      // Every testbed is listed once, under a name `list` takes, even when it is escaped.
      const listed = await store.testbeds()
      expect(listed).toHaveLength(names.length)
      const found = await Promise.all(
        listed.map(async (t) => {
          const [entry, ...more] = await store.list(t)
          expect(more).toEqual([])
          return entry ? (await store.read(entry))?.results.testbed : undefined
        })
      )
      expect(found.sort()).toEqual([...names].sort())
    })
  })
}
