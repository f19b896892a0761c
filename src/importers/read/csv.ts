/**
 * One CSV record (RFC 4180 quoting, no line breaks inside fields: no tool read here writes any).
 * Returns undefined for a line with an unterminated quote, so the caller can name the line.
 */
export function splitCsvLine(line: string): string[] | undefined {
  const out: string[] = []
  let i = 0
  for (;;) {
    if (line[i] === '"') {
      let field = ''
      i++
      for (;;) {
        const q = line.indexOf('"', i)
        if (q < 0) return undefined
        field += line.slice(i, q)
        if (line[q + 1] === '"') {
          field += '"'
          i = q + 2
          continue
        }
        i = q + 1
        break
      }
      out.push(field)
    } else {
      const c = line.indexOf(',', i)
      out.push(line.slice(i, c < 0 ? line.length : c))
      if (c < 0) return out
      i = c
    }
    if (i >= line.length) return out
    if (line[i] !== ',') return undefined
    i++
  }
}
