/** The formats perf-gate reads, and how one is chosen for a file. */
import { UserError, errorMessage } from '../../errors.js'
import type { Benchmark } from '../../results/model.js'
import { benchmarkdotnet } from './benchmarkdotnet.js'
import { benchmarkjs } from './benchmarkjs.js'
import { cargo } from './cargo.js'
import { catch2 } from './catch2.js'
import { criterion } from './criterion.js'
import { criterionJson } from './criterion-json.js'
import { custom, customBiggerIsBetter, customSmallerIsBetter } from './custom.js'
import { genaiPerf } from './genai-perf.js'
import { go } from './go.js'
import { googlebench } from './googlebench.js'
import { hyperfine } from './hyperfine.js'
import { jmh } from './jmh.js'
import { julia } from './julia.js'
import { llamaBench } from './llama-bench.js'
import { llmperf } from './llmperf.js'
import { luau } from './luau.js'
import { native } from './perf-gate.js'
import { pytest } from './pytest.js'
import type { ImportContext, Importer, ImportInput } from '../read/types.js'
import { vllm } from './vllm.js'

/** Every format that auto-detection considers, each recognised by its content. */
const DETECTABLE: readonly Importer[] = [
  native,
  hyperfine,
  custom,
  cargo,
  go,
  benchmarkjs,
  luau,
  pytest,
  googlebench,
  catch2,
  julia,
  jmh,
  benchmarkdotnet,
  criterion,
  criterionJson,
  llamaBench,
  vllm,
  genaiPerf,
  llmperf
]

/** Every known format; the custom variants differ from `custom` only by a declared direction. */
export const IMPORTERS: readonly Importer[] = [
  ...DETECTABLE,
  customBiggerIsBetter,
  customSmallerIsBetter
]

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

export function importInput(
  input: ImportInput,
  format: string,
  ctx: ImportContext
): { format: string; benchmarks: Benchmark[] } {
  if (input.head.trim() === '' && input.size <= input.head.length)
    throw new UserError('the file is empty: the run produced no results', { file: input.file })
  const importer = format === 'auto' ? detectImporter(input) : findImporter(format)
  return { format: importer.name, benchmarks: importer.parse(input, ctx) }
}
