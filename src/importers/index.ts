import type { Benchmark } from '../results/model.js'
import { importInput } from './formats/registry.js'
import { fileInput, stringInput } from './read/source.js'
import type { ImportContext } from './read/types.js'

export type { ImportContext, Importer, ImportInput } from './read/types.js'
export { parseResultSet } from './formats/perf-gate.js'
export { detectImporter, findImporter, importInput, IMPORTERS } from './formats/registry.js'
export { importFiles, type ImportedFile } from './files.js'
export { fileInput } from './read/source.js'
export { importResultSet, importedEnvironment, type ResultSetMeta } from './result-set.js'

export const makeInput = stringInput

export function importText(
  file: string,
  text: string,
  format: string,
  ctx: ImportContext
): { format: string; benchmarks: Benchmark[] } {
  return importInput(stringInput(file, text), format, ctx)
}

/** Reads the file as it goes: line-based formats and JSON Lines are never held whole. */
export function importFile(
  file: string,
  format: string,
  ctx: ImportContext
): Promise<{ format: string; benchmarks: Benchmark[] }> {
  return Promise.resolve().then(() => importInput(fileInput(file), format, ctx))
}
