import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import {
  CreateArtifactRequest,
  CreateArtifactResponse,
  FinalizeArtifactRequest,
  FinalizeArtifactResponse,
  GetSignedArtifactURLRequest,
  GetSignedArtifactURLResponse,
  ListArtifactsRequest,
  ListArtifactsResponse
} from '../../node_modules/@actions/artifact/lib/generated/index.js'
import { listenOnLoopback, type Loopback } from './loopback.js'

/*
 * A loopback stand-in for the Actions results service that @actions/artifact talks to: Twirp
 * JSON at ACTIONS_RESULTS_URL, authorised by ACTIONS_RUNTIME_TOKEN (a JWT whose `scp` claim names
 * the run and job), plus the Azure Blob endpoints its signed URLs point at. Request bodies are
 * read with the package's own generated protobuf message types, which reject unknown fields, so
 * a request the real service would not understand fails here too; replies are written with them.
 * Blob uploads follow the Block Blob protocol the Azure SDK uses for streams (Put Block, then Put
 * Block List) and signed URLs are checked: an upload URL cannot read, a download URL cannot write.
 */

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/'

export interface StoredArtifact {
  id: number
  runId: string
  jobId: string
  name: string
  mimeType: string | undefined
  /** Set by FinalizeArtifact; an artifact is listed only once finalized. */
  finalized: boolean
  size: number
  hash: string | undefined
  blob: Buffer | null
  contentType: string | undefined
  uploadSig: string
  downloadSig: string
  createdAt: Date
}

