import { statSync } from 'node:fs'
import path from 'node:path'
import { convertPathToPattern, globSync } from 'tinyglobby'
import { UserError } from '../errors.js'
import type { Benchmark } from '../results/model.js'
import { importInput } from './formats/registry.js'
import { fileInput } from './read/source.js'
import type { ImportContext } from './read/types.js'

export interface ImportedFile {
  /** Relative to the base folder, as in each benchmark's `source.file`. */
  file: string
  format: string
  benchmarks: number
}

/**
 * A directory (every file under it), a glob such as `benchmarks/results/raw/**`, or one file, of
 * mixed formats, each detected on its own when `format` is auto. Every benchmark keeps the file
 * it came from in `source.file`. A name that two files both define is an error naming both:
 * merging them would gate one file's numbers against the other's baseline.
 */
export function importFiles(
  pattern: string,
  format: string,
  ctx: ImportContext,
  baseDir: string = process.cwd()
): Promise<{ files: ImportedFile[]; benchmarks: Benchmark[] }> {
  return Promise.resolve().then(() => importFilesSync(pattern, format, ctx, baseDir))
}

function importFilesSync(
  pattern: string,
  format: string,
  ctx: ImportContext,
  baseDir: string
): { files: ImportedFile[]; benchmarks: Benchmark[] } {
  const paths = expand(pattern, baseDir)
  if (paths.length === 0) throw new UserError(`no file matches '${pattern}' (looked in ${baseDir})`)
  const files: ImportedFile[] = []
  const benchmarks: Benchmark[] = []
  const firstFile = new Map<string, string>()
  for (const abs of paths) {
    const file = path.relative(baseDir, abs) || path.basename(abs)
    const got = importInput(fileInput(abs, file), format, ctx)
    for (const b of got.benchmarks) {
      const other = firstFile.get(b.name)
      if (other !== undefined)
        throw new UserError(
          `benchmark ${JSON.stringify(b.name)} is also in ${other}: each benchmark must come from one file`,
          { file }
        )
      firstFile.set(b.name, file)
      benchmarks.push({ ...b, source: { kind: 'import', format: got.format, file } })
    }
    files.push({ file, format: got.format, benchmarks: got.benchmarks.length })
  }
  return { files, benchmarks }
}

function expand(pattern: string, baseDir: string): string[] {
  const abs = path.resolve(baseDir, pattern)
  let stat
  try {
    stat = statSync(abs)
  } catch {
    stat = undefined
  }
  if (stat?.isFile()) return [abs]
  // The folder may itself contain glob characters: criterion names folders after benchmarks.
  const glob = stat?.isDirectory() ? `${convertPathToPattern(abs)}/**` : pattern
  return globSync(glob, { cwd: baseDir, absolute: true, onlyFiles: true, dot: false }).sort()
}
