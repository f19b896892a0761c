import { HOPLOG_END, HOPLOG_START } from '../report/ledger.js'

/*
 * Two runs that both found no ledger each create one. The older comment stays; before the newer
 * one is deleted, every hop entry it holds that the older lacks is carried over, so a race costs
 * no history. Entries are lines; perf-gate's carry a key comment and match by it, other tools'
 * match by their exact text.
 */

const KEY = /<!-- [\w.-]+:hop:[^>]*? -->/
const FOLDED = /^- … \d+ earlier entr(?:y|ies) folded\r?$/

function hopLines(body: string): string[] | null {
  const s = body.indexOf(HOPLOG_START)
  if (s < 0) return null
  const e = body.indexOf(HOPLOG_END, s + HOPLOG_START.length)
  if (e < 0) return null
  return body.slice(s + HOPLOG_START.length, e).split('\n')
}

function identityOf(line: string): string {
  return KEY.exec(line)?.[0] ?? line.trim()
}

/** `into` with the hop entries of `from` it lacks appended to its hop log, in `from`'s order. */
export function mergeHopEntries(into: string, from: string): string {
  const theirs = hopLines(from)
  const ours = hopLines(into)
  if (!theirs || !ours) return into
  const known = new Set(ours.map(identityOf))
  const missing = theirs.filter(
    (l) => l.trim() !== '' && !FOLDED.test(l) && !known.has(identityOf(l))
  )
  if (missing.length === 0) return into
  const end = into.indexOf(HOPLOG_END, into.indexOf(HOPLOG_START))
  const before = into.slice(0, end)
  const sep = before.endsWith('\n') ? '' : '\n'
  return `${before}${sep}${missing.join('\n')}\n${into.slice(end)}`
}
