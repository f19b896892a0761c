import type { Benchmark, Direction, MetricClass } from '../../results/model.js'
import { MetricClass as MetricClassSchema } from '../../results/model.js'
import { assertUniqueNames, JsonReader } from '../read/checks.js'
import type { Importer, ImportInput } from '../read/types.js'
import { inferDirection } from '../read/units.js'

/**
 * github-action-benchmark's "custom" JSON, `[{"name","unit","value"}]`, which many users already
 * write, extended with `"values": [...]` for repeated samples (the gate needs samples) and an
 * optional per-entry `"direction"` so one file can mix throughput and latency.
 */
function makeCustom(name: string, fixed: Direction | undefined, description: string): Importer {
  return {
    name,
    description,
    detect(input: ImportInput): boolean {
      if (!/^\s*\[/.test(input.head)) return false
      const v = input.json().value
      return (
        Array.isArray(v) &&
        v.length > 0 &&
        v.every(
          (e) =>
            e !== null &&
            typeof e === 'object' &&
            'name' in e &&
            'unit' in e &&
            ('value' in e || 'values' in e)
        )
      )
    },
    parse(input, ctx): Benchmark[] {
      const r: JsonReader = new JsonReader(input.file, input.json())
      const entries = r.array(r.json.value, [])
      if (entries.length === 0) r.fail([], 'is an empty list: the run recorded no benchmark')
      const out: Benchmark[] = entries.map((raw, i) => {
        const e = r.object(raw, [i])
        const benchName = r.nonEmptyString(e.name, [i, 'name'])
        const unit = r.string(e.unit, [i, 'unit'])
        let samples: number[]
        if (e.values !== undefined)
          samples = r.samples(e.values, [i, 'values'], (x, p) => r.measurement(x, p))
        else if (e.value !== undefined) samples = [r.measurement(e.value, [i, 'value'])]
        else r.fail([i], 'needs "value" (one number) or "values" (repeated samples)')
        const direction = entryDirection(r, e, i, unit, fixed)
        let cls: MetricClass = ctx.class
        if (e.class !== undefined) {
          const parsed = MetricClassSchema.safeParse(e.class)
          if (!parsed.success) r.fail([i, 'class'], 'must be "core" or "non-critical"')
          cls = parsed.data
        }
        return {
          name: benchName,
          source: { kind: 'import', format: name, file: input.file },
          metrics: [{ name: 'value', unit, direction, class: cls, samples }]
        }
      })
      assertUniqueNames(
        r,
        out.map((b, i) => ({ name: b.name, path: [i, 'name'] }))
      )
      return out
    }
  }
}

function entryDirection(
  r: JsonReader,
  e: Record<string, unknown>,
  i: number,
  unit: string,
  fixed: Direction | undefined
): Direction {
  if (e.direction !== undefined) {
    if (e.direction !== 'higher' && e.direction !== 'lower')
      r.fail([i, 'direction'], 'must be "higher" or "lower"')
    return e.direction
  }
  if (e.biggerIsBetter !== undefined) {
    if (typeof e.biggerIsBetter !== 'boolean')
      r.fail([i, 'biggerIsBetter'], 'must be true or false')
    return e.biggerIsBetter ? 'higher' : 'lower'
  }
  if (fixed) return fixed
  const inferred = inferDirection(unit)
  if (!inferred) {
    r.fail(
      [i, 'unit'],
      `${JSON.stringify(unit)} does not say whether higher or lower is better: add "direction": "higher" or "lower", or use format customBiggerIsBetter / customSmallerIsBetter`
    )
  }
  return inferred
}

export const custom = makeCustom(
  'custom',
  undefined,
  'custom JSON [{"name","unit","value"|"values"}], direction per entry or inferred from the unit'
)
export const customBiggerIsBetter = makeCustom(
  'customBiggerIsBetter',
  'higher',
  'github-action-benchmark custom JSON, bigger is better'
)
export const customSmallerIsBetter = makeCustom(
  'customSmallerIsBetter',
  'lower',
  'github-action-benchmark custom JSON, smaller is better'
)
