import {
  buildClientSchema,
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode
} from 'graphql'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { GitHubStandin, Reply, StoredPull, TokenInfo } from './github-standin.js'

/*
 * The GraphQL part of the stand-in (`POST /graphql`). Every document is parsed and validated
 * against GitHub's published schema (@octokit/graphql-schema, its introspection JSON, built with
 * the `graphql` package), then executed by graphql-js itself against the few resolvers below, so
 * variables are coerced and the shape of the answer is the schema's, not ours. GitHub answers a
 * document it cannot parse or validate with 200 and an `errors` list; so does this. Such a
 * document is also recorded as a violation: whoever sent it has a bug.
 */

const require = createRequire(import.meta.url)

let shared: GraphQLSchema | null = null

/** The package exports only its ESM entry, so its data file is looked up where Node would look. */
function schemaFile(): string {
  const pkg = '@octokit/graphql-schema'
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const file = path.join(dir, pkg, 'schema.json')
    if (existsSync(file)) return file
  }
  throw new Error(`${pkg} is not installed`)
}

/** GitHub's schema, built once per process (the introspection JSON is about 8 MB). */
export function githubSchema(): GraphQLSchema {
  if (!shared) {
    const json = JSON.parse(readFileSync(schemaFile(), 'utf8')) as {
      data?: IntrospectionQuery
    } & IntrospectionQuery
    shared = buildClientSchema(json.data ?? json)
  }
  return shared
}

export interface GraphqlCall {
  /** The top-level fields the operation selects, e.g. `markPullRequestReadyForReview`. */
  fields: string[]
  kind: 'query' | 'mutation' | 'subscription' | 'invalid'
  variables: Record<string, unknown>
  /** The `errors` GitHub would have answered with, as messages. */
  errors: string[]
}

/** A resolver's refusal, carrying GitHub's error `type` (FORBIDDEN, NOT_FOUND). */
class TypedError extends GraphQLError {
  constructor(
    message: string,
    readonly type: string
  ) {
    super(message)
  }
}

function pullNode(s: GitHubStandin, p: StoredPull): Record<string, unknown> {
  return {
    __typename: 'PullRequest',
    id: `PR_${p.number}`,
    number: p.number,
    isDraft: p.draft,
    state: p.state === 'open' ? 'OPEN' : 'CLOSED',
    title: p.title,
    url: `https://github.com/${s.owner}/${s.repo}/pull/${p.number}`,
    headRefOid: p.head.sha
  }
}

function pullByNodeId(s: GitHubStandin, id: unknown): StoredPull {
  const m = typeof id === 'string' ? /^PR_(\d+)$/.exec(id) : null
  const pull = m ? s.pulls.get(Number(m[1])) : undefined
  if (!pull) {
    throw new TypedError(
      `Could not resolve to a node with the global id of '${String(id)}'`,
      'NOT_FOUND'
    )
  }
  return pull
}

function needs(token: TokenInfo, permission: 'pull_requests'): void {
  if (token.permissions[permission] !== 'write') {
    throw new TypedError('Resource not accessible by integration', 'FORBIDDEN')
  }
}

/** The root fields the stand-in serves; anything else the schema allows resolves to null. */
function rootValue(s: GitHubStandin, token: TokenInfo): Record<string, unknown> {
  return {
    repository: (args: { owner: string; name: string }) =>
      args.owner === s.owner && args.name === s.repo
        ? {
            id: `R_${s.owner}/${s.repo}`,
            nameWithOwner: `${s.owner}/${s.repo}`,
            pullRequest: ({ number }: { number: number }) => {
              const p = s.pulls.get(number)
              return p ? pullNode(s, p) : null
            }
          }
        : null,
    markPullRequestReadyForReview: (args: {
      input: { pullRequestId: string; clientMutationId?: string }
    }) => {
      needs(token, 'pull_requests')
      const pull = pullByNodeId(s, args.input.pullRequestId)
      // GitHub logs the change (by the token's account) only when there was one.
      if (pull.draft) {
        s.issueEvents.push({ issue: pull.number, actor: token.account, event: 'ready_for_review' })
      }
      pull.draft = false
      s.readyForReview.push(pull.number)
      return {
        clientMutationId: args.input.clientMutationId ?? null,
        pullRequest: pullNode(s, pull)
      }
    }
  }
}

function errorJson(e: GraphQLError): Record<string, unknown> {
  return {
    ...(e.toJSON() as unknown as Record<string, unknown>),
    ...(e.originalError instanceof TypedError ? { type: e.originalError.type } : {})
  }
}

function topFields(doc: DocumentNode): { kind: GraphqlCall['kind']; fields: string[] } {
  const op = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION
  )
  if (!op) return { kind: 'invalid', fields: [] }
  return {
    kind: op.operation,
    fields: op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))
  }
}

export function serveGraphql(s: GitHubStandin, token: TokenInfo, raw: string): Reply {
  let request: { query?: unknown; variables?: unknown; operationName?: unknown }
  try {
    request = JSON.parse(raw) as typeof request
  } catch {
    return { status: 400, body: { message: 'Problems parsing JSON' } }
  }
  const call: GraphqlCall = { fields: [], kind: 'invalid', variables: {}, errors: [] }
  s.graphqlCalls.push(call)
  if (typeof request.query !== 'string') {
    call.errors.push('A query attribute must be specified and must be a string.')
    return { status: 200, body: { errors: [{ message: call.errors[0] }] } }
  }
  const variables =
    request.variables && typeof request.variables === 'object'
      ? (request.variables as Record<string, unknown>)
      : {}
  call.variables = variables
  const refuse = (errors: GraphQLError[]): Reply => {
    call.errors.push(...errors.map((e) => e.message))
    for (const e of errors) s.violations.push(`graphql: ${e.message}`)
    return { status: 200, body: { errors: errors.map(errorJson) } }
  }
  let doc: DocumentNode
  try {
    doc = parse(request.query)
  } catch (e) {
    if (e instanceof GraphQLError) return refuse([e])
    throw e
  }
  Object.assign(call, topFields(doc))
  const invalid = validate(githubSchema(), doc)
  if (invalid.length > 0) return refuse([...invalid])
  const result = execute({
    schema: githubSchema(),
    document: doc,
    rootValue: rootValue(s, token),
    variableValues: variables,
    ...(typeof request.operationName === 'string' ? { operationName: request.operationName } : {})
  }) as Awaited<ReturnType<typeof execute>>
  const errors = result.errors ?? []
  call.errors.push(...errors.map((e) => e.message))
  for (const e of errors) {
    // A refusal GitHub would give (FORBIDDEN, NOT_FOUND) is an answer; anything else is ours.
    if (!(e.originalError instanceof TypedError)) s.violations.push(`graphql: ${e.message}`)
  }
  return {
    status: 200,
    body: { data: result.data ?? null, ...(errors.length ? { errors: errors.map(errorJson) } : {}) }
  }
}
