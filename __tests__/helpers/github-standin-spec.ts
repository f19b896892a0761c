import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/*
 * GitHub's own OpenAPI description (@octokit/openapi, api.github.com) as the contract every request
 * to the stand-in is held to. The $ref'd file (13 MB) is used rather than the dereferenced one
 * (73 MB): Ajv resolves the refs against the components, which loads in a fraction of the time.
 */

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: Record<string, unknown>
}

interface Operation {
  operationId: string
  parameters?: Array<Parameter | { $ref: string }>
  requestBody?: {
    required?: boolean
    content: Record<string, { schema: Record<string, unknown> }>
  }
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>
}

interface Spec {
  paths: Record<string, Record<string, Operation>>
  components: Record<string, Record<string, unknown>>
}

export interface Route {
  method: string
  template: string
  operationId: string
  params: Record<string, string>
}

export interface SpecProblem {
  status: 400 | 404 | 422
  message: string
  errors?: Array<{ field: string; code: string; message: string }>
}

const require = createRequire(import.meta.url)
// ajv-formats is CJS with `exports.default`; under ESM interop it may arrive wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv

interface CompiledTemplate {
  template: string
  method: string
  regex: RegExp
  names: string[]
  literals: number
  op: Operation
}

const SPEC_ID = 'github-api'

class Contract {
  private readonly spec: Spec
  private readonly ajv: Ajv
  private readonly templates: CompiledTemplate[] = []
  private readonly validators = new Map<string, ValidateFunction>()

  constructor() {
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json')
    this.spec = JSON.parse(readFileSync(file, 'utf8')) as Spec
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false })
    addFormats(this.ajv)
    this.ajv.addSchema({ $id: SPEC_ID, components: toJsonSchema(this.spec.components) })
    for (const [template, methods] of Object.entries(this.spec.paths)) {
      const names: string[] = []
      let literals = 0
      const pattern = template
        .split('/')
        .map((seg) => {
          const m = /^\{(\w+)\}$/.exec(seg)
          if (m?.[1]) {
            names.push(m[1])
            // Git refs and file paths keep their slashes: `heads/feature/x`, `docs/a.md`.
            return m[1] === 'ref' || m[1] === 'path' ? '(.+?)' : '([^/]+)'
          }
          literals++
          return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        })
        .join('/')
      for (const [method, op] of Object.entries(methods)) {
        if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue
        this.templates.push({
          template,
          method: method.toUpperCase(),
          regex: new RegExp(`^${pattern}$`),
          names,
          literals,
          op
        })
      }
    }
    // The most specific template wins: `/git/refs/{ref}` before a template with more variables.
    this.templates.sort((a, b) => b.literals - a.literals)
  }

  /** The operation a request addresses, or why GitHub would answer 404. */
  route(method: string, pathname: string): Route | SpecProblem {
    let pathMatched = false
    for (const t of this.templates) {
      const m = t.regex.exec(pathname)
      if (!m) continue
      pathMatched = true
      if (t.method !== method) continue
      const params: Record<string, string> = {}
      t.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')))
      return { method, template: t.template, operationId: t.op.operationId, params }
    }
    return {
      status: 404,
      message: pathMatched
        ? `${method} is not an operation of ${pathname} in the OpenAPI description`
        : `no path of the OpenAPI description matches ${pathname}`
    }
  }

  /** Checks path and query parameters and the JSON body as GitHub's description declares them. */
  checkRequest(
    route: Route,
    query: URLSearchParams,
    rawBody: string | null
  ): { body: unknown; problem: SpecProblem | null } {
    const op = this.operation(route)
    const errors: NonNullable<SpecProblem['errors']> = []
    for (const p of this.parameters(op)) {
      if (p.in !== 'path' && p.in !== 'query') continue
      const raw = p.in === 'path' ? route.params[p.name] : (query.get(p.name) ?? undefined)
      if (raw === undefined) {
        if (p.required) errors.push({ field: p.name, code: 'missing', message: 'is required' })
        continue
      }
      const value = coerce(raw, p.schema)
      const v = this.validator(`param:${route.operationId}:${p.name}`, p.schema ?? {})
      if (!v(value)) errors.push(...describe(v.errors, p.name))
    }

    let body: unknown = undefined
    const declared = op.requestBody?.content['application/json']?.schema
    if (rawBody !== null && rawBody !== '') {
      try {
        body = JSON.parse(rawBody)
      } catch {
        return { body, problem: { status: 400, message: 'Problems parsing JSON' } }
      }
    }
    if (declared) {
      if (body === undefined && op.requestBody?.required) {
        errors.push({ field: 'body', code: 'missing', message: 'a JSON body is required' })
      } else if (body !== undefined) {
        const v = this.validator(`body:${route.operationId}`, declared)
        if (!v(body)) errors.push(...describe(v.errors, ''))
      }
    }
    if (errors.length === 0) return { body, problem: null }
    return {
      body,
      problem: { status: 422, message: 'Invalid request.', errors }
    }
  }

  /** Schema errors of a response the stand-in produced: a stand-in bug, not the client's. */
  checkResponse(route: Route, status: number, body: unknown): string[] {
    const schema =
      this.operation(route).responses[String(status)]?.content?.['application/json']?.schema
    if (!schema) return []
    const v = this.validator(`response:${route.operationId}:${status}`, schema)
    if (v(body)) return []
    return describe(v.errors, '').map((e) => `${e.field || '(root)'} ${e.message}`)
  }

  private operation(route: Route): Operation {
    const op = this.spec.paths[route.template]?.[route.method.toLowerCase()]
    if (!op) throw new Error(`no operation for ${route.method} ${route.template}`)
    return op
  }

  private parameters(op: Operation): Parameter[] {
    return (op.parameters ?? []).map((p) => ('$ref' in p ? this.resolve<Parameter>(p.$ref) : p))
  }

  private resolve<T>(ref: string): T {
    let node: unknown = this.spec
    for (const key of ref.replace(/^#\//, '').split('/')) {
      node = (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')]
    }
    return node as T
  }

  private validator(key: string, schema: Record<string, unknown>): ValidateFunction {
    let v = this.validators.get(key)
    if (!v) {
      v = this.ajv.compile(toJsonSchema(absoluteRefs(schema)) as Record<string, unknown>)
      this.validators.set(key, v)
    }
    return v
  }
}

/** Local `#/components/...` refs made to point into the registered components document. */
function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('#') ? SPEC_ID + v : absoluteRefs(v)
  }
  return out
}

