import path from 'node:path'
import { glob } from 'tinyglobby'
import type { FileBenchmark } from '../config/types.js'
import { UserError } from '../errors.js'
import { importFile, ImportedBenchmarks } from '../importers/index.js'
import { mergeFingerprint, type Fingerprint } from '../results/environment.js'
import type { Benchmark } from '../results/model.js'
import type { Reporter } from './progress.js'
import { applyMetricOverrides, nestBenchmarks } from './shape.js'

/**
 * Imports result files a previous step wrote; nothing is run. The settings the files' tools
 * recorded (Go's GOMAXPROCS) are added to `fingerprint`.
 */
export async function runFileBenchmark(
  spec: FileBenchmark,
  baseDir: string,
  reporter: Reporter,
  fingerprint: Fingerprint = {}
): Promise<Benchmark[]> {
  const files = await expandGlob(spec.path, baseDir)
  if (files.length === 0) {
    throw new UserError(
      `benchmark '${spec.name}': no file matches '${spec.path}' (looked in ${baseDir})`
    )
  }
  const all = new ImportedBenchmarks(
    (name) =>
      new UserError(
        `benchmark '${spec.name}': '${name}' appears in more than one of the files matching '${spec.path}'`
      )
  )
  for (const file of files) {
    const got = await importFile(file, spec.format, { class: spec.class })
    const rel = path.relative(baseDir, file)
    reporter.info(
      `  ${spec.name}: ${rel} read as ${got.format} (${got.benchmarks.length} benchmarks)`
    )
    all.add(got, rel, (format) => ({ kind: 'file', format, file: rel }))
  }
  mergeFingerprint(fingerprint, all.fingerprint)
  return nestBenchmarks(spec.name, all.benchmarks).map((b) => applyMetricOverrides(b, spec))
}

export async function expandGlob(pattern: string, baseDir: string): Promise<string[]> {
  const files = await glob(pattern, { cwd: baseDir, absolute: true, onlyFiles: true, dot: false })
  return files.sort()
}
