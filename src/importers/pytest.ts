import type { Benchmark } from '../results/model.js'
import { importedBenchmark } from './bench.js'
import { assertUniqueNames, hasRecords, JsonReader } from './checks.js'
import type { Importer } from './types.js'

/**
 * pytest-benchmark `--benchmark-json`. Times are seconds per iteration. `stats.data` holds every
 * round when the run saved it (`--benchmark-save-data`); it becomes the samples. Without it, or
 * when it does not hold all `rounds` (files trimmed by hand), the mean is the one sample, and
 * the benchmark says so in a note rather than gating on a partial list.
 */
export const pytest: Importer = {
  name: 'pytest',
  description: 'pytest-benchmark --benchmark-json (seconds; stats.data as samples when saved)',
  detect(input) {
    if (!/"machine_info"|"benchmarks"/.test(input.head) || !/^\s*\{/.test(input.head)) return false
    return hasRecords(input.json().value, 'benchmarks', (b) => 'stats' in b && 'fullname' in b)
  },
  parse(input, ctx): Benchmark[] {
    const r: JsonReader = new JsonReader(input.file, input.json())
    const root = r.object(r.json.value, [])
    const list = r.array(root.benchmarks, ['benchmarks'])
    if (list.length === 0) r.fail(['benchmarks'], 'is empty: pytest-benchmark recorded nothing')
    const out = list.map((raw, i) => {
      const b = r.object(raw, ['benchmarks', i])
      const name = r.nonEmptyString(b.fullname ?? b.name, ['benchmarks', i, 'fullname'])
      const sp = ['benchmarks', i, 'stats']
      const stats = r.object(b.stats, sp)
      const rounds = r.nonNegative(stats.rounds, [...sp, 'rounds'])
      const mean = r.nonNegative(stats.mean, [...sp, 'mean'])
      const notes: string[] = []
      let samples: number[]
      if (Array.isArray(stats.data) && stats.data.length === rounds && rounds > 0) {
        samples = r.samples(stats.data, [...sp, 'data'], (x, p) => r.nonNegative(x, p))
      } else {
        samples = [mean]
        notes.push(
          Array.isArray(stats.data)
            ? `stats.data holds ${stats.data.length} of ${rounds} rounds; the mean is used as the only sample`
            : `only summary statistics were saved (no stats.data); the mean of ${rounds} rounds is the only sample (--benchmark-save-data keeps every round)`
        )
      }
      return importedBenchmark(
        'pytest',
        input.file,
        name,
        [{ name: 'time', unit: 's', direction: 'lower', class: ctx.class, samples }],
        notes
      )
    })
    assertUniqueNames(
      r,
      out.map((b, i) => ({ name: b.name, path: ['benchmarks', i, 'fullname'] }))
    )
    return out
  }
}
