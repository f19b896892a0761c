import * as core from '@actions/core'
import { thresholdsFromConfig } from '../config/thresholds.js'
import type { PerfGateConfig } from '../config/types.js'
import { findRegressions } from '../engine/regressions.js'
import { GitHubApiError } from '../github/errors.js'
import { syncRegressionIssues } from '../github/issues.js'
import type { HistoryReport } from '../report/history.js'
import { plural } from '../shared/text.js'
import type { ActionRun } from './run.js'

/**
 * Input `open-issues`: the history's regressions past the fail budget as issues. Never fails the
 * step: the history and the baseline were the job; a refusal or a missing permission is a line.
 */
export async function fileRegressionIssues(
  run: ActionRun,
  history: HistoryReport,
  config: PerfGateConfig,
  env: NodeJS.ProcessEnv = process.env
): Promise<void> {
  if (!run.inputs.openIssues) return
  const findings = findRegressions(history, thresholdsFromConfig(config))
  const repo = run.wf.repository
  if (!run.client || !repo) {
    core.warning(
      `perf-gate: open-issues: no issues opened: ${run.posture.kind === 'files-only' ? run.posture.why : 'there is no token'} (it needs the github-token input with permissions: issues: write)`
    )
    return
  }
  try {
    const sync = await syncRegressionIssues(run.client, repo, run.wf.context, findings, {
      serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
      log: (m) => core.info(`perf-gate: ${m}`)
    })
    if (sync.refused) {
      core.info(`perf-gate: open-issues: no issues opened: ${sync.refused}`)
      return
    }
    const open = findings.filter((f) => !f.recovery).length
    core.info(
      `perf-gate: ${plural(open, 'regression')} past the fail budget in the history: ` +
        `${sync.opened.length} issue(s) opened, ${sync.updated.length} updated, ${sync.closed.length} closed as recovered`
    )
  } catch (e) {
    if (!(e instanceof GitHubApiError)) throw e
    core.warning(
      e.kind === 'permission'
        ? `perf-gate: open-issues: the token may not write issues (${e.message
            .split(': ')
            .slice(1)
            .join(': ')
            .replace(/ Add `permissions.*$/, '')}). Add \`permissions: issues: write\` to the job.`
        : `perf-gate: open-issues: ${e.message}`
    )
  }
}
