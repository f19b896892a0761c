/** Words and identifiers as people read them, shared by the engine's messages and the renderers. */

/** "1 regression", "3 regressions". */
export function plural(n: number, singular: string, pluralForm = singular + 's'): string {
  return `${n} ${n === 1 ? singular : pluralForm}`
}

/**
 * A commit as shown to people: the first 7 hex digits of a sha. Anything else (a store that keys
 * by another id) keeps only characters that are inert in markdown, mermaid, terminals and file names.
 */
export function shortSha(sha: string | null | undefined): string | null {
  if (!sha) return null
  if (/^[0-9a-f]{7,64}$/i.test(sha)) return sha.slice(0, 7).toLowerCase()
  const safe = sha.replace(/[^0-9A-Za-z._-]/g, '').slice(0, 12)
  return safe || null
}
