import type { Benchmark, Metric } from '../../results/model.js'
import { assertUniqueNames, hasRecords, JsonReader } from '../read/checks.js'
import type { Importer } from '../read/types.js'

/**
 * hyperfine `--export-json`: one benchmark per command. Its wall time per run (`times`) is the
 * gated `time`, every run a sample. hyperfine writes the CPU times (`user`, `system`) only as means
 * over the runs, so each file gives them one sample; they are recorded, not gated, since they
 * move with `time` and gating both would count one change twice. On a loaded runner `user` is the
 * steadier measure: `metrics: { user: { gate: true } }` gates it, with its samples from repeated
 * hyperfine runs (one file each, in a glob), which is why the same command in several hyperfine
 * files is the command run again rather than a clash.
 */
export const hyperfine: Importer = {
  name: 'hyperfine',
  description:
    'hyperfine --export-json (wall times in seconds, every run kept; user and system means recorded)',
  repeatsAcrossFiles: true,
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
      const metrics: Metric[] = [
        { name: 'time', unit: 's', direction: 'lower', class: ctx.class, samples }
      ]
      // Every hyperfine release writes both; a hand-made file without them still imports.
      for (const key of ['user', 'system'] as const) {
        if (e[key] === undefined) continue
        metrics.push({
          name: key,
          unit: 's',
          direction: 'lower',
          class: ctx.class,
          samples: [r.nonNegative(e[key], ['results', i, key])],
          gate: false
        })
      }
      return {
        name: label,
        source: { kind: 'import', format: 'hyperfine', file: input.file },
        metrics
      }
    })
    assertUniqueNames(
      r,
      out.map((b, i) => ({ name: b.name, path: ['results', i, 'command'] }))
    )
    return out
  }
}
