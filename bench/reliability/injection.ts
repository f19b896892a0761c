import fc from 'fast-check'
import { checkAcceptance } from '../../src/github/accept.js'
import { renderCheckRun } from '../../src/report/check-run.js'
import {
  DETAILS_END,
  DETAILS_START,
  GATES_END,
  GATES_START,
  HOPLOG_END,
  HOPLOG_START,
  LEDGER_MARKER,
  MAX_COMMENT_LENGTH,
  renderLedger
} from '../../src/report/ledger.js'
import { renderReportFile } from '../../src/report/report-file.js'
import type { AnalystSection } from '../../src/types/report.js'
import { renderReport } from '../../src/report/summary.js'
import type { GateReport } from '../../src/types/report.js'
import type { ResultSet } from '../../src/results/model.js'
import { resultSet, timeBench } from '../../__tests__/helpers/results.js'
import { comparison, report, tableCells } from '../../__tests__/report/helpers.js'

/*
 * Hostile text through every renderer: benchmark, metric and unit names, reasons (which carry
 * model output), the testbed, the PR body an acceptance is read from and the login that accepted
 * it. Each rendering is held to checks that say what "unescaped" means:
 *  - tables: every row has as many cells as its header (no raw `|`, no injected line);
 *  - HTML: no tag or comment but the ones perf-gate writes itself;
 *  - anchors: each ledger anchor exactly once and in order, one hop marker per hop entry;
 *  - mentions: no `@name` outside a code span (it would ping);
 *  - links: every link target is https, never `javascript:`;
 *  - no bidi override or isolate characters;
 *  - sizes: ledger within 65,536 characters, check-run summary and text within 65,535 bytes.
 */

export const HOSTILE: readonly string[] = [
  'a|b|c',
  '| perf | ✅ pass | `forged` |',
  '`code` ``x`` ```',
  '<details><summary>x</summary>',
  '</details></summary>',
  GATES_END,
  GATES_START,
  HOPLOG_START,
  HOPLOG_END,
  LEDGER_MARKER,
  DETAILS_START,
  DETAILS_END,
  '<!-- perf-gate:hop:999.1 -->',
  '<!--',
  '-->',
  '&lt;!-- gates:end --&gt;',
  '@org/team',
  'cc @octocat please',
  '[click](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  'javascript:alert(document.cookie)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '![x](https://evil.example/x.png)',
  '#123 owner/repo#1',
  '**bold** _it_ ~~s~~ $\\huge{x}$',
  'x'.repeat(100_000),
  '\u202Eevil\u202C name',
  '\u2066isolate\u2069',
  'line1\nline2\n| perf | ✅ pass | fake |',
  'cr\r\n<!-- gates:end -->\r\n',
  '\u0000\u0007\u001b[31mred',
  'zero\u200bwidth\u200d@\u200bteam',
  '- [ ] task\n- [x] done',
  '> quote\n# heading',
  'https://example.com/a_b_(c)',
  '😀'.repeat(20_000)
]

const ALPHABET = fc.constantFrom(
  '|',
  '`',
  '<',
  '>',
  '!',
  '-',
  '@',
  '#',
  '\n',
  '\r',
  '\\',
  '[',
  ']',
  '(',
  ')',
  ':',
  'javascript',
  'details',
  'gates:end',
  'hoplog',
  '\u202E',
  'a',
  ' ',
  '😀'
)

export type Position =
  | 'benchmark'
  | 'metric'
  | 'unit'
  | 'reason'
  | 'comparison reason'
  | 'testbed'
  | 'accept reason (PR body)'
  | 'accepter login'
  | 'run url'
  | 'run id'
  | 'model output (analyst)'

export const POSITIONS: readonly Position[] = [
  'benchmark',
  'metric',
  'unit',
  'reason',
  'comparison reason',
  'testbed',
  'accept reason (PR body)',
  'accepter login',
  'run url',
  'run id',
  'model output (analyst)'
]

