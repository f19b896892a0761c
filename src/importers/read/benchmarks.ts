import type { Benchmark, Metric } from '../../results/model.js'
import { failAt, LineNames, textNumber } from './checks.js'
import type { ImportContext, ImportInput } from './types.js'

/** A benchmark as importers return it: provenance names the format and the file it came from. */
export function importedBenchmark(
  format: string,
  file: string,
  name: string,
  metrics: Metric[],
  notes?: string[]
): Benchmark {
  return {
    name,
    source: { kind: 'import', format, file },
    metrics,
    ...(notes?.length ? { notes } : {})
  }
}

/** Samples collected per metric, in the order metrics first appear. */
export class MetricSamples {
  private readonly byName = new Map<string, Metric>()

  /** The sample list of metric `name`, made by `describe` the first time it is seen. */
  samples(name: string, describe: () => Omit<Metric, 'samples'>): number[] {
    let m = this.byName.get(name)
    if (!m) this.byName.set(name, (m = { ...describe(), samples: [] }))
    return m.samples
  }

  metrics(): Metric[] {
    return [...this.byName.values()]
  }
}

/**
 * For tools that print one summary line per benchmark (`NAME … VALUE …`): each matching line is
 * one benchmark with one sample. `line` captures the name first and the value second; `expected`
 * shows the user what a line should look like when none matches.
 */
export function oneValuePerLine(
  input: ImportInput,
  ctx: ImportContext,
  spec: {
    format: string
    line: RegExp
    metric: Pick<Metric, 'name' | 'unit' | 'direction'>
    expected: string
  }
): Benchmark[] {
  const names = new LineNames(input.file)
  const out: Benchmark[] = []
  for (const { text, line } of input.lines()) {
    const m = spec.line.exec(text)
    if (!m) continue
    const [, name = '', raw = ''] = m
    names.add(name, line)
    const value = textNumber(raw, input.file, line, name)
    out.push(
      importedBenchmark(spec.format, input.file, name, [
        { ...spec.metric, class: ctx.class, samples: [value] }
      ])
    )
  }
  if (out.length === 0) failAt(input.file, 1, `no benchmark lines ('${spec.expected}') found`)
  return out
}
