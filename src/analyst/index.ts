import type { AnalystSection } from '../types/report.js'
import { askModel, type AnalystClient, type ModelAnswer } from './call.js'
import { deterministicSection } from './deterministic.js'
import type { AnalystFacts } from './facts.js'
import { checkText, dominantScript, emptyDrops, vocabularyOf } from './grounding.js'
import { AnalystAnswer } from './schema.js'

export { buildFacts, type AnalystFacts } from './facts.js'
export { deterministicSection } from './deterministic.js'
export type { AnalystClient } from './call.js'

/** Fewer output tokens than this is no report, whatever it says ("OK.", "Looks good", ""). */
export const MIN_TOKENS = 20
/** And a summary needs at least this many words. */
export const MIN_SUMMARY_WORDS = 8

export interface AnalystRun {
  section: AnalystSection
  /** Numbers of the model's answer that were dropped as ungrounded (0 reach the report). */
  ungrounded: string[]
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}

function fallback(
  facts: AnalystFacts,
  note: string,
  model: string,
  answer?: ModelAnswer
): AnalystRun {
  const section = deterministicSection(facts, note)
  section.model = model
  if (answer) section.metrics = answer.metrics
  return { section, ungrounded: [] }
}

/**
 * Asks `model` for the narrative and keeps only what the facts support. Any failure (no server,
 * a timeout, an empty, short or malformed answer) gives the deterministic summary with a note:
 * the narrative is optional and never decides anything.
 */
export async function runAnalyst(opts: {
  client: AnalystClient
  model: string
  facts: AnalystFacts
  clock?: () => number
}): Promise<AnalystRun> {
  const { facts, model } = opts
  let answer: ModelAnswer
  try {
    answer = await askModel(opts.client, model, facts, opts.clock)
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e)
    return fallback(
      facts,
      `the analyst model ${model} could not be reached (${why}); deterministic summary instead`,
      model
    )
  }
  const content = answer.content.trim()
  if (content === '')
    return fallback(
      facts,
      `the analyst model ${model} returned an empty answer; deterministic summary instead`,
      model,
      answer
    )
  const tokens = answer.metrics.outputTokens ?? words(content)
  if (tokens < MIN_TOKENS) {
    return fallback(
      facts,
      `the analyst model ${model} answered with only ${tokens} tokens, too short to be a report; deterministic summary instead`,
      model,
      answer
    )
  }
  let parsed: AnalystAnswer
  try {
    parsed = AnalystAnswer.parse(JSON.parse(content))
  } catch {
    return fallback(
      facts,
      `the analyst model ${model} did not answer with the JSON asked for; deterministic summary instead`,
      model,
      answer
    )
  }
  if (words(parsed.summary) < MIN_SUMMARY_WORDS) {
    return fallback(
      facts,
      `the analyst model ${model} wrote a summary of ${words(parsed.summary)} words, too short; deterministic summary instead`,
      model,
      answer
    )
  }

  const vocab = vocabularyOf(facts)
  const all = [
    parsed.summary,
    ...parsed.recommendations.map((r) => r.text),
    ...parsed.risks.flatMap((r) => [r.risk, r.mitigation])
  ].join(' ')
  const script = dominantScript(all, vocab)
  const dropped = emptyDrops()
  const ungrounded: string[] = []
  let kept = 0
  const check = (text: string): string => {
    const c = checkText(text, vocab, script)
    kept += c.kept
    for (const k of Object.keys(dropped) as Array<keyof typeof dropped>) dropped[k] += c.dropped[k]
    ungrounded.push(...c.ungrounded)
    return c.text
  }
  const rules = deterministicSection(facts)
  let note: string | undefined
  let summary = check(parsed.summary)
  if (summary === '') {
    summary = rules.summary
    note =
      'no sentence of the model’s summary was grounded in the facts; the deterministic summary stands in'
  }
  let filled = 0
  const recommendations: Array<{ focus: string; text: string }> = parsed.recommendations
    .slice(0, 3)
    .map((r) => ({ focus: r.focus, text: check(r.text) }))
    .filter((r) => r.text !== '')
  for (const r of rules.recommendations) {
    if (recommendations.length >= 3) break
    if (recommendations.some((x) => x.focus === r.focus)) continue
    recommendations.push(r)
    filled++
  }
  const risks = parsed.risks
    .map((r) => ({ risk: check(r.risk), mitigation: check(r.mitigation) }))
    .filter((r) => r.risk !== '' && r.mitigation !== '')
  for (const r of rules.risks) {
    if (risks.length >= 2) break
    risks.push(r)
    filled++
  }
  return {
    section: {
      source: 'model',
      model,
      ...(note ? { note } : {}),
      summary,
      recommendations,
      risks,
      dropped,
      kept,
      filled,
      metrics: answer.metrics
    },
    ungrounded
  }
}
