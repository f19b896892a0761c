import { UserError } from '../errors.js'

export interface ConfigProblem {
  line: number
  /** Without the file and line: "benchmarks[1].repetitions must be an integer >= 1". */
  message: string
}

/**
 * Every problem found in a config, ordered by line. The message names only the first, so the
 * one-line output of the entry points stays one line; `problems` lets a caller list them all.
 */
export class ConfigError extends UserError {
  readonly problems: readonly ConfigProblem[]

  constructor(
    readonly file: string,
    problems: readonly ConfigProblem[]
  ) {
    const sorted = sortProblems(problems)
    const first = sorted[0] ?? { line: 1, message: 'is not valid' }
    const more = sorted.length > 1 ? ` (and ${sorted.length - 1} more)` : ''
    super(`${first.message}${more}`, { file, line: first.line })
    this.problems = sorted
  }

  /** Each problem as "file:line: message". */
  lines(): string[] {
    return this.problems.map((p) => `${this.file}:${p.line}: ${p.message}`)
  }
}

function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>()
  const unique = problems.filter((p) => {
    const key = `${p.line}\u0000${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  // Array.prototype.sort is stable, so problems on one line keep the order they were found in.
  return unique.sort((a, b) => a.line - b.line)
}
