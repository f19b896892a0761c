import type { Benchmark, MetricClass } from '../results/model.js'
import type { LocatedJson } from './json.js'

export interface ImportInput {
  /** Label used in error messages (a path). */
  file: string
  text: string
  /** Parsed lazily and shared between detection and parsing. */
  json(): LocatedJson
}

export interface ImportContext {
  /** Class given to metrics the file does not classify itself. */
  class: MetricClass
}

/** One benchmark tool's output format. Importers never return half-parsed data: they throw. */
export interface Importer {
  readonly name: string
  readonly description: string
  /** True when the content looks like this format (content, not file name). */
  detect(input: ImportInput): boolean
  parse(input: ImportInput, ctx: ImportContext): Benchmark[]
}
