/**
 * An error the user can act on: bad config, bad result file, missing token. The entry points print
 * its message as one line and exit 2 (CLI) or fail the step (action), never a stack trace.
 * `where` names the file (and line) at fault so the message can lead with it. Every quoted value
 * in the message is capped (see boundMessage): a message quotes what the user gave it, and a
 * 50 MB unit must not become 50 MB of stderr.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
  constructor(
    message: string,
    readonly where?: { file?: string; line?: number }
  ) {
    super(
      boundMessage(
        where?.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ${message}` : message
      )
    )
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}

/** Longest quoted value a message shows, in characters. */
export const MAX_QUOTED = 200
/** Longest line a message shows: a command's output line, say, which no quotes delimit. */
export const MAX_LINE = 2000

/**
 * `value` cut to `max` characters, with an ellipsis and its full length when cut:
 * `aaaa… (50,000,000 characters)`.
 */
export function capText(value: string, max = MAX_QUOTED): string {
  if (value.length <= max) return value
  return `${cutAt(value, max)}… (${count(value.length)})`
}

/** A value for a message, JSON-quoted and capped: `"abc"`, `"aaaa…" (50,000,000 characters)`. */
export function quote(value: unknown, max = MAX_QUOTED): string {
  const text = typeof value === 'string' ? value : String(JSON.stringify(value))
  return capQuoted(`"${JSON.stringify(text).slice(1, -1)}"`, max)
}

/**
 * Every quoted value in `message` capped at MAX_QUOTED characters and every line at MAX_LINE, so
 * no message, however it was built, echoes unbounded input. Called on every UserError's message;
 * the entry points call it on the other errors they print.
 */
export function boundMessage(message: string): string {
  if (message.length <= MAX_QUOTED) return message
  return message
    .split('\n')
    .map((line) => capText(capSpans(line), MAX_LINE))
    .join('\n')
}

/**
 * A line's quoted spans, "…" (JSON, with escapes), '…' (not an apostrophe: no word character
 * outside it) and `…`, with long ones capped. A scan rather than one regular expression: a 50 MB
 * span overflows the regular expression engine's backtracking stack. Short spans are stepped
 * over whole, so a closing quote is never taken for an opening one.
 */
function capSpans(line: string): string {
  if (line.length <= MAX_QUOTED) return line
  const opening = /["'`]/g
  let out = ''
  let from = 0
  for (let m = opening.exec(line); m; m = opening.exec(line)) {
    const i = m.index
    const mark = line.charAt(i)
    if (mark === "'" && /[\w']/.test(line.charAt(i - 1))) continue
    const end = closingQuote(line, i)
    if (end < 0) continue
    if (end - i - 1 > MAX_QUOTED) {
      out += line.slice(from, i) + capQuoted(line.slice(i, end + 1))
      from = end + 1
    }
    opening.lastIndex = end + 1
  }
  return from === 0 ? line : out + line.slice(from)
}

/** Where the span opened at `start` closes, or -1. */
function closingQuote(line: string, start: number): number {
  const mark = line.charAt(start)
  for (let j = line.indexOf(mark, start + 1); j >= 0; j = line.indexOf(mark, j + 1)) {
    if (mark === '"') {
      // Escaped when an odd number of backslashes precede it.
      let k = j - 1
      while (k > start && line.charAt(k) === '\\') k--
      if ((j - 1 - k) % 2 === 1) continue
    }
    return mark === "'" && /[\w']/.test(line.charAt(j + 1)) ? -1 : j
  }
  return -1
}

/** `"aaaa…" (50,000,000 characters)` for a quoted span whose inside passes `max`. */
function capQuoted(span: string, max = MAX_QUOTED): string {
  const mark = span.charAt(0)
  const inside = span.slice(1, -1)
  if (inside.length <= max) return span
  // Half an escape would read as escaping the closing quote.
  const kept = cutAt(inside, max).replace(/(^|[^\\])((?:\\\\)*)\\$/, '$1$2')
  return `${mark}${kept}…${mark} (${count(inside.length)})`
}

/** The first `max` characters, not splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max
  return text.slice(0, end)
}

function count(n: number): string {
  return `${n.toLocaleString('en-US')} characters`
}

const FILE_CAUSES: Record<string, string> = {
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space is left on the device',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'a file of that name is in the way',
  ENAMETOOLONG: 'the name is too long',
  EFBIG: 'the file is larger than this system allows',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  EIO: 'the device reported an input/output error',
  ELOOP: 'the path has a loop of symbolic links'
}

/**
 * A file-system failure as the user's problem, naming the path and the cause in words: "cannot
 * write /mnt/ro/out/ledger.md: the file system is read-only (EROFS)". null for an error that is
 * not one of these (a bug, which the entry points report as such).
 */
export function fileError(action: string, file: string, e: unknown): UserError | null {
  const code = (e as NodeJS.ErrnoException | null)?.code
  const cause = code ? FILE_CAUSES[code] : undefined
  if (!cause) return null
  return new UserError(`cannot ${action} ${file}: ${cause} (${code})`)
}

/**
 * A Node file-system error that names its path (`mkdir`, `open`, …) as a fileError; null for any
 * other error. The entry points' net for the writes no caller wrapped.
 */
export function pathError(e: unknown): UserError | null {
  const err = e as NodeJS.ErrnoException | null
  if (!err || typeof err.path !== 'string') return null
  const action =
    err.syscall === 'mkdir' ? 'create the folder' : err.syscall === 'open' ? 'open' : 'write'
  return fileError(action, err.path, e)
}
