import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli/main.js'

/*
 * Found from outside the reliability suite (#19), in process through the CLI's main(): what a
 * terminal receives from hostile names and units, and how long a message quoting them may be.
 */

const ESC = '\u001b'
const HOSTILE = `${ESC}[2J${ESC}]0;pwned\u0007X\u009b31m\u202eY\r`

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

describe('terminal output (#19 item 10)', () => {
  it('`import` prints names and units without their control sequences', async () => {
    const f = file(
      JSON.stringify([{ name: HOSTILE, unit: `ms${HOSTILE}`, direction: 'lower', value: 1 }])
    )
    const r = await cli(['import', f, '--format', 'custom'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      '[2J]0;pwnedX31mY / value: 1 samples, ms[2J]0;pwnedX31mY, lower is better, non-critical\n'
    )
  })

  it('errors quoting a hostile value reach the terminal without control sequences', async () => {
    const f = file(JSON.stringify([{ name: 'a', unit: HOSTILE, value: 1 }]))
    const r = await cli(['import', f, '--format', 'custom'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/does not say whether higher or lower is better/)
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/)
  })
})

describe('messages that quote input (#19 item 7)', () => {
  it('a 5 MB unit gives an error of a few hundred bytes, with the unit’s length', async () => {
    const f = file(JSON.stringify([{ name: 'a', unit: 'u'.repeat(5_000_000), value: 1 }]))
    const r = await cli(['import', f, '--format', 'custom'])
    expect(r.code).toBe(2)
    expect(r.stderr.length).toBeLessThan(1000)
    expect(r.stderr).toContain(`"${'u'.repeat(200)}…" (5,000,000 characters)`)
  })
})
