/** Where a run happens and on what event: what the baseline trust rule (src/baseline/trust.ts) decides from. */
export interface RunContext {
  onGitHub: boolean
  eventName?: string
  /** `refs/heads/main` */
  ref?: string
  defaultBranch?: string
  /** Repository the event's code comes from differs from the repository running the workflow. */
  fromFork?: boolean
}
