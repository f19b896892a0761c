import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'

/**
 * A `fetch` for ollama-js built on node:http. Node's built-in fetch (undici) gives up when response
 * headers take more than 300 s, and Ollama sends its headers only with the first chunk, after the
 * model load and the prompt evaluation: a large model's cold start can exceed that. node:http has
 * no such limit; the runner bounds every request with its own deadline instead (the `signal`),
 * which also reaches the calls ollama-js offers no signal for (show, ps, tags, version).
 *
 * undici's Agent would lift the limit too, but it is only a transitive dependency here, and the
 * Agent of a separately installed undici is not guaranteed to fit Node's bundled fetch.
 */
export function createOllamaFetch(opts: { signal?: AbortSignal } = {}): typeof fetch {
  return (input, init) => request(toUrl(input), init ?? {}, opts.signal)
}

// Keep-alive saves a TCP handshake per request; measured runs go back to back on one host.
const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true })
}

function toUrl(input: string | URL | Request): URL {
  if (typeof input === 'string') return new URL(input)
  if (input instanceof URL) return input
  return new URL(input.url)
}

function combine(
  a: AbortSignal | null | undefined,
  b: AbortSignal | undefined
): AbortSignal | undefined {
  if (a && b) return AbortSignal.any([a, b])
  return a ?? b
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  return Object.fromEntries(new Headers(headers).entries())
}

function request(url: URL, init: RequestInit, extra: AbortSignal | undefined): Promise<Response> {
  const signal = combine(init.signal, extra)
  const method = init.method ?? 'GET'
  const body = init.body
  if (body !== undefined && body !== null && typeof body !== 'string') {
    // ollama-js only ever sends JSON text; anything else would be a change worth noticing.
    return Promise.reject(new TypeError('ollama fetch: only string bodies are supported'))
  }
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal))
      return
    }
    const secure = url.protocol === 'https:'
    const req = (secure ? https : http).request(
      url,
      {
        method,
        headers: headerRecord(init.headers),
        agent: secure ? agents.https : agents.http,
        ...(signal ? { signal } : {})
      },
      (res) => {
        const status = res.statusCode ?? 0
        const headers = new Headers()
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          headers.append(res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '')
        }
        const empty = method === 'HEAD' || status === 204 || status === 304
        if (empty) {
          // Nothing reads this body, so an abort must not surface as an unhandled 'error'.
          res.on('error', () => undefined)
          res.resume()
        }
        // toWeb turns an aborted socket into a rejected read(), so a stream never hangs on abort.
        const stream = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>)
        resolve(new Response(stream, { status, statusText: res.statusMessage ?? '', headers }))
      }
    )
    req.on('error', (e) => reject(signal?.aborted ? abortError(signal) : e))
    req.end(body ?? undefined)
  })
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof Error) return reason
  return new DOMException('The operation was aborted', 'AbortError')
}
