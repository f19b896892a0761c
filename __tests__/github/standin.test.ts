import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { forkToken, GitHubStandin } from '../helpers/github-standin.js'

/*
 * The stand-in is only worth testing against if it refuses what GitHub refuses. These tests hold
 * it to an independent reading of the same description (the dereferenced file, a fresh Ajv) and
 * to the rules GitHub enforces beyond it.
 */

const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (a: Ajv) => Ajv
const require = createRequire(import.meta.url)

let gh: GitHubStandin
beforeAll(async () => {
  gh = await new GitHubStandin({
    tokens: {
      'ghs-write': (await import('../helpers/github-standin.js')).installationToken({
        checks: 'write',
        issues: 'write',
        pull_requests: 'write',
        contents: 'write'
      }),
      'ghs-fork': forkToken()
    }
  }).start()
  gh.addPull({ number: 2, headSha: 'e'.repeat(40) })
})
afterAll(async () => {
  await gh.close()
})

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = 'ghs-write'
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(gh.url + path, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers }
}

const repo = '/repos/Codertocat/Hello-World'

describe('the GitHub stand-in holds requests to the OpenAPI description', () => {
  // An independent oracle: the dereferenced description, compiled by a separate Ajv instance.
  const deref = JSON.parse(
    readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.deref.json'), 'utf8')
  )
  const oracle = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }))
  const specAccepts = (template: string, method: string, body: unknown): boolean =>
    oracle.validate(
      deref.paths[template][method].requestBody.content['application/json'].schema,
      body
    )

  const corpus: Array<[string, string, string, unknown]> = [
    [
      'POST',
      `${repo}/check-runs`,
      '/repos/{owner}/{repo}/check-runs',
      { name: 'x', head_sha: 'a' }
    ],
    ['POST', `${repo}/check-runs`, '/repos/{owner}/{repo}/check-runs', { head_sha: 'a' }],
    [
      'POST',
      `${repo}/check-runs`,
      '/repos/{owner}/{repo}/check-runs',
      { name: 'x', head_sha: 'a', status: 'done' }
    ],
    [
      'POST',
      `${repo}/check-runs`,
      '/repos/{owner}/{repo}/check-runs',
      { name: 'x', head_sha: 'a', conclusion: 'passed' }
    ],
    [
      'POST',
      `${repo}/check-runs`,
      '/repos/{owner}/{repo}/check-runs',
      { name: 'x', head_sha: 'a', output: { title: 't' } }
    ],
    [
      'POST',
      `${repo}/check-runs`,
      '/repos/{owner}/{repo}/check-runs',
      {
        name: 'x',
        head_sha: 'a',
        output: {
          title: 't',
          summary: 's',
          annotations: Array.from({ length: 51 }, () => ({
            path: 'p',
            start_line: 1,
            end_line: 1,
            annotation_level: 'failure',
            message: 'm'
          }))
        }
      }
    ],
    [
      'POST',
      `${repo}/check-runs`,
      '/repos/{owner}/{repo}/check-runs',
      {
        name: 'x',
        head_sha: 'a',
        output: {
          title: 't',
          summary: 's',
          annotations: [
            { path: 'p', start_line: 1, end_line: 1, annotation_level: 'error', message: 'm' }
          ]
        }
      }
    ],
    [
      'POST',
      `${repo}/check-runs`,
      '/repos/{owner}/{repo}/check-runs',
      { name: 'x', head_sha: 'a', started_at: 'yesterday' }
    ],
    [
      'POST',
      `${repo}/issues/2/comments`,
      '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      { body: 'hi' }
    ],
    [
      'POST',
      `${repo}/issues/2/comments`,
      '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      { body: 42 }
    ],
    [
      'POST',
      `${repo}/issues/2/comments`,
      '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      {}
    ],
    ['POST', `${repo}/git/refs`, '/repos/{owner}/{repo}/git/refs', { ref: 'refs/heads/x' }],
    [
      'POST',
      `${repo}/git/blobs`,
      '/repos/{owner}/{repo}/git/blobs',
      { content: 'x', encoding: 'utf-8' }
    ],
    [
      'POST',
      `${repo}/git/trees`,
      '/repos/{owner}/{repo}/git/trees',
      { tree: [{ path: 'a', mode: '100755', type: 'blob', content: 'x' }] }
    ],
    [
      'POST',
      `${repo}/git/trees`,
      '/repos/{owner}/{repo}/git/trees',
      { tree: [{ path: 'a', mode: '644', type: 'blob', content: 'x' }] }
    ],
    ['POST', `${repo}/git/commits`, '/repos/{owner}/{repo}/git/commits', { message: 'm' }]
  ]

  it.each(corpus.map((c, i) => [i, ...c] as const))(
    'case %i: %s %s answers 422 exactly when the description rejects the body',
    async (_i, method, path, template, body) => {
      const expected = specAccepts(template, method.toLowerCase(), body)
      const r = await call(method, path, body)
      if (expected) expect(r.status).not.toBe(422)
      else {
        expect(r.status).toBe(422)
        expect(r.json.message).toBe('Invalid request.')
      }
    }
  )

  it('says the corpus has both kinds of case, so the agreement above means something', () => {
    const verdicts = corpus.map(([m, , t, b]) => specAccepts(t, m.toLowerCase(), b))
    expect(verdicts.filter(Boolean).length).toBeGreaterThanOrEqual(4)
    expect(verdicts.filter((v) => !v).length).toBeGreaterThanOrEqual(8)
  })

  it('refuses path and query parameters of the wrong type', async () => {
    expect((await call('GET', `${repo}/issues/two/comments`)).status).toBe(422)
    expect((await call('GET', `${repo}/issues/2/comments?per_page=many`)).status).toBe(422)
    expect((await call('GET', `${repo}/commits/abc/check-runs?filter=newest`)).status).toBe(422)
    expect((await call('GET', `${repo}/issues/2/comments?per_page=5`)).status).toBe(200)
  })

  it('answers 404 for what is not in the description, and records it as a violation', async () => {
    const before = gh.violations.length
    expect((await call('GET', `${repo}/ledgers`)).status).toBe(404)
    expect((await call('PUT', `${repo}/check-runs`, { name: 'x' })).status).toBe(404)
    expect(gh.violations.slice(before)).toEqual([
      expect.stringMatching(/no path of the OpenAPI description matches/),
      expect.stringMatching(/PUT is not an operation/)
    ])
    gh.violations.splice(before)
  })

  it('answers 400 for a body that is not JSON, and 401 without a valid token', async () => {
    expect((await call('POST', `${repo}/issues/2/comments`, '{"body":')).status).toBe(400)
    expect((await call('GET', `${repo}/pulls/2`, undefined, 'nope')).status).toBe(401)
  })
})

