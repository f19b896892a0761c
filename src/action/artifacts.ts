import { copyFile, mkdir, mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { errorMessage, UserError } from '../errors.js'
import type { ShardFile } from '../engine/merge.js'
import { artifactFiles } from '../github/report-mode.js'

/*
 * Shard results travel between the jobs of one workflow run as artifacts. The client is the
 * subset of @actions/artifact's DefaultArtifactClient used here, taken as a parameter so the
 * action can load that large package only when it shards, and tests can hand in their own.
 */

export interface ArtifactClient {
  uploadArtifact(
    name: string,
    files: string[],
    rootDirectory: string,
    options?: { retentionDays?: number }
  ): Promise<{ id?: number; size?: number }>
  listArtifacts(options?: { latest?: boolean }): Promise<{
    artifacts: Array<{ name: string; id: number; size: number; digest?: string }>
  }>
  downloadArtifact(
    id: number,
    options?: { path?: string; expectedHash?: string }
  ): Promise<{ downloadPath?: string; digestMismatch?: boolean }>
}

/** Where to upload from and download to: the runner's temp folder, cleaned after every job. */
export function scratchRoot(): string {
  return process.env.RUNNER_TEMP ?? path.join(process.cwd(), '.perf-gate', 'tmp')
}

/**
 * Uploads one shard's results file as artifact `name`, holding `<name>.json`: named so that
 * actions/download-artifact with `merge-multiple: true` cannot make two shards collide.
 */
export async function uploadShardResults(
  client: ArtifactClient,
  name: string,
  resultsFile: string,
  scratch = scratchRoot()
): Promise<{ id: number | undefined; file: string }> {
  await mkdir(scratch, { recursive: true })
  const dir = await mkdtemp(path.join(scratch, 'perf-gate-upload-'))
  const file = path.join(dir, `${name}.json`)
  await copyFile(resultsFile, file)
  try {
    // A shard's results are read by the merge job of the same run, minutes later.
    const got = await client.uploadArtifact(name, [file], dir, { retentionDays: 1 })
    return { id: got.id, file }
  } catch (e) {
    if (isGhes(e)) throw e
    throw new UserError(
      `could not upload the shard results as artifact '${name}': ${errorMessage(e)}. Where the artifact service is not available (GHES), upload results-path with actions/upload-artifact and give the merge job results-dir`
    )
  }
}

/**
 * @actions/artifact's refusal to run on GitHub Enterprise Server, told apart from a failure of
 * the service: only the former is a reason to carry on without it.
 */
function isGhes(e: unknown): boolean {
  if (!(e instanceof Error) || e instanceof UserError) return false
  return e.name === 'GHESNotSupportedError' || /\bGHES\b/.test(e.message)
}

/**
 * Downloads every artifact of this workflow run whose name starts with `prefix` into its own
 * folder under `dir`; each becomes one shard, labelled with the artifact's name.
 */
export async function downloadShardResults(
  client: ArtifactClient,
  prefix: string,
  dir: string
): Promise<ShardFile[]> {
  let listed
  try {
    listed = await client.listArtifacts({ latest: true })
  } catch (e) {
    throw new UserError(`could not list the artifacts of this run: ${errorMessage(e)}`)
  }
  const mine = listed.artifacts
    .filter((a) => a.name.startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
  if (mine.length === 0) {
    const names = listed.artifacts.map((a) => a.name)
    throw new UserError(
      `no shard results in this run: no artifact is named ${prefix}* (found ${names.length > 0 ? names.join(', ') : 'none'}). Run the shard jobs first (needs:) with the same testbed`
    )
  }
  const out: ShardFile[] = []
  for (const a of mine) {
    const into = path.join(dir, a.name)
    await mkdir(into, { recursive: true })
    let got
    try {
      got = await client.downloadArtifact(a.id, {
        path: into,
        ...(a.digest ? { expectedHash: a.digest } : {})
      })
    } catch (e) {
      throw new UserError(`could not download artifact '${a.name}': ${errorMessage(e)}`)
    }
    if (got.digestMismatch) {
      throw new UserError(
        `artifact '${a.name}' arrived with another digest than it was uploaded with; refusing it`
      )
    }
    const files = (await artifactFiles(into)) ?? []
    if (files.length === 0) {
      throw new UserError(
        `artifact '${a.name}' holds no results file (.json); was it uploaded by perf-gate?`
      )
    }
    for (const file of files) out.push({ label: a.name, file })
  }
  return out
}

/**
 * The fallback without the artifact service: a folder filled by actions/download-artifact, one
 * subfolder per artifact, or flat with `merge-multiple: true` (each file is named for its shard).
 */
export async function shardFilesInDir(dir: string): Promise<ShardFile[]> {
  const files = await artifactFiles(dir)
  if (!files || files.length === 0) {
    throw new UserError(
      `results-dir '${dir}' holds no results files; download the shard artifacts into it first`
    )
  }
  return files.map((file) => {
    const rel = path.relative(dir, file).split(path.sep)
    const label = rel.length > 1 ? (rel[0] ?? file) : path.basename(file, '.json')
    return { label, file }
  })
}

/** Why this job cannot reach the artifact service, or null when it can. */
export function artifactServiceMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((k) => !env[k])
  return missing.length > 0
    ? `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set (the runner sets them in every GitHub Actions job)`
    : null
}

/** @actions/artifact's client, loaded on first use: it is the largest part of the bundle. */
export async function defaultArtifactClient(): Promise<ArtifactClient> {
  const missing = artifactServiceMissing()
  if (missing) throw new UserError(`the artifact service is out of reach: ${missing}`)
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return new DefaultArtifactClient()
}

/**
 * A shard job's upload. Without the artifact service (GHES, or a runner outside Actions) the
 * shard still succeeds with a warning: its results-path can be uploaded with
 * actions/upload-artifact, and the merge job reads them through results-dir.
 */
export async function uploadShard(
  name: string,
  resultsFile: string,
  warn: (m: string) => void,
  client: () => Promise<ArtifactClient> = defaultArtifactClient
): Promise<boolean> {
  const fallback = `upload results-path as artifact '${name}' with actions/upload-artifact and give the merge job results-dir`
  const missing = artifactServiceMissing()
  if (missing) {
    warn(`perf-gate: shard results not uploaded: ${missing}; ${fallback}`)
    return false
  }
  try {
    await uploadShardResults(await client(), name, resultsFile)
    return true
  } catch (e) {
    if (isGhes(e)) {
      warn(
        `perf-gate: shard results not uploaded: this server has no artifact service; ${fallback}`
      )
      return false
    }
    throw e
  }
}
