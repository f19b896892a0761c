import { afterAll, beforeAll } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * A fresh directory for one test file's inputs, removed after its tests. Returns `write`, which
 * puts `content` in a new file there (named `f<n><ext>`) and gives its path.
 */
export function scratchFiles(prefix: string, ext = ''): (content: string | Buffer) => string {
  let dir = ''
  let n = 0
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), prefix))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return (content) => {
    const file = path.join(dir, `f${n++}${ext}`)
    writeFileSync(file, content)
    return file
  }
}
