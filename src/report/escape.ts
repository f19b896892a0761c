/**
 * Escaping for untrusted text (benchmark names, units, testbeds, reasons, model output) before it
 * reaches a PR comment, a check run or a terminal. One place, so every renderer gets the same rules.
 */

export const DEFAULT_MAX_LENGTH = 200

// Control characters, bidi overrides/isolates/marks and zero-width characters. Bidi controls can
// make a name read differently from what it is; zero-width ones can hide text from a reviewer and
// would also let input smuggle in a look-alike of the separators we insert ourselves.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g
const LINE_BREAKS = /[\t\n\r\u2028\u2029]+/g

const ZWSP = '\u200B'

export interface EscapeOptions {
  /** Longest text kept, in code points, before escaping; longer text ends in "…". */
  maxLength?: number
}

/**
 * The cleaning every renderer needs, markdown or not: NFC, no control/bidi/zero-width characters,
 * one line, trimmed, at most `maxLength` code points.
 */
export function sanitizeText(text: string, opts: EscapeOptions = {}): string {
  const cleaned = text.normalize('NFC').replace(LINE_BREAKS, ' ').replace(INVISIBLE, '').trim()
  return truncateCodePoints(cleaned, opts.maxLength ?? DEFAULT_MAX_LENGTH)
}

// Everything INVISIBLE matches, and carriage returns too, but line feeds and tabs are kept: for
// multi-line terminal output (an error with the last lines of a command's output).
const TERMINAL_UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g

/**
 * Text for a terminal or a CI log, over several lines: no escape sequences (ESC, CSI, OSC, which
 * clear screens, retitle windows or hide text), no carriage returns (which overwrite a line), no
 * bidi or zero-width characters. Line feeds and tabs stay; nothing is cut.
 */
export function terminalText(text: string): string {
  return text.replace(TERMINAL_UNSAFE, '')
}

/** Cuts on code points so a surrogate pair (emoji, rare CJK) is never split in half. */
export function truncateCodePoints(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  const points = Array.from(text)
  if (points.length <= maxLength) return text
  return points.slice(0, Math.max(0, maxLength - 1)).join('') + '…'
}

const MARKDOWN_REPLACEMENTS: Record<string, string> = {
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '[': '\\[',
  ']': '\\]',
  '(': '\\(',
  ')': '\\)',
  '!': '\\!',
  '~': '\\~',
  '|': '\\|',
  // `$` opens GitHub's inline math, which can restyle or spoof text.
  $: '\\$',
  // Entities instead of backslashes: GitHub passes raw HTML through, and an escaped `<` also means
  // no input can spell one of our `<!-- … -->` anchors.
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  // A zero-width space after `@` keeps `@user`/`@org/team` from pinging anyone, and after `#`
  // keeps `#123`/`owner/repo#123` from cross-linking (which posts a back-reference on that issue).
  '@': '@' + ZWSP,
  '#': '\\#' + ZWSP
}

/**
 * Makes untrusted text safe as inline markdown, including inside a GFM table cell: it stays one
 * cell, renders as the literal text, pings nobody, links nowhere and cannot forge our anchors.
 */
export function escapeMarkdown(text: string, opts: EscapeOptions = {}): string {
  let out = ''
  for (const ch of sanitizeText(text, opts)) out += MARKDOWN_REPLACEMENTS[ch] ?? ch
  return (
    out
      // GFM autolinks bare URLs and `www.` hosts; a zero-width space makes them plain text.
      .replace(/:\/\//g, ':' + ZWSP + '//')
      .replace(/\bwww\./gi, (m) => m.slice(0, 3) + ZWSP + '.')
      // Block syntax only counts at the start of a line, which is where a caller may put the text.
      .replace(/^([-+=])/, '\\$1')
      .replace(/^(\d+)\.(?=\s|$)/, '$1\\.')
  )
}

/**
 * Text for inside a code span whose fence is a single backtick: no backticks (they would end it),
 * no pipes (a GFM table splits cells before it sees code spans) and no angle brackets, so the raw
 * comment body can never contain something that looks like one of our HTML-comment anchors.
 */
export function codeSpanText(text: string, opts: EscapeOptions = {}): string {
  return angleFree(sanitizeText(text, opts).replace(/[`|]/g, ''))
}

/**
 * A complete inline code span for untrusted text, keeping backticks by choosing a longer fence.
 * `table: true` escapes pipes, which GFM requires even inside code spans in a table cell.
 */
export function escapeCode(text: string, opts: EscapeOptions & { table?: boolean } = {}): string {
  let body = angleFree(sanitizeText(text, opts))
  if (opts.table) body = body.replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  // CommonMark strips one space from each side, so padding lets a span start or end with a backtick.
  const pad = body.startsWith('`') || body.endsWith('`') || body === '' ? ' ' : ''
  return fence + pad + body + pad + fence
}

// Code spans show entities literally, so look-alike brackets are the only way to keep the text
// readable while making `<!--` impossible in the raw body.
function angleFree(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›')
}