/** A report with `text` put where a user, a tool or a model could put it. */
export function hostileReport(pos: Position, text: string): GateReport {
  const base = report()
  switch (pos) {
    case 'benchmark':
    case 'metric':
    case 'unit':
      return report({}, [comparison({ [pos]: text }), ...base.outcome.comparisons.slice(1)])
    case 'comparison reason':
      return report({}, [comparison({ reason: text }), ...base.outcome.comparisons.slice(1)])
    case 'reason':
      return { ...base, outcome: { ...base.outcome, reason: text } }
    case 'testbed':
      return { ...base, testbed: text }
    case 'accept reason (PR body)': {
      const check = checkAcceptance(
        {
          labels: ['perf-gate:accept'],
          body: `Why:\n\nperf-gate-accept: ${text} long enough reason`
        },
        'perf-gate:accept'
      )
      const reason = check.kind === 'accepted' ? check.reason : text
      return accepted(base, reason, 'alice')
    }
    case 'accepter login':
      return accepted(base, 'the streaming parser is worth 20 %', text)
    case 'run url':
      return { ...base, runUrl: text }
    case 'run id':
      return { ...base, runId: text }
    case 'model output (analyst)':
      return base
  }
}

/** An analyst narrative with `text` wherever the model writes. */
export function hostileAnalyst(text: string): AnalystSection {
  return {
    source: 'model',
    model: text,
    note: text,
    summary: `Decode throughput fell. ${text}`,
    recommendations: [{ focus: text, text }],
    risks: [{ risk: text, mitigation: text }],
    dropped: { number: 0, entity: 0, script: 0 },
    kept: 3,
    filled: 0
  }
}

function accepted(base: GateReport, reason: string, by: string): GateReport {
  return {
    ...base,
    outcome: { ...base.outcome, verdict: 'neutral', route: 'B' },
    acceptance: { label: 'perf-gate:accept', by, reason, was: 'fail' }
  }
}

const ANCHORS = [
  LEDGER_MARKER,
  GATES_START,
  GATES_END,
  DETAILS_START,
  DETAILS_END,
  HOPLOG_START,
  HOPLOG_END
]
const HOP_COMMENT = /^<!-- perf-gate:hop:[0-9A-Za-z._:-]+ -->$/

/** Drops well-formed code spans, whose content renders literally. */
function outsideCode(line: string): string {
  let out = ''
  let i = 0
  while (i < line.length) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2)
      i += 2
      continue
    }
    if (line[i] !== '`') {
      out += line[i]
      i++
      continue
    }
    let n = 0
    while (line[i + n] === '`') n++
    const fence = '`'.repeat(n)
    const close = line.indexOf(fence, i + n)
    // Only a run of exactly n backticks closes the span.
    if (close >= 0 && line[close + n] !== '`') {
      out += ' '
      i = close + n
    } else {
      out += fence
      i += n
    }
  }
  return out
}

export interface Rendered {
  kind:
    'ledger' | 'ledger update' | 'check run summary' | 'check run text' | 'report' | 'report file'
  body: string
}

