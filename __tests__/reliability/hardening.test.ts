import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli/main.js'

/*
 * Found from outside the reliability suite (#19), in process through the CLI's main(): what a
 * terminal receives from hostile names and units, and how long a message quoting them may be.
 */

async function cli(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t)
  })
  return { code, stdout, stderr }
}

function file(content: string, name = 'r.json'): string {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'pg-hard-')), name)
  writeFileSync(f, content)
  return f
}

describe('messages that quote input (#19 item 7)', () => {
  it('a 5 MB unit gives an error of a few hundred bytes, with the unit’s length', async () => {
    const f = file(JSON.stringify([{ name: 'a', unit: 'u'.repeat(5_000_000), value: 1 }]))
    const r = await cli(['import', f, '--format', 'custom'])
    expect(r.code).toBe(2)
    expect(r.stderr.length).toBeLessThan(1000)
    expect(r.stderr).toContain(`"${'u'.repeat(200)}…" (5,000,000 characters)`)
  })
})
