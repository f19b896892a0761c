/**
 * The importers layer's one entry: code outside src/importers imports from here only.
 * - formats/: one file per tool's output format, and registry.ts, which lists them and picks one
 *   by content. Adding a format is a file here and a line in the registry.
 * - read/: what the formats build on: inputs from files and strings, lines, JSON that names the
 *   line of a bad value, large documents read record by record, the byte walkers, sample lists.
 * - files.ts and result-set.ts, beside this file: globs of files of mixed formats, and the
 *   result set made from them.
 * formats/ imports read/; read/ imports nothing from formats/.
 */
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
