import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import type { Dirent } from 'node:fs'
import path from 'node:path'
import { UserError, errorMessage } from '../errors.js'
import { makeInput, parseResultSet } from '../importers/index.js'
import type { ResultSet } from '../results/model.js'
import { writeFileAtomic } from '../shared/fs.js'
import type { BaselineEntry, BaselineStore, StoredBaseline } from './store.js'

/**
 * Baselines as files: `DIR/<testbed>/<time>_<sha>.json`, one per recorded run. The directory
 * listing is the index, so there is no second file to keep consistent. Each file is written to a
 * temporary name, flushed, then renamed into place: rename is atomic on POSIX file systems, so a
 * crash or kill mid-write leaves only a stray temporary file that readers ignore.
 */
export class LocalBaselineStore implements BaselineStore {
  readonly location: string

  constructor(
    readonly dir: string,
    private readonly opts: {
      keep?: number
      onWarning?: (message: string) => void
      /** How a file is put in place; tests inject a failing one. */
      writeFile?: (file: string, content: string) => Promise<void>
    } = {}
  ) {
    this.location = `local:${dir}`
  }

  async testbeds(): Promise<string[]> {
    let dirs: Dirent[]
    try {
      dirs = await readdir(this.dir, { withFileTypes: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new UserError(`cannot read the baseline store ${this.dir}: ${errorMessage(e)}`)
    }
    return dirs
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort()
  }

  list(testbed: string): Promise<BaselineEntry[]> {
    return this.entries(testbed)
  }

  read(entry: BaselineEntry): Promise<StoredBaseline | null> {
    return this.load(entry.testbed, entry)
  }

  async forCommit(testbed: string, sha: string): Promise<StoredBaseline | null> {
    // File names carry 12 hex digits of the sha; the loaded file confirms the full one.
    const prefix = sha.slice(0, 12)
    const newestFirst = (await this.entries(testbed)).reverse()
    for (const entry of newestFirst.filter((e) => e.sha === prefix)) {
      const loaded = await this.load(testbed, entry)
      if (loaded && loaded.results.commit.sha === sha) return loaded
    }
    return null
  }

  async latest(testbed: string): Promise<StoredBaseline | null> {
    const newestFirst = (await this.entries(testbed)).reverse()
    for (const entry of newestFirst) {
      const loaded = await this.load(testbed, entry)
      if (loaded) return loaded
    }
    return null
  }

  async history(testbed: string, limit: number): Promise<StoredBaseline[]> {
    const entries = (await this.entries(testbed)).slice(-limit)
    const loaded = await Promise.all(entries.map((e) => this.load(testbed, e)))
    return loaded.filter((x): x is StoredBaseline => x !== null)
  }

  async write(results: ResultSet): Promise<BaselineEntry> {
    const dir = this.testbedDir(results.testbed)
    await mkdir(dir, { recursive: true })
    const id = `${compactTime(results.createdAt)}_${(results.commit.sha ?? 'nosha').slice(0, 12)}.json`
    const final = path.join(dir, id)
    try {
      await (this.opts.writeFile ?? writeFileAtomic)(final, JSON.stringify(results, null, 2) + '\n')
    } catch (e) {
      throw new UserError(
        `could not write the baseline to ${final}: ${errorMessage(e)}; the previous baseline is unchanged`
      )
    }
    await this.prune(results.testbed)
    return { testbed: results.testbed, sha: results.commit.sha, createdAt: results.createdAt, id }
  }

  private testbedDir(testbed: string): string {
    return path.join(this.dir, safeSegment(testbed))
  }

  private async entries(testbed: string): Promise<BaselineEntry[]> {
    let names: string[]
    try {
      names = await readdir(this.testbedDir(testbed))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new UserError(`cannot read the baseline store ${this.dir}: ${errorMessage(e)}`)
    }
    // Names start with a sortable UTC timestamp, so name order is time order.
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .sort()
      .map((id) => {
        const [time, sha] = id.replace(/\.json$/, '').split('_')
        return { testbed, id, createdAt: time ?? '', sha: sha && sha !== 'nosha' ? sha : null }
      })
  }

  private async load(testbed: string, entry: BaselineEntry): Promise<StoredBaseline | null> {
    const file = path.join(this.testbedDir(testbed), entry.id)
    try {
      const results = parseResultSet(makeInput(file, await readFile(file, 'utf8')))
      return { entry: { ...entry, sha: results.commit.sha, createdAt: results.createdAt }, results }
    } catch (e) {
      // A file edited by hand or cut short by a full disk must not hide the older baselines.
      this.opts.onWarning?.(`skipping unreadable baseline: ${errorMessage(e)}`)
      return null
    }
  }

  private async prune(testbed: string): Promise<void> {
    const keep = this.opts.keep ?? 100
    const entries = await this.entries(testbed)
    const dir = this.testbedDir(testbed)
    for (const old of entries.slice(0, Math.max(0, entries.length - keep))) {
      await rm(path.join(dir, old.id), { force: true })
    }
  }
}

/** `2026-11-22T10:01:02.345Z` → `20261122T100102345Z`: sortable and safe in file names. */
function compactTime(iso: string): string {
  return iso.replace(/[-:.]/g, '')
}

/** A testbed name from config must not escape the store directory. */
export function safeSegment(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')
  return s === '' ? '_' : s
}
