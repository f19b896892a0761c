import { readFile } from 'node:fs/promises'
import { UserError, errorMessage } from '../errors.js'
import type { Benchmark } from '../results/model.js'
import { custom, customBiggerIsBetter, customSmallerIsBetter } from './custom.js'
import { hyperfine } from './hyperfine.js'
import { type LocatedJson, parseJson } from './json.js'
import { native } from './native.js'
import type { ImportContext, Importer, ImportInput } from './types.js'

export type { ImportContext, Importer, ImportInput } from './types.js'
export { parseResultSet } from './native.js'

/** Every known format; `auto` picks among those whose `detect` accepts the content. */
export const IMPORTERS: readonly Importer[] = [
  native,
  hyperfine,
  custom,
  customBiggerIsBetter,
  customSmallerIsBetter
]

/** Formats that auto-detection considers; the custom variants only differ by a declared direction. */
const DETECTABLE: readonly Importer[] = [native, hyperfine, custom]

export function makeInput(file: string, text: string): ImportInput {
  let cached: LocatedJson | undefined
  return {
    file,
    text,
    json: () => (cached ??= parseJson(text, file))
  }
}

export function findImporter(format: string): Importer {
  const found = IMPORTERS.find((i) => i.name.toLowerCase() === format.toLowerCase())
  if (!found) {
    throw new UserError(
      `unknown format '${format}'; known formats: auto, ${IMPORTERS.map((i) => i.name).join(', ')}`
    )
  }
  return found
}

/** Picks the importer from the content; an unknown or ambiguous file is an error naming the candidates. */
export function detectImporter(input: ImportInput): Importer {
  const hits: Importer[] = []
  let parseError: unknown
  for (const imp of DETECTABLE) {
    try {
      if (imp.detect(input)) hits.push(imp)
    } catch (e) {
      // A JSON syntax error is the most useful thing to report if nothing matches.
      parseError ??= e
    }
  }
  if (hits.length === 1 && hits[0]) return hits[0]
  if (hits.length > 1) {
    throw new UserError(
      `the content matches several formats (${hits.map((h) => h.name).join(', ')}); set format explicitly`,
      { file: input.file }
    )
  }
  if (parseError)
    throw parseError instanceof Error
      ? parseError
      : new UserError(errorMessage(parseError), { file: input.file })
  throw new UserError(
    `could not recognise the format; set format to one of: ${IMPORTERS.map((i) => i.name).join(', ')}`,
    { file: input.file }
  )
}

export function importText(
  file: string,
  text: string,
  format: string,
  ctx: ImportContext
): { format: string; benchmarks: Benchmark[] } {
  const input = makeInput(file, text)
  if (text.trim() === '')
    throw new UserError('the file is empty: the run produced no results', { file })
  const importer = format === 'auto' ? detectImporter(input) : findImporter(format)
  return { format: importer.name, benchmarks: importer.parse(input, ctx) }
}

export async function importFile(
  file: string,
  format: string,
  ctx: ImportContext
): Promise<{ format: string; benchmarks: Benchmark[] }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new UserError(
      code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})`,
      {
        file
      }
    )
  }
  return importText(file, text, format, ctx)
}
