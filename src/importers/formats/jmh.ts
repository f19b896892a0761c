import type { Benchmark, Direction, Metric } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { JsonReader } from '../read/checks.js'
import type { JsonPath } from '../read/json.js'
import type { Importer, ImportContext } from '../read/types.js'

/**
 * JMH `-rf json`. Every measurement iteration of every fork (`rawData`) is a sample. The mode
 * names the metric, so one benchmark run in several modes keeps them apart: throughput
 * (`thrpt`, ops per time: higher is better) and the time modes (`avgt`, `sample`, `ss`: lower).
 * Secondary metrics are kept when they are per-operation costs (`gc.alloc.rate.norm` in B/op,
 * perfnorm counters); others, such as allocation rate per second, do not say which way is better.
 */
const MODES: Readonly<Record<string, [string, Direction]>> = {
  thrpt: ['throughput', 'higher'],
  avgt: ['average time', 'lower'],
  sample: ['sample time', 'lower'],
  ss: ['single shot time', 'lower']
}

export const jmh: Importer = {
  name: 'jmh',
  description: 'JMH JSON (every iteration of every fork; thrpt higher is better, time modes lower)',
  detect(input) {
    if (!/"jmhVersion"|"primaryMetric"/.test(input.head)) return false
    const v = input.json().value
    return (
      Array.isArray(v) &&
      v.length > 0 &&
      v.every(
        (e) => e !== null && typeof e === 'object' && 'benchmark' in e && 'primaryMetric' in e
      )
    )
  },
  parse(input, ctx): Benchmark[] {
    const r: JsonReader = new JsonReader(input.file, input.json())
    const list = r.array(r.json.value, [])
    if (list.length === 0) r.fail([], 'is empty: JMH ran no benchmark')
    const out = new Map<string, { b: Benchmark; path: JsonPath }>()
    list.forEach((raw, i) => {
      const e = r.object(raw, [i])
      const name =
        r.nonEmptyString(e.benchmark, [i, 'benchmark']) + params(r, e.params, [i, 'params'])
      const mode = r.string(e.mode, [i, 'mode'])
      const known = Object.hasOwn(MODES, mode) ? MODES[mode] : undefined
      if (!known) r.fail([i, 'mode'], `is '${mode}', not a JMH mode (thrpt, avgt, sample, ss)`)
      const [metricName, direction] = known
      const primary = score(r, e.primaryMetric, [i, 'primaryMetric'], metricName, direction, ctx)
      const extra = secondary(r, e.secondaryMetrics, [i, 'secondaryMetrics'], ctx)
      const seen = out.get(name)
      if (!seen) {
        const b = importedBenchmark('jmh', input.file, name, [primary, ...extra])
        out.set(name, { b, path: [i, 'benchmark'] })
        return
      }
      if (seen.b.metrics.some((x) => x.name === primary.name))
        r.fail(
          [i, 'benchmark'],
          `duplicates ${JSON.stringify(name)} in mode ${mode}, first at line ${r.json.lineOf(seen.path)}`
        )
      seen.b.metrics.push(primary)
      // A per-operation cost such as B/op is the same quantity whichever mode measured it.
      for (const m of extra)
        if (!seen.b.metrics.some((x) => x.name === m.name)) seen.b.metrics.push(m)
    })
    return [...out.values()].map(({ b }) => b)
  }
}

/** `{paramA=17, paramB=33}` in JMH's own order, as its text report shows them. */
function params(r: JsonReader, v: unknown, path: JsonPath): string {
  if (v === undefined || v === null) return ''
  const o = r.object(v, path)
  const parts = Object.keys(o).map((k) => `${k}=${String(o[k])}`)
  return parts.length ? ` {${parts.join(', ')}}` : ''
}

function score(
  r: JsonReader,
  v: unknown,
  p: JsonPath,
  name: string,
  direction: Direction,
  ctx: ImportContext
): Metric {
  const m = r.object(v, p)
  const unit = r.string(m.scoreUnit, [...p, 'scoreUnit'])
  let samples: number[]
  if (Array.isArray(m.rawData) && m.rawData.length > 0) {
    samples = m.rawData.flatMap((fork, f) =>
      r.array(fork, [...p, 'rawData', f]).map((x, k) => r.nonNegative(x, [...p, 'rawData', f, k]))
    )
    if (samples.length === 0) r.fail([...p, 'rawData'], 'holds no iteration')
  } else samples = [r.nonNegative(m.score, [...p, 'score'])]
  return { name, unit, direction, class: ctx.class, samples }
}

function secondary(r: JsonReader, v: unknown, p: JsonPath, ctx: ImportContext): Metric[] {
  if (v === undefined || v === null) return []
  const o = r.object(v, p)
  const out: Metric[] = []
  for (const key of Object.keys(o)) {
    const m = r.object(o[key], [...p, key])
    if (typeof m.scoreUnit !== 'string' || !m.scoreUnit.endsWith('/op')) continue
    // JMH prefixes profiler metrics with a middle dot: "·gc.alloc.rate.norm".
    out.push(score(r, m, [...p, key], key.replace(/^\u00b7/, ''), 'lower', ctx))
  }
  return out
}
