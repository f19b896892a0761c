import { compileExpect, type Scorer } from '../config/expect.js'
import type { OllamaBenchmark } from '../config/types.js'
import type { Metric } from '../results/model.js'
import type { Round } from './ollama-load.js'

/*
 * Answer quality beside speed: every measured answer is checked against its prompt's `expect`
 * (else the benchmark's), one 0/1 sample per answer, so `accuracy` is the share that passed and
 * the gate compares it as a proportion.
 */

const QUOTE = 40

function short(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > QUOTE ? `${oneLine.slice(0, QUOTE)}…` : oneLine
}

export function scorersFor(
  spec: OllamaBenchmark
): ((promptIndex: number) => Scorer | undefined) | null {
  const common = spec.expect ? compileExpect(spec.expect) : undefined
  const own = (spec.promptExpects ?? []).map((e) => (e ? compileExpect(e) : undefined))
  if (!common && own.every((s) => s === undefined)) return null
  return (i) => own[i] ?? common
}

export function accuracyMetric(
  spec: OllamaBenchmark,
  prompts: readonly string[],
  rounds: { warmups: Round[]; measured: Round[] }
): { metric?: Metric; notes: string[] } {
  const scorerOf = scorersFor(spec)
  if (!scorerOf) return { notes: [] }
  const score = (list: Round[]): { samples: number[]; misses: Map<number, string[]> } => {
    const samples: number[] = []
    const misses = new Map<number, string[]>()
    for (const round of list) {
      for (const q of round) {
        const scorer = q.record ? scorerOf(q.promptIndex) : undefined
        if (!scorer || !q.record) continue
        const verdict = scorer(q.record.text)
        samples.push(verdict.ok ? 1 : 0)
        if (!verdict.ok) {
          const whys = misses.get(q.promptIndex) ?? []
          whys.push(verdict.why ?? 'missed')
          misses.set(q.promptIndex, whys)
        }
      }
    }
    return { samples, misses }
  }
  const measured = score(rounds.measured)
  const warm = score(rounds.warmups)
  if (measured.samples.length === 0) {
    return { notes: ['accuracy: no measured answer could be scored (every request was refused)'] }
  }
  const notes: string[] = []
  const missed = measured.samples.filter((v) => v === 0).length
  if (missed > 0) {
    const which = [...measured.misses]
      .slice(0, 3)
      .map(
        ([i, whys]) =>
          `prompt ${i + 1} '${short(prompts[i] ?? '')}' ${whys.length}× (${[...new Set(whys)].slice(0, 2).join('; ')})`
      )
    notes.push(
      `accuracy: ${missed} of ${measured.samples.length} measured answers missed their expect: ${which.join(', ')}`
    )
  }
  return {
    metric: {
      name: 'accuracy',
      unit: 'fraction',
      direction: 'higher',
      class: spec.class,
      samples: measured.samples,
      ...(warm.samples.length ? { warmup: warm.samples } : {})
    },
    notes
  }
}
