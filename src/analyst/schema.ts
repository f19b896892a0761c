import { z } from 'zod'

/*
 * The structure the analyst must answer with, sent as Ollama's `format` (a JSON schema) and
 * checked again on receipt: a model may ignore the schema, and a proxy may not pass it on.
 */

export const FOCUS = ['throughput', 'ttft', 'quality'] as const

export const AnalystAnswer = z.object({
  summary: z.string(),
  recommendations: z.array(z.object({ focus: z.enum(FOCUS), text: z.string() })).min(1),
  risks: z.array(z.object({ risk: z.string(), mitigation: z.string() })).min(1)
})
export type AnalystAnswer = z.infer<typeof AnalystAnswer>

/** The JSON schema for Ollama's `format`: what is asked (3 recommendations, ≥ 2 risks). */
export const ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    summary: { type: 'string', description: 'Executive summary, 2 to 4 sentences.' },
    recommendations: {
      type: 'array',
      minItems: 3,
      maxItems: 3,
      items: {
        type: 'object',
        properties: {
          focus: { type: 'string', enum: [...FOCUS] },
          text: { type: 'string' }
        },
        required: ['focus', 'text']
      }
    },
    risks: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        properties: { risk: { type: 'string' }, mitigation: { type: 'string' } },
        required: ['risk', 'mitigation']
      }
    }
  },
  required: ['summary', 'recommendations', 'risks']
} as const

export const SYSTEM_PROMPT = [
  'You write the analyst section of a performance report for a pull request.',
  'The user message is JSON with every computed fact of the run. Use only these facts.',
  'Cite a number only if it appears in the facts, rounded as given; never estimate, never compute new numbers.',
  'Name no company, person, product or model that is not in the facts.',
  'Write in English.',
  'Answer with JSON: summary (2 to 4 sentences), exactly three recommendations (focus throughput, ttft and quality, one each), and at least two risks with a mitigation each.',
  'A mean inflated by one cold start is not a trend; outliers and runner notes are listed in the facts.'
].join(' ')
