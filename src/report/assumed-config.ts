import type { AssumedConfig } from '../config/defaults.js'
import { escapeCode } from './escape.js'

/*
 * The job summary's note for a run without perf-gate.yml: what it assumed, and the file that would
 * pin it. The testbed may come from a workflow input, so it is escaped like any untrusted text.
 */

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(10))} %`
}

/** A fenced block whose fence no line of the content can close. */
function fenced(lang: string, content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}${lang}\n${content.trimEnd()}\n${fence}`
}

export function renderAssumedConfig(a: AssumedConfig): string {
  const from =
    a.testbedFrom === 'input'
      ? 'from the `testbed` input'
      : "the runner's OS and architecture; set the `testbed` input to name it"
  const fail = a.fail === null ? 'no fail budget' : `fail ${percent(a.fail)}`
  const file = escapeCode(a.file, { maxLength: 200 })
  return [
    `> **No ${file}: this run used the defaults.** Testbed ${escapeCode(a.testbed, { maxLength: 80 })} ` +
      `(${from}), the default budgets (warn ${percent(a.warn)}, ${fail}), and every benchmark in the ` +
      'imported results gated.',
    '',
    `To pin them, commit this ${file}:`,
    '',
    fenced('yaml', a.pin)
  ].join('\n')
}