/** An unsigned JWT with the claim the client reads; the stand-in compares the token verbatim. */
export function runtimeToken(runId: string, jobId: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({
    scp: `Actions.ExampleScope Actions.Results:${runId}:${jobId}`,
    exp: 4102444800
  })}.sig`
}

function idsOf(token: string): { runId: string; jobId: string } | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      scp?: string
    }
    const scope = claims.scp?.split(' ').find((s) => s.startsWith('Actions.Results:'))
    const [, runId, jobId] = scope?.split(':') ?? []
    return runId && jobId ? { runId, jobId } : null
  } catch {
    return null
  }
}

/**
 * A failure the service answers a call with instead of serving it: `call` is a Twirp method
 * (`CreateArtifact`, `GetSignedArtifactURL`, …) or `blob PUT` / `blob GET`. Injected failures
 * are not violations.
 */
export interface ArtifactFault {
  call: string
  status: number
  times: number
}

export class ArtifactStandin {
  url = ''
  readonly artifacts: StoredArtifact[] = []
  private readonly faults: ArtifactFault[] = []
  /** Requests the real service would refuse: a test asserts this stays empty. */
  readonly violations: string[] = []
  readonly calls: string[] = []
  private server: Loopback | null = null
  private readonly blocks = new Map<string, Map<string, Buffer>>()

  /** Tokens the runner handed out; anything else is 401. */
  constructor(private readonly tokens: Set<string> = new Set()) {}

  allow(token: string): string {
    this.tokens.add(token)
    return token
  }

  /** The next `times` calls of `call` fail with `status` (5xx: the client retries them). */
  inject(call: string, status: number, times = 1): void {
    this.faults.push({ call, status, times })
  }

  /** Answers with an injected failure for `call`, if one is pending. */
  private injected(res: ServerResponse, call: string): boolean {
    const f = this.faults.find((x) => x.call === call && x.times > 0)
    if (!f) return false
    f.times--
    this.calls.push(`${call} → ${f.status}`)
    const twirp = !call.startsWith('blob ')
    res.writeHead(f.status, { 'content-type': twirp ? 'application/json' : 'application/xml' })
    res.end(
      twirp
        ? JSON.stringify({
            code: f.status >= 500 ? 'internal' : 'permission_denied',
            msg: 'injected'
          })
        : `<?xml version="1.0" encoding="utf-8"?><Error><Code>${f.status >= 500 ? 'ServerBusy' : 'AuthorizationFailure'}</Code><Message>injected</Message></Error>`
    )
    return true
  }

  async start(): Promise<this> {
    this.server = await listenOnLoopback(createServer((req, res) => void this.serve(req, res)))
    this.url = `${this.server.url}/`
    return this
  }

  async close(): Promise<void> {
    await this.server?.close()
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', 'http://standin')
    try {
      if (url.pathname.startsWith(SERVICE)) this.twirp(req, res, url, body)
      else if (url.pathname.startsWith('/blob/')) this.blob(req, res, url, body)
      else this.fail(res, 404, `no route ${req.method ?? ''} ${url.pathname}`)
    } catch (e) {
      this.fail(res, 500, `stand-in bug: ${String(e)}`)
    }
  }

  private fail(res: ServerResponse, status: number, why: string, code = 'malformed'): void {
    this.violations.push(why)
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ code, msg: why }))
  }

  private reply(res: ServerResponse, json: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(json))
  }

  private twirp(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    const method = url.pathname.slice(SERVICE.length)
    if (this.injected(res, method)) return
    this.calls.push(method)
    if (req.method !== 'POST') return this.fail(res, 405, `${method}: Twirp takes POST`)
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return this.fail(res, 415, `${method}: content-type ${req.headers['content-type']}`)
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const ids = auth && this.tokens.has(auth) ? idsOf(auth) : null
    if (!ids) return this.fail(res, 401, `${method}: no valid runtime token`, 'unauthenticated')
    let json: unknown
    try {
      json = JSON.parse(body.toString('utf8'))
    } catch {
      return this.fail(res, 400, `${method}: body is not JSON`)
    }
    const scoped = (r: { workflowRunBackendId: string; workflowJobRunBackendId: string }) =>
      r.workflowRunBackendId === ids.runId && r.workflowJobRunBackendId === ids.jobId
    // Reads are scoped to the run: a job downloads what its sibling jobs uploaded, and the client
    // names the uploading job in GetSignedArtifactURL.
    const inRun = (r: { workflowRunBackendId: string }) => r.workflowRunBackendId === ids.runId
    const denied = () =>
      this.fail(res, 403, `${method}: backend ids are not the token's`, 'permission_denied')
    try {
      switch (method) {
        case 'CreateArtifact': {
          const r = CreateArtifactRequest.fromJson(json as never)
          if (!scoped(r)) return denied()
          if (r.version !== 7) return this.fail(res, 400, `CreateArtifact: version ${r.version}`)
          const taken = this.artifacts.find((a) => a.runId === ids.runId && a.name === r.name)
          if (taken) {
            // The service refuses a second artifact of one name in a run (upload-artifact v4).
            return this.fail(res, 409, `CreateArtifact: '${r.name}' exists`, 'already_exists')
          }
          const a: StoredArtifact = {
            id: this.artifacts.length + 1,
            runId: ids.runId,
            jobId: ids.jobId,
            name: r.name,
            mimeType: r.mimeType?.value,
            finalized: false,
            size: 0,
            hash: undefined,
            blob: null,
            contentType: undefined,
            uploadSig: randomBytes(12).toString('hex'),
            downloadSig: randomBytes(12).toString('hex'),
            createdAt: new Date(Date.UTC(2026, 10, 22, 10, 0, this.artifacts.length))
          }
          this.artifacts.push(a)
          const signed = `${this.url}blob/${a.id}/${encodeURIComponent(a.name)}.zip?sp=cw&sig=${a.uploadSig}`
          return this.reply(
            res,
            CreateArtifactResponse.toJson({ ok: true, signedUploadUrl: signed })
          )
        }
        case 'FinalizeArtifact': {
          const r = FinalizeArtifactRequest.fromJson(json as never)
          if (!scoped(r)) return denied()
          const a = this.artifacts.find((x) => x.runId === ids.runId && x.name === r.name)
          if (!a?.blob)
            return this.fail(res, 404, `FinalizeArtifact: nothing uploaded for ${r.name}`)
          const hash = `sha256:${createHash('sha256').update(a.blob).digest('hex')}`
          if (Number(r.size) !== a.blob.length || (r.hash && r.hash.value !== hash)) {
            return this.fail(res, 400, `FinalizeArtifact: size or hash differ from the blob`)
          }
          Object.assign(a, { finalized: true, size: a.blob.length, hash })
          return this.reply(
            res,
            FinalizeArtifactResponse.toJson({ ok: true, artifactId: String(a.id) })
          )
        }
        case 'ListArtifacts': {
          const r = ListArtifactsRequest.fromJson(json as never)
          if (!scoped(r)) return denied()
          // Every finalized artifact of the run, whichever job uploaded it.
          const listed = this.artifacts.filter(
            (a) =>
              a.finalized &&
              a.runId === ids.runId &&
              (!r.nameFilter || a.name === r.nameFilter.value) &&
              (!r.idFilter || String(a.id) === r.idFilter.value)
          )
          return this.reply(
            res,
            ListArtifactsResponse.toJson({
              artifacts: listed.map((a) => ({
                workflowRunBackendId: a.runId,
                workflowJobRunBackendId: a.jobId,
                databaseId: String(a.id),
                name: a.name,
                size: String(a.size),
                createdAt: {
                  seconds: String(Math.floor(a.createdAt.getTime() / 1000)),
                  nanos: 0
                },
                ...(a.hash ? { digest: { value: a.hash } } : {})
              }))
            })
          )
        }
        case 'GetSignedArtifactURL': {
          const r = GetSignedArtifactURLRequest.fromJson(json as never)
          if (!inRun(r)) return denied()
          const a = this.artifacts.find(
            (x) =>
              x.finalized &&
              x.runId === ids.runId &&
              x.jobId === r.workflowJobRunBackendId &&
              x.name === r.name
          )
          if (!a) return this.fail(res, 404, `GetSignedArtifactURL: no ${r.name}`, 'not_found')
          return this.reply(
            res,
            GetSignedArtifactURLResponse.toJson({
              signedUrl: `${this.url}blob/${a.id}/${encodeURIComponent(a.name)}.zip?sp=r&sig=${a.downloadSig}`
            })
          )
        }
        default:
          return this.fail(res, 404, `${method}: not a method of ArtifactService`, 'bad_route')
      }
    } catch (e) {
      // fromJson throws on unknown fields and wrong types: a request the service cannot read.
      return this.fail(res, 400, `${method}: ${String(e)}`)
    }
  }

  private blob(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    if (this.injected(res, `blob ${req.method ?? ''}`)) return
    const id = Number(url.pathname.split('/')[2])
    const a = this.artifacts.find((x) => x.id === id)
    const sig = url.searchParams.get('sig')
    const azure = (status: number, headers: Record<string, string> = {}, data?: Buffer) => {
      res.writeHead(status, {
        'x-ms-request-id': randomBytes(8).toString('hex'),
        'x-ms-version': '2025-01-05',
        ...headers
      })
      res.end(data)
    }
    if (!a) return this.fail(res, 404, `blob ${url.pathname}: no such artifact`)
    if (req.method === 'PUT') {
      if (sig !== a.uploadSig || url.searchParams.get('sp') !== 'cw') {
        return this.fail(res, 403, `blob PUT ${url.pathname}: not signed for writing`)
      }
      if (a.finalized) return this.fail(res, 409, `blob PUT ${url.pathname}: already finalized`)
      const comp = url.searchParams.get('comp')
      const staged = this.blocks.get(String(a.id)) ?? new Map<string, Buffer>()
      this.blocks.set(String(a.id), staged)
      const etag = {
        etag: `"0x${randomBytes(6).toString('hex')}"`,
        'last-modified': new Date(0).toUTCString()
      }
      if (comp === 'block') {
        const blockId = url.searchParams.get('blockid')
        if (!blockId) return this.fail(res, 400, 'Put Block without blockid')
        staged.set(blockId, body)
        return azure(201, { 'x-ms-request-server-encrypted': 'true' })
      }
      if (comp === 'blocklist') {
        const ids = [
          ...body.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\//g)
        ]
        const parts = ids.map((m) => staged.get(m[2] ?? ''))
        if (ids.length === 0 || parts.some((p) => p === undefined)) {
          return this.fail(res, 400, 'Put Block List names a block that was not staged')
        }
        a.blob = Buffer.concat(parts as Buffer[])
        a.contentType = req.headers['x-ms-blob-content-type'] as string | undefined
        return azure(201, etag)
      }
      if (comp === null && req.headers['x-ms-blob-type'] === 'BlockBlob') {
        a.blob = body
        a.contentType = req.headers['x-ms-blob-content-type'] as string | undefined
        return azure(201, etag)
      }
      return this.fail(res, 400, `blob PUT with comp=${comp ?? '(none)'}`)
    }
    if (req.method === 'GET') {
      if (sig !== a.downloadSig || url.searchParams.get('sp') !== 'r') {
        return this.fail(res, 403, `blob GET ${url.pathname}: not signed for reading`)
      }
      if (!a.blob) return this.fail(res, 404, `blob GET ${url.pathname}: empty`)
      return azure(
        200,
        {
          'content-type': a.contentType ?? 'application/octet-stream',
          'content-length': String(a.blob.length)
        },
        a.blob
      )
    }
    return this.fail(res, 405, `blob ${req.method ?? ''}`)
  }
}
