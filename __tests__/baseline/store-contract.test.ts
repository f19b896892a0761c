import { afterEach, beforeEach, describe, expect } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { writeFileAtomic } from '../../src/shared/fs.js'
import { GitBaselineStore } from '../../src/baseline/git-store.js'
import { LocalBaselineStore, testbedFolder } from '../../src/baseline/local-store.js'
import { GitHubStandin } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { mulberry32 } from '../helpers/random.js'
import { storeContract, type StoreHarness } from './store-contract.js'

storeContract('local', (): StoreHarness => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-contract-'))
  let failing = false
  // A crash half-way: a temporary file cut short, and the rename never happens.
  const writeFile = async (file: string, content: string) => {
    if (!failing) return writeFileAtomic(file, content)
    writeFileSync(path.join(path.dirname(file), '.tmp-4242-dead.json'), content.slice(0, 20))
    throw new Error('ENOSPC: no space left on device')
  }
  return {
    open: (o = {}) => new LocalBaselineStore(dir, { ...o, writeFile }),
    corrupt: (e) => {
      writeFileSync(path.join(dir, testbedFolder(e.testbed), e.id), '{"version": 1, "cut sh')
      return Promise.resolve()
    },
    failNextWrite: () => (failing = true),
    healed: () => (failing = false)
  }
})

describe('git', () => {
  let gh: GitHubStandin
  beforeEach(async () => {
    gh = await new GitHubStandin().start()
  })
  afterEach(async () => {
    await gh.close()
    expect(gh.violations).toEqual([])
  })

  storeContract('git', (): StoreHarness => {
    const rng = mulberry32(7)
    return {
      open: (o = {}) =>
        new GitBaselineStore(
          standinClient(gh),
          { owner: gh.owner, repo: gh.repo },
          { branch: 'perf-gate-data', timeScale: 0.001, random: rng, ...o }
        ),
      corrupt: (e) => {
        const index = JSON.parse(gh.git.branchFiles('perf-gate-data')['index.json'] ?? '{}')
        const blob = index.entries.find((x: { path: string }) => x.path === e.id)?.blob
        gh.git.blobs.set(blob, '{"version": 1, "cut sh')
        return Promise.resolve()
      },
      // Blob, tree and commit are created; moving the branch fails every time.
      failNextWrite: () => gh.inject('git/update-ref', { kind: 'status', status: 502 }, 1000),
      healed: () => gh.clearFaults()
    }
  })
})
