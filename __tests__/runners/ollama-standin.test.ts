import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { standinModel, startOllamaStandin, type OllamaStandin } from '../helpers/ollama-standin.js'

// The stand-in is only as good as its likeness to Ollama: its replies must have the fields of the
// documented ones (fixtures/ollama, from docs/api.md and docs/openapi.yaml).
const DIR = path.resolve('fixtures/ollama')
const doc = (f: string): any => JSON.parse(readFileSync(path.join(DIR, f), 'utf8'))
const docLines = (f: string): any[] =>
  readFileSync(path.join(DIR, f), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
const keys = (o: object): string[] => Object.keys(o).sort()

let s: OllamaStandin
beforeAll(async () => {
  s = await startOllamaStandin([standinModel()])
})
afterAll(async () => {
  await s.close()
})

async function post(route: string, body: unknown): Promise<Response> {
  return fetch(`${s.host}${route}`, { method: 'POST', body: JSON.stringify(body) })
}

async function ndjson(res: Response): Promise<any[]> {
  return (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
}

describe('Ollama stand-in speaks the documented API', () => {
  it('/api/version, /api/tags, /api/ps and /api/show have the documented fields', async () => {
    expect(keys((await (await fetch(`${s.host}/api/version`)).json()) as object)).toEqual(
      keys(doc('version-openapi.json'))
    )
    const tags = (await (await fetch(`${s.host}/api/tags`)).json()) as any
    expect(keys(tags.models[0])).toEqual(keys(doc('tags.json').models[0]))
    expect(keys(tags.models[0].details)).toEqual(keys(doc('tags.json').models[0].details))
    s.preload('llama3.2', 4096)
    const ps = (await (await fetch(`${s.host}/api/ps`)).json()) as any
    expect(keys(ps.models[0])).toEqual(keys(doc('ps-openapi.json').models[0]))
    const show = (await (await post('/api/show', { model: 'llama3.2' })).json()) as object
    expect(keys(show)).toEqual(expect.arrayContaining(keys(doc('show-openapi.json'))))
  })

  it('streams generate as NDJSON: text chunks, then a done chunk with every metric', async () => {
    const res = await post('/api/generate', {
      model: 'llama3.2',
      prompt: 'hi',
      options: { num_predict: 4 }
    })
    expect(res.headers.get('content-type')).toBe('application/x-ndjson')
    const chunks = await ndjson(res)
    const documented = docLines('generate-stream.SYNTHETIC-fixture.ndjson')
    expect(keys(chunks[0])).toEqual(keys(documented[0]))
    expect(keys(chunks[chunks.length - 1])).toEqual(keys(documented[documented.length - 1]))
    expect(chunks[chunks.length - 1]).toMatchObject({
      done: true,
      done_reason: 'length',
      eval_count: 4
    })
  })

  it('streams chat chunks shaped like the documented ones', async () => {
    const chunks = await ndjson(
      await post('/api/chat', { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
    )
    const documented = docLines('chat-stream.ndjson')
    expect(keys(chunks[0])).toEqual(keys(documented[0]))
    expect(chunks[0].message).toMatchObject({ role: 'assistant', content: expect.any(String) })
    const last = chunks[chunks.length - 1]
    expect(keys(last)).toEqual(expect.arrayContaining(keys(documented[documented.length - 1])))
  })

  it('loads on an empty prompt and unloads with keep_alive 0, as documented', async () => {
    const load = await (
      await post('/api/generate', { model: 'llama3.2', prompt: '', stream: false })
    ).json()
    expect(keys(load as object)).toEqual(
      keys({ ...doc('generate-load-model.json'), done_reason: '' })
    )
    expect(load).toMatchObject({ done: true, done_reason: 'load' })
    const unload = await (
      await post('/api/generate', { model: 'llama3.2', prompt: '', keep_alive: 0, stream: false })
    ).json()
    expect(keys(unload as object)).toEqual(keys(doc('generate-unload-model.json')))
    expect(s.loaded()).toEqual([])
  })

  it('answers an unknown model with 404 and an error object', async () => {
    const res = await post('/api/generate', { model: 'nope', prompt: 'hi' })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'model "nope" not found, try pulling it first' })
  })

  it('reloads when a load-time option changes, like the real scheduler', async () => {
    const timed = await startOllamaStandin([
      standinModel({ timing: { loadMs: 40, warmLoadMs: 1 } })
    ])
    try {
      const load = async (numCtx: number): Promise<number> => {
        const res = await fetch(`${timed.host}/api/generate`, {
          method: 'POST',
          body: JSON.stringify({ model: 'llama3.2', prompt: 'x', options: { num_ctx: numCtx } })
        })
        const chunks = await ndjson(res)
        return chunks[chunks.length - 1].load_duration / 1e6
      }
      expect(await load(2048)).toBe(40)
      expect(await load(2048)).toBe(1)
      expect(await load(4096)).toBe(40)
    } finally {
      await timed.close()
    }
  })
})
