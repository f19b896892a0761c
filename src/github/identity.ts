import type { GitHubClient } from './client.js'
import { explainApiError, statusOf } from './errors.js'

/*
 * Whose comments are ours. An installation token (GITHUB_TOKEN, any GitHub App) may not call
 * GET /user, and GET /app wants the app's private key, so the check run we create answers it: its
 * `app.slug` is the app we act as, and that app comments as `<slug>[bot]`. Without a check run a
 * personal token still has GET /user; an installation token that refuses it is taken to be
 * GITHUB_TOKEN, whose comments are by `github-actions[bot]`.
 */

export const ACTIONS_BOT = 'github-actions[bot]'

export interface Identity {
  login: string
  /** How it was learned, for the log. */
  source: 'check run' | 'GET /user' | 'default'
}

export function identityOfApp(slug: string): Identity {
  return { login: `${slug}[bot]`, source: 'check run' }
}

export async function resolveIdentity(
  client: GitHubClient,
  known: Identity | null
): Promise<Identity> {
  if (known) return known
  try {
    const { data } = await client.rest.users.getAuthenticated()
    return { login: data.login, source: 'GET /user' }
  } catch (e) {
    if (statusOf(e) === 403) return { login: ACTIONS_BOT, source: 'default' }
    throw explainApiError(e, 'finding out who the token belongs to')
  }
}
