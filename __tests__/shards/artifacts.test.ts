import { describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  downloadShardResults,
  shardFilesInDir,
  uploadShard,
  uploadShardResults,
  type ArtifactClient
} from '../../src/action/artifacts.js'

/** An in-memory artifact service: uploads keep the files, downloads copy them back. */
function memoryClient(opts: { digest?: (name: string) => string; mismatch?: boolean } = {}) {
  const stored: Array<{ id: number; name: string; dir: string; files: string[] }> = []
  const client: ArtifactClient = {
    uploadArtifact(name, files, root) {
      const dir = mkdtempSync(path.join(tmpdir(), 'pg-art-'))
      for (const f of files) cpSync(f, path.join(dir, path.relative(root, f)))
      stored.push({
        id: stored.length + 1,
        name,
        dir,
        files: files.map((f) => path.relative(root, f))
      })
      return Promise.resolve({ id: stored.length, size: 1 })
    },
    listArtifacts() {
      return Promise.resolve({
        artifacts: stored.map((a) => ({
          name: a.name,
          id: a.id,
          size: 1,
          ...(opts.digest ? { digest: opts.digest(a.name) } : {})
        }))
      })
    },
    downloadArtifact(id, o) {
      const a = stored.find((x) => x.id === id)
      if (!a || !o?.path) return Promise.reject(new Error(`no artifact ${id}`))
      cpSync(a.dir, o.path, { recursive: true })
      return Promise.resolve({ downloadPath: o.path, digestMismatch: opts.mismatch ?? false })
    }
  }
  return { client, stored }
}

function resultsFile(content = '{"version":1}'): string {
  const file = path.join(
    mkdtempSync(path.join(tmpdir(), 'pg-res-')),
    '20261122T100000Z_abc1234.json'
  )
  writeFileSync(file, content)
  return file
}

describe('uploadShardResults', () => {
  it('uploads the results as <artifact>.json, so merge-multiple downloads cannot collide', async () => {
    const { client, stored } = memoryClient()
    const scratch = mkdtempSync(path.join(tmpdir(), 'pg-scratch-'))
    await uploadShardResults(client, 'perf-gate-ci-shard-1-of-2', resultsFile('{"a":1}'), scratch)
    expect(stored).toEqual([
      expect.objectContaining({
        name: 'perf-gate-ci-shard-1-of-2',
        files: ['perf-gate-ci-shard-1-of-2.json']
      })
    ])
    expect(
      readFileSync(path.join(stored[0]?.dir ?? '', 'perf-gate-ci-shard-1-of-2.json'), 'utf8')
    ).toBe('{"a":1}')
  })

  it('turns a service failure into one line that says what to do instead', async () => {
    const client = {
      ...memoryClient().client,
      uploadArtifact: () => Promise.reject(new Error('Failed to CreateArtifact: (409) Conflict'))
    }
    await expect(
      uploadShardResults(
        client,
        'perf-gate-ci-shard-1-of-2',
        resultsFile(),
        mkdtempSync(path.join(tmpdir(), 'pg-'))
      )
    ).rejects.toThrow(
      "could not upload the shard results as artifact 'perf-gate-ci-shard-1-of-2': Failed to CreateArtifact: (409) Conflict. Where the artifact service is not available (GHES), upload results-path with actions/upload-artifact and give the merge job results-dir"
    )
  })
})

describe('uploadShard', () => {
  const env = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/' }
  async function upload(failure: Error): Promise<{ result: boolean | Error; warned: string[] }> {
    const saved = { ...process.env }
    Object.assign(process.env, env, { RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'pg-rt-')) })
    const warned: string[] = []
    const client = { ...memoryClient().client, uploadArtifact: () => Promise.reject(failure) }
    try {
      const result = await uploadShard(
        'perf-gate-ci-shard-1-of-2',
        resultsFile(),
        (m) => warned.push(m),
        () => Promise.resolve(client)
      ).catch((e: Error) => e)
      return { result, warned }
    } finally {
      process.env = saved
    }
  }

  it('carries on with a warning where the server has no artifact service (GHES)', async () => {
    const ghes = Object.assign(new Error('not currently supported on GHES'), {
      name: 'GHESNotSupportedError'
    })
    const { result, warned } = await upload(ghes)
    expect(result).toBe(false)
    expect(warned).toEqual([expect.stringContaining('this server has no artifact service')])
  })

  it('fails on any other refusal, rather than calling it a server without the service', async () => {
    const { result, warned } = await upload(
      new Error('Failed to CreateArtifact: Received non-retryable error: (403) Forbidden')
    )
    expect(warned).toEqual([])
    expect((result as Error).message).toMatch(
      /^could not upload the shard results as artifact 'perf-gate-ci-shard-1-of-2': Failed to CreateArtifact: .*\(403\) Forbidden/
    )
  })
})

