import { z } from 'zod'
import { ConfigInput } from './schema.js'

/**
 * JSON Schema of `perf-gate.yml` for editors (yaml-language-server et al.). Draft 7 because it is
 * the draft editors support most widely; `schemas/config.schema.json` is this, committed.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigInput, { io: 'input', target: 'draft-7' })
}
