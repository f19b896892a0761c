import type { Benchmark, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { assertUniqueNames, JsonReader } from '../read/checks.js'
import type { JsonPath } from '../read/json.js'
import type { Importer, ImportContext } from '../read/types.js'

/**
 * BenchmarkTools.jl `BenchmarkTools.save` JSON: `[{"Julia": …, "BenchmarkTools": …}, [items…]]`,
 * where each item is a tagged pair such as `["BenchmarkGroup", {"data": {key: item}}]`. Names are
 * the group keys joined with `/` (`fib/20`). A saved `Trial` keeps every sample time (ns); a
 * `TrialEstimate` (from `median(trial)` and the like) is one value.
 */
export const julia: Importer = {
  name: 'julia',
  description: 'Julia BenchmarkTools JSON (Trial times as samples, TrialEstimate as one value; ns)',
  detect(input) {
    if (!/"BenchmarkTools"/.test(input.head)) return false
    const v = input.json().value
    return (
      Array.isArray(v) &&
      v.length === 2 &&
      v[0] !== null &&
      typeof v[0] === 'object' &&
      'BenchmarkTools' in v[0] &&
      Array.isArray(v[1])
    )
  },
  parse(input, ctx): Benchmark[] {
    const r: JsonReader = new JsonReader(input.file, input.json())
    const root = r.array(r.json.value, [])
    const items = r.array(root[1], [1])
    const found: Array<{ b: Benchmark; path: JsonPath }> = []
    const walk = (item: unknown, path: JsonPath, name: string[]): void => {
      const pair = r.array(item, path)
      const tag = r.string(pair[0], [...path, 0])
      const body = r.object(pair[1], [...path, 1])
      if (tag === 'BenchmarkGroup') {
        const data = r.object(body.data, [...path, 1, 'data'])
        for (const key of Object.keys(data))
          walk(data[key], [...path, 1, 'data', key], [...name, key])
        return
      }
      if (tag !== 'Trial' && tag !== 'TrialEstimate') return
      const label = name.length ? name.join('/') : `${tag.toLowerCase()} ${String(path[1])}`
      found.push({
        b: importedBenchmark('julia', input.file, label, metrics(r, tag, body, [...path, 1], ctx)),
        path
      })
    }
    items.forEach((item, i) => walk(item, [1, i], []))
    if (found.length === 0) r.fail([1], 'holds no Trial or TrialEstimate')
    assertUniqueNames(
      r,
      found.map(({ b, path }) => ({ name: b.name, path }))
    )
    return found.map(({ b }) => b)
  }
}

function metrics(
  r: JsonReader,
  tag: string,
  body: Record<string, unknown>,
  p: JsonPath,
  ctx: ImportContext
): Metric[] {
  const time =
    tag === 'Trial'
      ? r.samples(body.times, [...p, 'times'], (x, q) => r.nonNegative(x, q))
      : [r.nonNegative(body.time, [...p, 'time'])]
  return [
    { name: 'time', unit: 'ns', direction: 'lower', class: ctx.class, samples: time },
    {
      name: 'memory',
      unit: 'B',
      direction: 'lower',
      class: ctx.class,
      samples: [r.nonNegative(body.memory, [...p, 'memory'])]
    },
    {
      name: 'allocs',
      unit: 'allocs',
      direction: 'lower',
      class: ctx.class,
      samples: [r.nonNegative(body.allocs, [...p, 'allocs'])]
    }
  ]
}
