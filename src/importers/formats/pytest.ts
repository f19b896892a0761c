import type { Benchmark } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { assertUniqueNames, JsonReader } from '../read/checks.js'
import type { JsonPath } from '../read/json.js'
import { recordsFit, Unstreamable, viaStream } from '../read/stream.js'
import type { Importer, ImportContext, ImportInput } from '../read/types.js'

/**
 * pytest-benchmark `--benchmark-json`. Times are seconds per iteration. `stats.data` holds every
 * round when the run saved it (`--benchmark-save-data`); it becomes the samples. Without it, or
 * when it does not hold all `rounds` (files trimmed by hand), the mean is the one sample, and
 * the benchmark says so in a note rather than gating on a partial list. A large file is read one
 * benchmark at a time (read/stream.ts).
 */
const fits = (b: Record<string, unknown>): boolean => 'stats' in b && 'fullname' in b

export const pytest: Importer = {
  name: 'pytest',
  description: 'pytest-benchmark --benchmark-json (seconds; stats.data as samples when saved)',
  detect(input) {
    if (!/"machine_info"|"benchmarks"/.test(input.head) || !/^\s*\{/.test(input.head)) return false
    return recordsFit(input, 'benchmarks', fits)
  },
  parse: (input, ctx) =>
    viaStream(
      input,
      'benchmarks',
      (doc) => {
        if (doc.count === 0) throw new Unstreamable()
        const names = new Set<string>()
        const out: Benchmark[] = []
        for (const rec of doc.records()) {
          const b = benchmark(
            new JsonReader(input.file, rec.json),
            rec.value,
            rec.index,
            input,
            ctx
          )
          // The message names the first one's line: the whole file is read for it.
          if (names.has(b.name)) throw new Unstreamable()
          names.add(b.name)
          out.push(b)
        }
        return out
      },
      () => parseWhole(input, ctx)
    )
}

function parseWhole(input: ImportInput, ctx: ImportContext): Benchmark[] {
  const r: JsonReader = new JsonReader(input.file, input.json())
  const root = r.object(r.json.value, [])
  const list = r.array(root.benchmarks, ['benchmarks'])
  if (list.length === 0) r.fail(['benchmarks'], 'is empty: pytest-benchmark recorded nothing')
  const out = list.map((raw, i) => benchmark(r, raw, i, input, ctx))
  assertUniqueNames(
    r,
    out.map((b, i) => ({ name: b.name, path: ['benchmarks', i, 'fullname'] }))
  )
  return out
}

function benchmark(
  r: JsonReader,
  raw: unknown,
  i: number,
  input: ImportInput,
  ctx: ImportContext
): Benchmark {
  const b = r.object(raw, ['benchmarks', i])
  const name = r.nonEmptyString(b.fullname ?? b.name, ['benchmarks', i, 'fullname'])
  const sp: JsonPath = ['benchmarks', i, 'stats']
  const stats = r.object(b.stats, sp)
  const rounds = r.nonNegative(stats.rounds, [...sp, 'rounds'])
  const mean = r.nonNegative(stats.mean, [...sp, 'mean'])
  const notes: string[] = []
  let samples: number[]
  if (Array.isArray(stats.data) && stats.data.length === rounds && rounds > 0) {
    samples = r.nonNegativeSamples(stats.data, [...sp, 'data'])
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
}