describe('downloadShardResults', () => {
  async function withShards(opts: Parameters<typeof memoryClient>[0] = {}) {
    const m = memoryClient(opts)
    const scratch = mkdtempSync(path.join(tmpdir(), 'pg-scratch-'))
    for (const name of [
      'perf-gate-ci-shard-2-of-2',
      'perf-gate-ci-gpu-shard-1-of-1',
      'perf-gate-ci-shard-1-of-2',
      'coverage'
    ])
      await uploadShardResults(m.client, name, resultsFile(), scratch)
    return m.client
  }

  it('takes only the artifacts of the prefix, each into its own folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-dl-'))
    const got = await downloadShardResults(await withShards(), 'perf-gate-ci-shard-', dir)
    expect(got).toEqual([
      {
        label: 'perf-gate-ci-shard-1-of-2',
        file: path.join(dir, 'perf-gate-ci-shard-1-of-2', 'perf-gate-ci-shard-1-of-2.json')
      },
      {
        label: 'perf-gate-ci-shard-2-of-2',
        file: path.join(dir, 'perf-gate-ci-shard-2-of-2', 'perf-gate-ci-shard-2-of-2.json')
      }
    ])
  })

  it('says which artifacts there are when none is a shard', async () => {
    await expect(
      downloadShardResults(
        await withShards(),
        'perf-gate-laptop-shard-',
        mkdtempSync(path.join(tmpdir(), 'pg-'))
      )
    ).rejects.toThrow(
      'no shard results in this run: no artifact is named perf-gate-laptop-shard-* (found perf-gate-ci-shard-2-of-2, perf-gate-ci-gpu-shard-1-of-1, perf-gate-ci-shard-1-of-2, coverage). Run the shard jobs first (needs:) with the same testbed'
    )
  })

  it('asks for the digest the artifact was uploaded with and refuses a mismatch', async () => {
    const seen: Array<string | undefined> = []
    const client = await withShards({ digest: (n) => `sha256:${n}`, mismatch: true })
    const spy: ArtifactClient = {
      ...client,
      downloadArtifact: (id, o) => {
        seen.push(o?.expectedHash)
        return client.downloadArtifact(id, o)
      }
    }
    await expect(
      downloadShardResults(spy, 'perf-gate-ci-shard-', mkdtempSync(path.join(tmpdir(), 'pg-')))
    ).rejects.toThrow(
      "artifact 'perf-gate-ci-shard-1-of-2' arrived with another digest than it was uploaded with; refusing it"
    )
    expect(seen).toEqual(['sha256:perf-gate-ci-shard-1-of-2'])
  })
  it('refuses an artifact of the prefix that holds no results file', async () => {
    const client: ArtifactClient = {
      uploadArtifact: () => Promise.resolve({}),
      listArtifacts: () =>
        Promise.resolve({ artifacts: [{ name: 'perf-gate-ci-shard-1-of-1', id: 7, size: 0 }] }),
      downloadArtifact: (_id, o) => Promise.resolve({ downloadPath: o?.path ?? '' })
    }
    await expect(
      downloadShardResults(client, 'perf-gate-ci-shard-', mkdtempSync(path.join(tmpdir(), 'pg-')))
    ).rejects.toThrow(
      "artifact 'perf-gate-ci-shard-1-of-1' holds no results file (.json); was it uploaded by perf-gate?"
    )
  })
})

describe('shardFilesInDir', () => {
  it('labels files by their artifact folder, or by name when downloaded with merge-multiple', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-dir-'))
    mkdirSync(path.join(dir, 'perf-gate-ci-shard-1-of-2'))
    writeFileSync(path.join(dir, 'perf-gate-ci-shard-1-of-2', 'x.json'), '{}')
    writeFileSync(path.join(dir, 'perf-gate-ci-shard-2-of-2.json'), '{}')
    expect(await shardFilesInDir(dir)).toEqual([
      {
        label: 'perf-gate-ci-shard-1-of-2',
        file: path.join(dir, 'perf-gate-ci-shard-1-of-2', 'x.json')
      },
      { label: 'perf-gate-ci-shard-2-of-2', file: path.join(dir, 'perf-gate-ci-shard-2-of-2.json') }
    ])
  })

  it('refuses an empty folder and links', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pg-dir-'))
    await expect(shardFilesInDir(dir)).rejects.toThrow(
      `results-dir '${dir}' holds no results files; download the shard artifacts into it first`
    )
    symlinkSync('/etc/hostname', path.join(dir, 'evil.json'))
    await expect(shardFilesInDir(dir)).rejects.toThrow(/holds a symbolic link/)
  })
})
