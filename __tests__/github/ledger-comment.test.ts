import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { Identity } from '../../src/github/identity.js'
import { upsertLedger, type LedgerWrite } from '../../src/github/ledger-comment.js'
import { mergeHopEntries } from '../../src/github/ledger-merge.js'
import { hopMarker, renderLedger } from '../../src/report/ledger.js'
import { Gate, GITHUB_ACTIONS_BOT, GitHubStandin } from '../helpers/github-standin.js'
import { standinClient } from '../helpers/github-standin-client.js'
import { report } from '../report/helpers.js'

let gh: GitHubStandin
beforeEach(async () => {
  gh = await new GitHubStandin().start()
  gh.addPull({ number: 2, headSha: 'e'.repeat(40) })
})
afterEach(async () => {
  await gh.close()
  expect(gh.violations).toEqual([])
})

const issue = { owner: 'Codertocat', repo: 'Hello-World', number: 2 }
const bot: Identity = { login: 'github-actions[bot]', source: 'check run' }
const user = { login: 'octocat', id: 583231, type: 'User' as const }

function run(runId: string, over: Parameters<typeof report>[0] = {}): LedgerWrite {
  const r = report({ runId, ...over })
  return { render: (existing) => renderLedger(existing, r), proof: hopMarker(runId) }
}

const upsert = (write: LedgerWrite, log: string[] = []) =>
  upsertLedger(standinClient(gh), issue, write, {
    identity: bot,
    settleMs: 1,
    log: (m) => log.push(m)
  })

const ledgers = () => gh.commentsOn(2).filter((c) => c.body.includes('<!-- gates:start -->'))
const posts = () => gh.requests.filter((r) => r.operationId === 'issues/create-comment')

