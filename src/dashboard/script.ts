/*
 * Data travels to the page as scripts (`<script src>` works from file://, fetch does not), so
 * every string in it must stay a string: `</script>` or `<!--` in a benchmark name must not end
 * or bend the script, and U+2028/U+2029 are line ends to older parsers. JSON escapes quotes and
 * backslashes; these escape the rest, as \uXXXX, which JSON and JavaScript read back unchanged.
 */

const UNSAFE = /[<>&\u2028\u2029]/g

export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** A data file: pushes `[kind, key, data]` onto the page's queue, whichever loads first. */
export function scriptFile(kind: string, key: string, data: unknown): string {
  return `(window.__PG=window.__PG||[]).push(${scriptJson([kind, key, data])})\n`
}

/**
 * Script text to inline in a `<script>` element: `</script` becomes `<\/script`, the same text in
 * a string or a regular expression. `<!--` would switch the HTML parser into its escaped state,
 * and no rewrite of it is safe in every context, so code holding it is refused.
 */
export function inlineScript(code: string): string {
  if (code.includes('<!--')) throw new Error('inline script holds "<!--"')
  return code.replace(/<\/(script)/gi, '<\\/$1')
}

/** Style text to inline in a `<style>` element. */
export function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1')
}