/**
 * OpenAPI 3.0's `nullable: true` admits null even where an `enum` lists only strings (a check run's
 * `conclusion` is null until it completes); JSON Schema's `enum` does not, so null joins the list.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) out[k] = toJsonSchema(v)
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) {
    out.enum = [...(out.enum as unknown[]), null]
  }
  // Ajv reads `nullable` only next to `type`; a nullable `oneOf` (a commit's `author`) says it so.
  if (out.nullable === true && out.type === undefined) {
    const rest = { ...out }
    delete rest.nullable
    return { anyOf: [rest, { type: 'null' }] }
  }
  return out
}

/** Query and path values arrive as text; the schema's type says what they must parse as. */
function coerce(raw: string, schema: Record<string, unknown> | undefined): unknown {
  const type = schema?.type
  if (type === 'integer' || type === 'number')
    return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw
  return raw
}

function describe(
  errors: ErrorObject[] | null | undefined,
  field: string
): NonNullable<SpecProblem['errors']> {
  return (errors ?? []).map((e) => ({
    field: (field + e.instancePath.replace(/\//g, '.')).replace(/^\./, '') || field,
    code: e.keyword === 'required' ? 'missing_field' : 'invalid',
    message: `${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${String(e.params.allowedValues as unknown[])})` : ''}`
  }))
}

let shared: Contract | null = null

/** One parsed description per process: it is large, and it never changes. */
export function contract(): Contract {
  shared ??= new Contract()
  return shared
}

export function isProblem(r: Route | SpecProblem): r is SpecProblem {
  return 'status' in r
}