/** Every violation of the rules in the header, for one rendered body. */
export function violations(r: Rendered, allowedTags: ReadonlySet<string>): string[] {
  const out: string[] = []
  const body = r.body
  const ledger = r.kind.startsWith('ledger')
  if (/[\u202A-\u202E\u2066-\u2069]/.test(body)) out.push('bidi control character')

  const comments = body.match(/<!--[\s\S]*?(-->|$)/g) ?? []
  for (const c of comments) {
    if (!ANCHORS.includes(c) && !HOP_COMMENT.test(c))
      out.push(`foreign HTML comment ${c.slice(0, 40)}`)
  }
  if (ledger) {
    let last = -1
    for (const a of ANCHORS) {
      const n = body.split(a).length - 1
      if (n !== 1) out.push(`anchor ${a} ${n} times`)
      const at = body.indexOf(a)
      if (at < last) out.push(`anchor ${a} out of order`)
      last = at
    }
    const hops = body.slice(body.indexOf(HOPLOG_START), body.indexOf(HOPLOG_END)).split('\n')
    const entries = hops.filter((l) => l.startsWith('- '))
    const markers = hops.join('\n').match(/<!-- perf-gate:hop:/g) ?? []
    if (markers.length > entries.length) out.push('more hop markers than hop entries')
    if ((body.match(/^\| perf \|/gm) ?? []).length !== 1) out.push('perf row not exactly once')
    if (body.length > MAX_COMMENT_LENGTH)
      out.push(`comment ${body.length} > ${MAX_COMMENT_LENGTH} chars`)
  } else if (r.kind.startsWith('check run') && Buffer.byteLength(body) > 65_535) {
    out.push(`check run field ${Buffer.byteLength(body)} bytes`)
  }

  const lines = body.split('\n')
  let header: number | null = null
  for (const line of lines) {
    if (line.startsWith('|')) {
      const n = tableCells(line).length
      if (header === null) header = n
      else if (n !== header) out.push(`table row with ${n} cells, header has ${header}`)
    } else header = null
    const text = outsideCode(line)
    for (const m of text.matchAll(/<\/?([A-Za-z][\w-]*)[^>]*>/g)) {
      const tag = (m[1] ?? '').toLowerCase()
      if (!allowedTags.has(tag)) out.push(`HTML tag <${tag}>`)
      if (/\son\w+\s*=|javascript:/i.test(m[0])) out.push(`HTML attribute in ${m[0].slice(0, 40)}`)
    }
    if (/(^|[^\w\u200B`\\])@[A-Za-z0-9]/.test(text)) out.push(`@mention in ${line.slice(0, 60)}`)
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]*)/g)) {
      if (!/^https:\/\//.test(m[1] ?? '')) out.push(`link to ${(m[1] ?? '').slice(0, 40)}`)
    }
    if (/<\s*javascript:/i.test(text)) out.push('javascript: autolink')
  }
  return [...new Set(out)]
}

export function renderAll(rep: GateReport, analyst: AnalystSection | null = null): Rendered[] {
  const fresh = renderLedger(null, rep)
  const check = renderCheckRun(rep, {
    headSha: 'a'.repeat(40),
    detailsUrl: 'https://github.com/o/r/actions/runs/1'
  })
  const later = { ...report(), runId: '777-1' }
  return [
    { kind: 'ledger', body: fresh },
    // A later, benign run over the hostile ledger: nothing hostile may survive as structure.
    { kind: 'ledger update', body: renderLedger(fresh, later) },
    { kind: 'check run summary', body: check.output.summary },
    { kind: 'check run text', body: check.output.text ?? '' },
    { kind: 'report', body: renderReport(rep) },
    {
      kind: 'report file',
      body: renderReportFile({ report: rep, current: currentSet(rep), baseline: null, analyst })
    }
  ]
}

/** The result set a report file is rendered with: the report's benchmarks, with samples. */
function currentSet(rep: GateReport): ResultSet {
  const names = [...new Set(rep.outcome.comparisons.map((c) => c.benchmark))]
  return resultSet(
    names.map((n) => timeBench(n, [1, 2, 3])),
    { testbed: rep.testbed, commit: { sha: rep.current.sha } }
  )
}

/** Tags perf-gate writes itself, learnt from a benign rendering. */
export function ownTags(): Set<string> {
  const tags = new Set<string>()
  for (const r of renderAll(report(), hostileAnalyst('benign'))) {
    for (const m of r.body.matchAll(/<\/?([A-Za-z][\w-]*)[^>]*>/g))
      tags.add((m[1] ?? '').toLowerCase())
  }
  return tags
}

export interface InjectionReport {
  renders: number
  unescaped: number
  byPosition: Record<string, { renders: number; unescaped: number }>
  examples: string[]
}

export function injection(opts: { quick: boolean; seed: number }): InjectionReport {
  const allowed = ownTags()
  const generated = fc.sample(
    fc.array(ALPHABET, { minLength: 1, maxLength: 30 }).map((a) => a.join('')),
    {
      numRuns: opts.quick ? 60 : 400,
      seed: opts.seed
    }
  )
  const corpus = [...HOSTILE, ...generated]
  const out: InjectionReport = { renders: 0, unescaped: 0, byPosition: {}, examples: [] }
  for (const pos of POSITIONS) {
    const slot = (out.byPosition[pos] = { renders: 0, unescaped: 0 })
    for (const text of corpus) {
      const analyst = pos === 'model output (analyst)' ? hostileAnalyst(text) : null
      for (const r of renderAll(hostileReport(pos, text), analyst)) {
        const v = violations(r, allowed)
        out.renders++
        slot.renders++
        if (v.length === 0) continue
        out.unescaped++
        slot.unescaped++
        if (out.examples.length < 12)
          out.examples.push(
            `${pos} in ${r.kind}: ${JSON.stringify(text.slice(0, 40))}: ${v.join('; ')}`
          )
      }
    }
  }
  return out
}