describe('upsertLedger', () => {
  it('creates the ledger once, then updates the same comment with one hop per run', async () => {
    const first = await upsert(run('100.1'))
    expect(first.created).toBe(true)
    const second = await upsert(run('101.1'))
    expect(second).toMatchObject({ commentId: first.commentId, created: false })
    expect(ledgers()).toHaveLength(1)
    const body = ledgers()[0]?.body ?? ''
    expect(body).toContain(hopMarker('100.1'))
    expect(body).toContain(hopMarker('101.1'))
    expect(body.match(/^\| perf \|/gm)).toHaveLength(1)
  })

  it('running the same run attempt again leaves one entry for it', async () => {
    await upsert(run('100.1'))
    await upsert(run('100.1'))
    const body = ledgers()[0]?.body ?? ''
    expect(body.split(hopMarker('100.1') ?? '-').length - 1).toBe(1)
  })

  it('finds its ledger on page 3 of a busy pull request instead of creating a second', async () => {
    for (let i = 0; i < 239; i++) gh.addComment(2, `chatter ${i}`, user)
    gh.addComment(2, renderLedger(null, report({ runId: '99.1' })), GITHUB_ACTIONS_BOT)
    for (let i = 0; i < 10; i++) gh.addComment(2, `more ${i}`, user)
    await upsert(run('100.1'))
    expect(posts()).toHaveLength(0)
    expect(ledgers()).toHaveLength(1)
    const pages = gh.requests.filter((r) => r.operationId === 'issues/list-comments')
    expect(pages.map((p) => p.query.page ?? '1')).toEqual(['1', '2', '3'])
    expect(pages.every((p) => p.query.per_page === '100')).toBe(true)
  })

  it("adopts another gate's ledger and keeps its rows, hop entries and text", async () => {
    const foreign = [
      '### Review ledger',
      'Text the format gate wrote above the table.',
      '<!-- gates:start -->',
      '| Gate | Status | Evidence |',
      '| --- | --- | --- |',
      '| format | ✅ pass | `format: 0 files changed` |',
      '<!-- gates:end -->',
      '<!-- hoplog:start -->',
      '- 2026-11-21 09:00 UTC · format · abc1234 · ✅ pass · run 7',
      '<!-- hoplog:end -->'
    ].join('\n')
    const theirs = gh.addComment(2, foreign, GITHUB_ACTIONS_BOT)
    await upsert(run('100.1'))
    await upsert(run('101.1'))
    expect(posts()).toHaveLength(0)
    const body = gh.comments.find((c) => c.id === theirs.id)?.body ?? ''
    expect(body).toContain('| format | ✅ pass | `format: 0 files changed` |')
    expect(body).toContain('- 2026-11-21 09:00 UTC · format · abc1234 · ✅ pass · run 7')
    expect(body).toContain('Text the format gate wrote above the table.')
    expect(body).toMatch(/^\| perf \| ❌ fail \|/m)
  })

  it('leaves a look-alike ledger by someone else untouched and writes its own', async () => {
    const forged = gh.addComment(2, renderLedger(null, report({ runId: '1.1' })), user)
    const log: string[] = []
    await upsert(run('100.1'), log)
    expect(gh.comments.find((c) => c.id === forged.id)?.body).toBe(forged.body)
    expect(gh.requests.some((r) => r.path.endsWith(`/comments/${forged.id}`))).toBe(false)
    expect(ledgers().filter((c) => c.user.login === 'github-actions[bot]')).toHaveLength(1)
    expect(log[0]).toMatch(
      /looks like a ledger but is not by github-actions\[bot\]; it is left alone/
    )
  })

  it('does not post twice when creating answered 502 although the comment landed', async () => {
    gh.inject('issues/create-comment', { kind: 'after', status: 502 })
    const log: string[] = []
    const r = await upsert(run('100.1'), log)
    expect(posts()).toHaveLength(1)
    expect(ledgers()).toHaveLength(1)
    expect(r.commentId).toBe(ledgers()[0]?.id)
    expect(log.join('\n')).toMatch(/looking whether it landed/)
  })

  it('creates again when a 502 came before anything landed', async () => {
    gh.inject('issues/create-comment', { kind: 'status', status: 502 })
    await upsert(run('100.1'))
    expect(posts()).toHaveLength(2)
    expect(ledgers()).toHaveLength(1)
  })

  it('two runs creating at once end with one ledger holding both hops', async () => {
    const gate = new Gate()
    gh.inject('issues/create-comment', { kind: 'hold', gate }, 2)
    const a = upsert(run('100.1'))
    const b = upsert(run('200.1'))
    await gate.arrived(2)
    gate.release()
    const [ra, rb] = await Promise.all([a, b])
    expect(posts()).toHaveLength(2)
    expect(ledgers()).toHaveLength(1)
    const body = ledgers()[0]?.body ?? ''
    expect(body).toContain(hopMarker('100.1'))
    expect(body).toContain(hopMarker('200.1'))
    expect(ra.commentId).toBe(rb.commentId)
    expect([...ra.removed, ...rb.removed]).toHaveLength(1)
  })

  it('a run whose update was overwritten by a concurrent one merges again', async () => {
    await upsert(run('1.1'))
    const gate = new Gate()
    gh.inject('issues/update-comment', { kind: 'hold', gate }, 2)
    const log: string[] = []
    const a = upsert(run('100.1'), log)
    const b = upsert(run('200.1'), log)
    // Both read the same body; whichever write lands second drops the other's hop.
    await gate.arrived(2)
    gate.release()
    await Promise.all([a, b])
    const body = ledgers()[0]?.body ?? ''
    for (const id of ['1.1', '100.1', '200.1']) expect(body).toContain(hopMarker(id))
    expect(log).toContainEqual(expect.stringMatching(/changed under us/))
  })

  it('a run overwritten just after its read-back catches it on the second look', async () => {
    await upsert(run('1.1'))
    const gate = new Gate()
    // B read the body before A wrote; its write lands only after A has read its own back.
    gh.inject('issues/update-comment', { kind: 'hold', gate }, 1, (body: { body?: string }) =>
      (body.body ?? '').includes(hopMarker('200.1') ?? '-')
    )
    const b = upsert(run('200.1'))
    await gate.arrived(1)
    const hasA = () => (ledgers()[0]?.body ?? '').includes(hopMarker('100.1') ?? '-')
    let settles = 0
    const log: string[] = []
    const a = upsertLedger(standinClient(gh), issue, run('100.1'), {
      identity: bot,
      settleMs: 1,
      log: (m) => log.push(m),
      sleep: async () => {
        // The second settle, after A saw its entry: B's stale write lands now.
        if (++settles !== 2) return
        gate.release()
        while (hasA()) await new Promise((r) => setTimeout(r, 1))
      }
    })
    await Promise.all([a, b])
    const body = ledgers()[0]?.body ?? ''
    for (const id of ['1.1', '100.1', '200.1']) expect(body).toContain(hopMarker(id))
    expect(log).toContainEqual(expect.stringMatching(/overwritten after our write/))
  })

  it('keeps the body within 65,536 characters by folding the oldest hops', async () => {
    const hops = Array.from(
      { length: 900 },
      (_, i) => `- 2026-11-01 10:00 UTC · format · abc1234 · ✅ pass · entry ${i} ${'x'.repeat(50)}`
    )
    const big = `<!-- gates:start -->\n| Gate | Status | Evidence |\n| --- | --- | --- |\n<!-- gates:end -->\n<!-- hoplog:start -->\n${hops.join('\n')}\n<!-- hoplog:end -->`
    expect(big.length).toBeGreaterThan(60_000)
    gh.addComment(2, big, GITHUB_ACTIONS_BOT)
    await upsert(run('100.1'))
    const body = ledgers()[0]?.body ?? ''
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toMatch(/- … \d+ earlier entries folded/)
    expect(body).toContain(hopMarker('100.1'))
    expect(body).toContain('entry 899')
  })

  it('says which permission is missing when the token may not comment', async () => {
    gh.tokens['ghs-write'] = (await import('../helpers/github-standin.js')).forkToken()
    await expect(upsert(run('100.1'))).rejects.toThrow(
      /creating the ledger comment on #2: the token may not do this \(403 Resource not accessible by integration\)\. Add `permissions: issues: write or pull-requests: write`/
    )
  })
})

describe('mergeHopEntries', () => {
  const log = (...lines: string[]) =>
    [
      '<!-- gates:start -->',
      '<!-- gates:end -->',
      '<!-- hoplog:start -->',
      ...lines,
      '<!-- hoplog:end -->',
      'tail'
    ].join('\n')

  it("adds the other ledger's missing entries in order, matching ours by key and others' by text", () => {
    const into = log('- a · perf · run 1 <!-- perf-gate:hop:1.1 -->', '- format · run 7')
    const from = log(
      '- … 3 earlier entries folded',
      '- a · perf · run 1 (rendered later) <!-- perf-gate:hop:1.1 -->',
      '- format · run 7',
      '- b · perf · run 2 <!-- perf-gate:hop:2.1 -->',
      '- types · run 8'
    )
    expect(mergeHopEntries(into, from)).toBe(
      log(
        '- a · perf · run 1 <!-- perf-gate:hop:1.1 -->',
        '- format · run 7',
        '- b · perf · run 2 <!-- perf-gate:hop:2.1 -->',
        '- types · run 8'
      )
    )
    expect(mergeHopEntries(mergeHopEntries(into, from), from)).toBe(mergeHopEntries(into, from))
  })
})
