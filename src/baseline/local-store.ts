import { createHash } from 'node:crypto'
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises'
import type { Dirent } from 'node:fs'
import path from 'node:path'
import { UserError, errorMessage } from '../errors.js'
import { makeInput, parseResultSet } from '../importers/index.js'
import type { ResultSet } from '../results/model.js'
import { writeFileAtomic } from '../shared/fs.js'
import type { BaselineEntry, BaselineStore, StoredBaseline } from './store.js'

/**
 * Baselines as files: `DIR/<testbed folder>/<time>_<sha>.json`, one per recorded run. The
 * directory listing is the index, so there is no second file to keep consistent. Each file is
 * written to a temporary name, flushed, then renamed into place: rename is atomic on POSIX file
 * systems, so a crash or kill mid-write leaves only a stray temporary file that readers ignore.
 *
 * The folder of a testbed is its name where the name is plain (`ci`, `gpu-a100`), else a readable
 * slug and a hash of the exact name (`gpa~3f2a…`), so no two testbeds share one (see
 * testbedFolder). Stores written before that named every folder by the slug alone, which `gpä`
 * and `gpé` shared; those folders are still read, and a baseline is used only for the testbed it
 * records, so an old shared folder can no longer gate one testbed against another.
 */
export class LocalBaselineStore implements BaselineStore {
  readonly location: string
  private readonly warned = new Set<string>()

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
    // Folder names are escaped, and an older store's folder may hold several testbeds (gpä and
    // gpé shared `gp_`): the names are the ones the baselines record, for the folder they are in.
    const names = new Set<string>()
    for (const d of dirs.filter((e) => e.isDirectory() && !e.name.startsWith('.'))) {
      const folder = path.join(this.dir, d.name)
      const files = (await this.names(folder)).filter(
        (n) => n.endsWith('.json') && !n.startsWith('.')
      )
      // A folder of the current layout with a hash holds one testbed: one file says which.
      for (const f of d.name.includes('~') ? files.slice(-1) : files) {
        const t = await recordedTestbed(path.join(folder, f))
        if (t !== null && (testbedFolder(t) === d.name || safeSegment(t) === d.name)) names.add(t)
      }
    }
    return [...names].sort()
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
    const dir = path.join(this.dir, testbedFolder(results.testbed))
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

  /** Where the testbed's baselines are: its folder, then the folder an older store gave it. */
  private folders(testbed: string): string[] {
    const current = path.join(this.dir, testbedFolder(testbed))
    const legacy = path.join(this.dir, safeSegment(testbed))
    return legacy === current ? [current] : [current, legacy]
  }

  private async names(dir: string): Promise<string[]> {
    try {
      return await readdir(dir)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new UserError(`cannot read the baseline store ${this.dir}: ${errorMessage(e)}`)
    }
  }

  private async entries(testbed: string): Promise<BaselineEntry[]> {
    const ids = new Set<string>()
    for (const dir of this.folders(testbed)) {
      for (const n of await this.names(dir)) {
        if (n.endsWith('.json') && !n.startsWith('.')) ids.add(n)
      }
    }
    // Names start with a sortable UTC timestamp, so name order is time order.
    return [...ids].sort().map((id) => {
      const [time, sha] = id.replace(/\.json$/, '').split('_')
      return { testbed, id, createdAt: time ?? '', sha: sha && sha !== 'nosha' ? sha : null }
    })
  }

  private async load(testbed: string, entry: BaselineEntry): Promise<StoredBaseline | null> {
    for (const dir of this.folders(testbed)) {
      const file = path.join(dir, entry.id)
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
        this.opts.onWarning?.(`skipping unreadable baseline: ${file}: ${errorMessage(e)}`)
        return null
      }
      try {
        const results = parseResultSet(makeInput(file, text))
        if (results.testbed !== testbed) {
          this.warnOnce(
            `${dir}\u0000${results.testbed}`,
            `skipping baselines in ${dir} recorded for testbed ${JSON.stringify(results.testbed)}, not ${JSON.stringify(testbed)} (a folder an older perf-gate shared between the two)`
          )
          return null
        }
        return {
          entry: { ...entry, sha: results.commit.sha, createdAt: results.createdAt },
          results
        }
      } catch (e) {
        // A file edited by hand or cut short by a full disk must not hide the older baselines.
        this.opts.onWarning?.(`skipping unreadable baseline: ${errorMessage(e)}`)
        return null
      }
    }
    return null
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return
    this.warned.add(key)
    this.opts.onWarning?.(message)
  }

  /** Only the testbed's own folder: an older shared one may hold another testbed's baselines. */
  private async prune(testbed: string): Promise<void> {
    const keep = this.opts.keep ?? 100
    const dir = path.join(this.dir, testbedFolder(testbed))
    const ids = (await this.names(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    ids.sort()
    for (const old of ids.slice(0, Math.max(0, ids.length - keep))) {
      await rm(path.join(dir, old), { force: true })
    }
  }
}

/**
 * The testbed a baseline file records, read from its start (perf-gate writes `testbed` among the
 * first keys), else from the whole file; null when unreadable.
 */
async function recordedTestbed(file: string): Promise<string | null> {
  try {
    const handle = await open(file, 'r')
    let head: string
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0)
      head = buffer.subarray(0, bytesRead).toString('utf8')
    } finally {
      await handle.close()
    }
    const m = /"testbed"\s*:\s*("(?:[^"\\\n]|\\.)*")/.exec(head)
    if (m?.[1]) return JSON.parse(m[1]) as string
    const whole = JSON.parse(await readFile(file, 'utf8')) as { testbed?: unknown }
    return typeof whole.testbed === 'string' ? whole.testbed : null
  } catch {
    return null
  }
}

/** `2026-11-22T10:01:02.345Z` → `20261122T100102345Z`: sortable and safe in file names. */
function compactTime(iso: string): string {
  return iso.replace(/[-:.]/g, '')
}

/** Plain testbed names are their own folder: lower case (folders on macOS and Windows ignore case). */
const PLAIN = /^[a-z0-9_][a-z0-9._-]{0,63}$/

/**
 * The folder of a testbed, one per exact name: a plain name as it is; any other a readable slug,
 * `~` (which no plain name has) and 12 hex digits of the SHA-256 of the exact name. `gpä` and
 * `gpé`, `a/b` and `a_b`, `.` and `..`, `CI` and `ci` all get folders of their own, and none
 * leaves the store.
 */
export function testbedFolder(name: string): string {
  if (PLAIN.test(name)) return name
  const slug = safeSegment(name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')).slice(0, 40)
  return `${slug}~${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 12)}`
}

/** The folder name stores before testbedFolder used, kept to read them: not one per name. */
export function safeSegment(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')
  return s === '' ? '_' : s
}
