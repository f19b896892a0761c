import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/*
 * `npx perf-gate` links package.json's bin and makes it executable; committed 644, that chmod
 * left every checkout that ran it dirty. So it is committed 755, and the build writes it so.
 */
describe('the CLI bundle', () => {
  it("is package.json's bin, committed with mode 100755", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }
    expect(pkg.bin['perf-gate']).toBe('dist/cli.js')
    const staged = execFileSync('git', ['ls-files', '--stage', '--', 'dist/cli.js'], {
      encoding: 'utf8'
    })
    expect(staged.split(' ')[0]).toBe('100755')
  })

  it('is made executable by every build, and check-dist refuses it otherwise', () => {
    expect(readFileSync('rollup.config.mjs', 'utf8')).toMatch(
      /chmod\(`\$\{options\.dir\}\/cli\.js`, 0o755\)/
    )
    expect(readFileSync('scripts/check-dist.sh', 'utf8')).toContain(
      'git ls-files --stage -- dist/cli.js'
    )
  })
})
