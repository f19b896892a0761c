/** File helpers every layer that writes shares: atomic writes, and reads that may find nothing. */
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { link, mkdir, open, readFile, realpath, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { onCleanup } from './cleanup.js'

export const TMP_PREFIX = '.tmp-'

/**
 * Writes a file so that readers see the old content or the new, never a mix: temporary file in the
 * same directory, flushed to disk, then renamed over the target (atomic on POSIX). A crash leaves
 * at most a stray `.tmp-*` file, which readers skip.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await writeThenPlace(file, content, (tmp) => rename(tmp, file))
}

/**
 * Writes a new file atomically, as writeFileAtomic does, but never over an existing one: the
 * temporary file is hard-linked to the name, which fails if the name is taken. Returns false then
 * (nothing is written); a file system without hard links falls back to a check, then a rename.
 */
export async function writeFileExclusive(file: string, content: string): Promise<boolean> {
  let placed = true
  await writeThenPlace(file, content, async (tmp) => {
    try {
      await link(tmp, file)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'EEXIST') {
        placed = false
      } else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
        if ((await readIfExists(file)) === null) await rename(tmp, file)
        else placed = false
      } else {
        throw e
      }
    }
    await rm(tmp, { force: true })
  })
  return placed
}

async function writeThenPlace(
  file: string,
  content: string,
  place: (tmp: string) => Promise<void>
): Promise<void> {
  const dir = path.dirname(file)
  await ensureDir(dir)
  const tmp = path.join(
    dir,
    `${TMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}${path.extname(file)}`
  )
  // A signal mid-write removes the temporary file: the target keeps its old content.
  const unregister = onCleanup({ run: () => rmSync(tmp, { force: true }) })
  try {
    const handle = await open(tmp, 'wx')
    try {
      await handle.writeFile(content, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await place(tmp)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  } finally {
    unregister()
  }
  await syncDir(dir)
}

/**
 * mkdir -p that reports the real cause: Node's recursive mkdir says ENOENT where a parent cannot
 * be created on a read-only file system, so on ENOENT the missing folders are made one by one,
 * and the first that fails says why (EROFS, EACCES, ENOSPC, …).
 */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    return
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    // EEXIST from a recursive mkdir: a file has the folder's name.
    if (code === 'EEXIST') {
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), {
        code: 'ENOTDIR',
        syscall: 'mkdir',
        path: dir
      })
    }
    if (code !== 'ENOENT') throw e
  }
  const missing: string[] = []
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      await stat(d)
      break
    } catch {
      missing.unshift(d)
      if (path.dirname(d) === d) break
    }
  }
  for (const d of missing) {
    try {
      await mkdir(d)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some file systems refuse fsync on a directory, which is fine.
  try {
    const h = await open(dir, 'r')
    try {
      await h.sync()
    } finally {
      await h.close()
    }
  } catch {
    /* best effort */
  }
}

/** `target` is `dir` or below it, by their paths (both absolute). */
export function isInside(dir: string, target: string): boolean {
  const rel = path.relative(dir, target)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

/**
 * `isInside` for the files themselves, symbolic links followed: a link inside `dir` that points
 * out of it is outside. Where `target` does not exist yet, its nearest existing folder decides.
 */
export async function isReallyInside(dir: string, target: string): Promise<boolean> {
  let existing = path.resolve(target)
  for (;;) {
    try {
      existing = await realpath(existing)
      break
    } catch {
      const up = path.dirname(existing)
      if (up === existing) return false
      existing = up
    }
  }
  let root: string
  try {
    root = await realpath(dir)
  } catch {
    return false
  }
  return isInside(root, existing)
}

/** The file's text, or null when it does not exist or cannot be read (a first run, say). */
export async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return null
  }
}
