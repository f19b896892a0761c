import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Ollama } from 'ollama'
import { resolveHost } from '../../src/runners/ollama-client.js'
import { createOllamaFetch } from '../../src/runners/ollama-fetch.js'
import { streamOnce, type StreamRequest } from '../../src/runners/ollama-stream.js'

// Documented streams replayed byte for byte over loopback, through ollama-js and our fetch.
const DIR = path.resolve('fixtures/ollama')
let server: http.Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
})

async function replay(file: string, gapMs = 0): Promise<string> {
  const lines = readFileSync(path.join(DIR, file), 'utf8').trim().split('\n')
  server = http.createServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' })
    let i = 0
    const next = (): void => {
      if (i === lines.length) return void res.end()
      res.write(`${lines[i++]}\n`)
      setTimeout(next, gapMs)
    }
    next()
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const REQUEST: StreamRequest = {
  api: 'generate',
  model: 'llama3.2',
  prompt: 'Why is the sky blue?',
  options: { num_ctx: 2048 },
  keepAlive: '10m'
}
const LIMITS = { timeoutMs: 5000, stallMs: 5000 }

describe('streaming documented responses', () => {
  it('reads the docs streaming example: seven chunks, the last one carrying text', async () => {
    const host = await replay('generate-stream-docs-streaming-mdx.ndjson')
    const r = await streamOnce(host, REQUEST, LIMITS, 'run 1/1')
    expect(r.chunks).toBe(7)
    expect(r.final).toEqual({ doneReason: 'stop' })
    expect(r.clientTtftMs).toBeGreaterThan(0)
    expect(r.clientTtftMs).toBeLessThanOrEqual(r.e2eMs)
  })

  it('reads the final metrics of the docs generate example exactly', async () => {
    const host = await replay('generate-stream.ndjson')
    const r = await streamOnce(host, REQUEST, LIMITS, 'run 1/1')
    expect(r.final).toEqual({
      totalDuration: 10706818083,
      loadDuration: 6338219291,
      promptEvalCount: 26,
      promptEvalDuration: 130079000,
      evalCount: 259,
      evalDuration: 4232710000
    })
  })

  it('reads the docs chat stream, whose done chunk is empty', async () => {
    // The done chunk comes a second after the first. Taken at the done chunk, TTFT would be within
    // a few milliseconds of the end; half the gap leaves room for a loaded machine that reads the
    // first chunk late (a 30 ms gap once measured 23.9 ms).
    const gapMs = 1000
    const host = await replay('chat-stream.ndjson', gapMs)
    const r = await streamOnce(host, { ...REQUEST, api: 'chat' }, LIMITS, 'run 1/1')
    expect(r.chunks).toBe(2)
    expect(r.final.evalCount).toBe(282)
    // TTFT is the first chunk ("The"), not the empty done chunk.
    expect(r.e2eMs - r.clientTtftMs!).toBeGreaterThanOrEqual(gapMs / 2)
  })
})

describe('the fetch given to ollama-js', () => {
  it('aborts a request whose headers never come when its signal fires', async () => {
    server = http.createServer(() => undefined)
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const client = new Ollama({
      host,
      fetch: createOllamaFetch({ signal: AbortSignal.timeout(200) })
    })
    const started = performance.now()
    await expect(client.version()).rejects.toThrow()
    expect(performance.now() - started).toBeLessThan(3000)
  })
})

describe('host resolution', () => {
  it('prefers the config, then OLLAMA_HOST, then the local default, in the forms Ollama accepts', () => {
    expect(resolveHost('http://gpu-box:11434', { OLLAMA_HOST: 'other:1' })).toBe(
      'http://gpu-box:11434'
    )
    expect(resolveHost(undefined, { OLLAMA_HOST: 'gpu-box' })).toBe('http://gpu-box:11434')
    expect(resolveHost(undefined, { OLLAMA_HOST: '0.0.0.0:11434' })).toBe('http://127.0.0.1:11434')
    expect(resolveHost(undefined, { OLLAMA_HOST: ':8080' })).toBe('http://127.0.0.1:8080')
    expect(resolveHost(undefined, { OLLAMA_HOST: 'https://ollama.example.com' })).toBe(
      'https://ollama.example.com'
    )
    expect(resolveHost(undefined, {})).toBe('http://127.0.0.1:11434')
  })
})
