import type { Benchmark } from '../../results/model.js'
import { assertUniqueNames, hasRecords, JsonReader } from '../read/checks.js'
import type { Importer } from '../read/types.js'

/** hyperfine `--export-json`: one benchmark per command, every run time kept as a sample. */
export const hyperfine: Importer = {
  name: 'hyperfine',
  description: 'hyperfine --export-json (times in seconds, every run kept)',
  detect(input) {
    if (!/"results"/.test(input.head.slice(0, 4096))) return false
    return hasRecords(
      input.json().value,
      'results',
      (r) => 'command' in r && ('times' in r || 'mean' in r)
    )
  },
  parse(input, ctx): Benchmark[] {
    const r: JsonReader = new JsonReader(input.file, input.json())
    const root = r.object(r.json.value, [])
    const results = r.array(root.results, ['results'])
    if (results.length === 0) r.fail(['results'], 'is empty: hyperfine ran no command')
    const out: Benchmark[] = results.map((raw, i) => {
      const e = r.object(raw, ['results', i])
      // hyperfine 1.15+ writes the --command-name label as "command" and the shell text separately.
      const label = r.nonEmptyString(e.command, ['results', i, 'command'])
      const samples =
        e.times !== undefined
          ? r.samples(e.times, ['results', i, 'times'], (x, p) => r.nonNegative(x, p))
          : [r.nonNegative(e.mean, ['results', i, 'mean'])]
      return {
        name: label,
        source: { kind: 'import', format: 'hyperfine', file: input.file },
        metrics: [{ name: 'time', unit: 's', direction: 'lower', class: ctx.class, samples }]
      }
    })
    assertUniqueNames(
      r,
      out.map((b, i) => ({ name: b.name, path: ['results', i, 'command'] }))
    )
    return out
  }
}
