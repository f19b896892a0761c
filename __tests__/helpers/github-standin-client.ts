import { createClient, type ApiTuning, type GitHubClient } from '../../src/github/client.js'
import type { GitHubStandin } from './github-standin.js'

/**
 * Waits shrunk a thousandfold and GitHub's write pacing off: the plugins' Bottleneck groups are
 * module-global, so every client in a jest worker would otherwise queue behind the others' 1 s and
 * 3 s gaps. What is asserted is the number and order of requests, never how long they took.
 */
export const FAST: ApiTuning = {
  timeScale: 0.001,
  requestTimeoutMs: 5_000,
  pacing: false,
  maxRateLimitWaitSeconds: 60
}

export function standinClient(
  gh: GitHubStandin,
  token = 'ghs-write',
  tuning: Partial<ApiTuning> = {},
  log: string[] = []
): GitHubClient {
  return createClient(token, {
    baseUrl: gh.url,
    tuning: { ...FAST, ...tuning },
    log: (m) => log.push(m)
  })
}
