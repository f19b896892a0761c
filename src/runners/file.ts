import path from 'node:path'
import { glob } from 'tinyglobby'
import type { FileBenchmark } from '../config/types.js'
import { UserError } from '../errors.js'
import { importFile } from '../importers/index.js'
import type { Benchmark } from '../results/model.js'
import type { Reporter } from './progress.js'
import { applyMetricOverrides, nestBenchmarks } from './shape.js'

/** Imports result files a previous step wrote; nothing is run. */
export async function runFileBenchmark(
  spec: FileBenchmark,
  baseDir: string,
  reporter: Reporter
): Promise<Benchmark[]> {
  const files = await expandGlob(spec.path, baseDir)
  if (files.length === 0) {
    throw new UserError(
      `benchmark '${spec.name}': no file matches '${spec.path}' (looked in ${baseDir})`
    )
  }
  const all: Benchmark[] = []
  for (const file of files) {
    const { format, benchmarks } = await importFile(file, spec.format, { class: spec.class })
    reporter.info(
      `  ${spec.name}: ${path.relative(baseDir, file)} read as ${format} (${benchmarks.length} benchmarks)`
    )
    all.push(
      ...benchmarks.map((b) => ({
        ...b,
        source: { kind: 'file' as const, format, file: path.relative(baseDir, file) }
      }))
    )
  }
  const names = new Set<string>()
  for (const b of all) {
    if (names.has(b.name)) {
      throw new UserError(
        `benchmark '${spec.name}': '${b.name}' appears in more than one of the files matching '${spec.path}'`
      )
    }
    names.add(b.name)
  }
  return nestBenchmarks(spec.name, all).map((b) => applyMetricOverrides(b, spec))
}

export async function expandGlob(pattern: string, baseDir: string): Promise<string[]> {
  const files = await glob(pattern, { cwd: baseDir, absolute: true, onlyFiles: true, dot: false })
  return files.sort()
}
