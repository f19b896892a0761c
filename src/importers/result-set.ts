import path from 'node:path'
import { isUserError, UserError } from '../errors.js'
import { mergeFingerprint } from '../results/environment.js'
import {
  RESULTS_SCHEMA_ID,
  RESULTS_VERSION,
  type Benchmark,
  type Commit,
  type Environment,
  type ResultSet
} from '../results/model.js'
import { importFiles, type ImportedFile } from './files.js'
import { parseResultSet } from './formats/perf-gate.js'
import { fileInput } from './read/source.js'

export interface ResultSetMeta {
  testbed: string
  commit: Commit
  createdAt: string
  /** The machine that imports, for files that carry no fingerprint of the one that measured. */
  hostEnvironment: () => Environment
}

/**
 * Result files (a directory, a glob, or files of mixed formats, each detected from its content)
 * as one result set. Each benchmark must come from one file: merging two would gate one file's
 * numbers against the other's baseline.
 */
export async function importResultSet(
  pattern: string | string[],
  meta: ResultSetMeta
): Promise<ResultSet> {
  const patterns = Array.isArray(pattern) ? pattern : [pattern]
  const benchmarks: Benchmark[] = []
  const files: ImportedFile[] = []
  const from = new Map<string, string>()
  for (const p of patterns) {
    const got = await importFiles(p, 'auto', { class: 'non-critical' }).catch((e: unknown) => {
      throw isUserError(e) ? new UserError(`results: ${e.message}`) : e
    })
    files.push(...got.files)
    for (const b of got.benchmarks) {
      const file = b.source?.file ?? p
      const other = from.get(b.name)
      if (other !== undefined)
        throw new UserError(
          `benchmark '${b.name}' is also in ${other}: each benchmark must come from one file`,
          { file }
        )
      from.set(b.name, file)
      benchmarks.push(b)
    }
  }
  return {
    $schema: RESULTS_SCHEMA_ID,
    version: RESULTS_VERSION,
    testbed: meta.testbed,
    createdAt: meta.createdAt,
    commit: meta.commit,
    // The measuring machine's fingerprint, when the files carry it, is what a baseline must match.
    environment: importedEnvironment(files) ?? meta.hostEnvironment(),
    benchmarks
  }
}

/**
 * The environment recorded in imported perf-gate result documents (a PR run's artifact, shard
 * results), merged, or null when none was imported: that is the machine that measured, whose
 * fingerprint the baseline's must match, not the machine that imports.
 */
export function importedEnvironment(
  files: readonly ImportedFile[],
  baseDir: string = process.cwd()
): Environment | null {
  let merged: Environment | null = null
  for (const f of files) {
    if (f.format !== 'perf-gate') continue
    const { environment } = parseResultSet(fileInput(path.resolve(baseDir, f.file), f.file))
    if (merged === null) merged = { ...environment }
    else mergeFingerprint(merged, environment)
  }
  return merged
}
