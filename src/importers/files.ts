import { statSync } from 'node:fs'
import path from 'node:path'
import { convertPathToPattern, globSync } from 'tinyglobby'
import { UserError } from '../errors.js'
import { mergeFingerprint, type Fingerprint } from '../results/environment.js'
import type { Benchmark } from '../results/model.js'
import { findImporter, importInput, type ImportResult } from './formats/registry.js'
import { fileInput } from './read/source.js'
import type { ImportContext } from './read/types.js'

export interface ImportedFile {
  /** Relative to the base folder, as in each benchmark's `source.file`. */
  file: string
  format: string
  benchmarks: number
}

/**
 * The benchmarks of several files, gathered one file at a time. A name that two files both define
 * is an error naming both: merging them would gate one file's numbers against the other's
 * baseline. The exception is a format whose every run gives one value per benchmark (Catch2):
 * there the same name in two files of the same format is the benchmark run again, and its values
 * are more samples, as Go's `-count` repeats are.
 */
export class ImportedBenchmarks {
  readonly benchmarks: Benchmark[] = []
  /** The fingerprint keys the files' formats recorded, merged. */
  readonly fingerprint: Fingerprint = {}
  private readonly first = new Map<string, { file: string; format: string; bench: Benchmark }>()

  constructor(
    /** The error for a name two files define, naming the other file. */
    private readonly duplicate: (name: string, otherFile: string, file: string) => Error
  ) {}

  add(got: ImportResult, file: string, source: (format: string) => Benchmark['source']): void {
    if (got.fingerprint) mergeFingerprint(this.fingerprint, got.fingerprint)
    for (const b of got.benchmarks) {
      const other = this.first.get(b.name)
      if (other === undefined) {
        const bench = { ...b, source: source(got.format) }
        this.first.set(b.name, { file, format: got.format, bench })
        this.benchmarks.push(bench)
      } else if (other.format === got.format && findImporter(got.format).repeatsAcrossFiles) {
        other.bench.metrics = appendRun(other.bench, b)
      } else throw this.duplicate(b.name, other.file, file)
    }
  }
}

/** The metrics of `into` with the samples of a later run of the same benchmark added. */
function appendRun(into: Benchmark, run: Benchmark): Benchmark['metrics'] {
  const metrics = into.metrics.map((m) => ({ ...m, samples: [...m.samples] }))
  for (const m of run.metrics) {
    const same = metrics.find((x) => x.name === m.name && x.unit === m.unit)
    if (same) same.samples.push(...m.samples)
    else metrics.push({ ...m, samples: [...m.samples] })
  }
  return metrics
}

/**
 * A directory (every file under it), a glob such as `benchmarks/results/raw/**`, or one file, of
 * mixed formats, each detected on its own when `format` is auto. Every benchmark keeps the file
 * it came from in `source.file` (the first file, for runs repeated over several).
 */
export function importFiles(
  pattern: string,
  format: string,
  ctx: ImportContext,
  baseDir: string = process.cwd()
): Promise<{ files: ImportedFile[]; benchmarks: Benchmark[]; fingerprint: Fingerprint }> {
  return Promise.resolve().then(() => importFilesSync(pattern, format, ctx, baseDir))
}

function importFilesSync(
  pattern: string,
  format: string,
  ctx: ImportContext,
  baseDir: string
): { files: ImportedFile[]; benchmarks: Benchmark[]; fingerprint: Fingerprint } {
  const paths = expand(pattern, baseDir)
  if (paths.length === 0) throw new UserError(`no file matches '${pattern}' (looked in ${baseDir})`)
  const files: ImportedFile[] = []
  const all = new ImportedBenchmarks(
    (name, other, file) =>
      new UserError(
        `benchmark ${JSON.stringify(name)} is also in ${other}: each benchmark must come from one file`,
        { file }
      )
  )
  for (const abs of paths) {
    const file = path.relative(baseDir, abs) || path.basename(abs)
    const got = importInput(fileInput(abs, file), format, ctx)
    all.add(got, file, (f) => ({ kind: 'import', format: f, file }))
    files.push({ file, format: got.format, benchmarks: got.benchmarks.length })
  }
  return { files, benchmarks: all.benchmarks, fingerprint: all.fingerprint }
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
