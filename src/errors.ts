/**
 * An error the user can act on: bad config, bad result file, missing token. The entry points print
 * its message as one line and exit 2 (CLI) or fail the step (action), never a stack trace.
 * `where` names the file (and line) at fault so the message can lead with it.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
  constructor(
    message: string,
    readonly where?: { file?: string; line?: number }
  ) {
    super(where?.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ${message}` : message)
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}
