import type { Benchmark, Metric } from '../results/model.js'

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