describe('the rules GitHub enforces beyond the description', () => {
  it("refuses a comment body over 65,536 characters on create and update, with GitHub's error", async () => {
    const long = 'x'.repeat(65_537)
    const created = await call('POST', `${repo}/issues/2/comments`, { body: long })
    expect(created.status).toBe(422)
    expect(created.json.errors[0].message).toBe('Body is too long (maximum is 65536 characters)')
    const ok = await call('POST', `${repo}/issues/2/comments`, { body: 'x'.repeat(65_536) })
    expect(ok.status).toBe(201)
    const upd = await call('PATCH', `${repo}/issues/comments/${ok.json.id}`, { body: long })
    expect(upd.status).toBe(422)
  })

  it('counts check-run summaries in bytes: 20,000 emoji pass the schema and still fail', async () => {
    const r = await call('POST', `${repo}/check-runs`, {
      name: 'x',
      head_sha: 'a',
      output: { title: 't', summary: '😀'.repeat(20_000) }
    })
    expect(r.status).toBe(422)
    expect(r.json.message).toMatch(/summary exceeds a maximum bytesize of 65535/)
  })

  it('refuses status completed without a conclusion on create (prose only in the description)', async () => {
    const r = await call('POST', `${repo}/check-runs`, {
      name: 'x',
      head_sha: 'a',
      status: 'completed'
    })
    expect(r.status).toBe(422)
  })

  it('gives a fork token 403 on every write, naming the permission', async () => {
    const r = await call('POST', `${repo}/issues/2/comments`, { body: 'hi' }, 'ghs-fork')
    expect(r.status).toBe(403)
    expect(r.json.message).toBe('Resource not accessible by integration')
    expect(r.headers.get('x-accepted-github-permissions')).toBe('issues=write; pull_requests=write')
    expect((await call('GET', `${repo}/pulls/2`, undefined, 'ghs-fork')).status).toBe(200)
  })

  it('pages comments with Link headers, capping per_page at 100', async () => {
    for (let i = 0; i < 120; i++)
      gh.addComment(2, `c${i}`, { login: 'someone', id: 1, type: 'User' })
    const total = gh.commentsOn(2).length
    const first = await call('GET', `${repo}/issues/2/comments?per_page=500`)
    expect(first.json).toHaveLength(100)
    const link = first.headers.get('link') ?? ''
    expect(link).toMatch(/page=2>; rel="next"/)
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? ''
    const second = await fetch(next, { headers: { authorization: 'token ghs-write' } })
    expect(await second.json()).toHaveLength(total - 100)
  })

  it('moves a ref only by fast-forward unless forced', async () => {
    const tree = (
      await call('POST', `${repo}/git/trees`, {
        tree: [{ path: 'a.json', mode: '100644', type: 'blob', content: '1' }]
      })
    ).json.sha
    const c1 = (await call('POST', `${repo}/git/commits`, { message: 'one', tree })).json.sha
    expect(
      (await call('POST', `${repo}/git/refs`, { ref: 'refs/heads/perf', sha: c1 })).status
    ).toBe(201)
    const c2 = (await call('POST', `${repo}/git/commits`, { message: 'two', tree, parents: [c1] }))
      .json.sha
    const side = (await call('POST', `${repo}/git/commits`, { message: 'side', tree })).json.sha
    expect(
      (await call('PATCH', `${repo}/git/refs/heads/perf`, { sha: c2, force: false })).status
    ).toBe(200)
    const lost = await call('PATCH', `${repo}/git/refs/heads/perf`, { sha: side, force: false })
    expect(lost.status).toBe(422)
    expect(lost.json.message).toBe('Update is not a fast forward')
    expect((await call('GET', `${repo}/git/ref/heads/perf`)).json.object.sha).toBe(c2)
    expect(gh.git.files(c2)).toEqual({ 'a.json': '1' })
  })

  it('kept every response it gave within the description', () => {
    expect(gh.violations).toEqual([])
  })
})
