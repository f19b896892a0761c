import { plural } from '../shared/text.js'
import type { AnalystSection } from '../types/report.js'
import type { AnalystFacts } from './facts.js'
import { emptyDrops } from './grounding.js'

/*
 * The summary written when no model is configured, none answers, or its answer is unusable. Plain
 * text built from the facts alone, so every number in it is grounded by construction.
 */

type Metric = AnalystFacts['metrics'][number]

function label(m: Metric): string {
  return `${m.benchmark} / ${m.metric}`
}

function signed(v: number): string {
  return `${v > 0 ? '+' : ''}${v}`
}

function changeOf(m: Metric): string {
  if (m.changePct === null) return 'was not compared'
  const ci = m.ciPct ? `, 90 % CI ${signed(m.ciPct[0])} … ${signed(m.ciPct[1])} %` : ''
  return `changed ${signed(m.changePct)} %${ci}, verdict ${m.verdict}`
}

function largest(metrics: Metric[], test: (m: Metric) => boolean): Metric | undefined {
  return metrics
    .filter((m) => test(m) && m.changePct !== null)
    .sort((a, b) => Math.abs(b.changePct ?? 0) - Math.abs(a.changePct ?? 0))[0]
}

const isThroughput = (m: Metric): boolean => m.direction === 'higher' && /\/s(ec)?$/.test(m.unit)
const isTtft = (m: Metric): boolean => /ttft/i.test(m.metric)

export function deterministicSection(facts: AnalystFacts, note?: string): AnalystSection {
  const c = facts.counts
  const top = largest(facts.metrics, () => true)
  const summary = [
    `Verdict ${facts.verdict}: ${plural(c.regressions, 'regression')}, ${c.unchanged} unchanged and ${plural(c.improvements, 'improvement')} over ${plural(c.metrics, 'compared metric')}.`,
    top
      ? `The largest change is ${label(top)}, which ${changeOf(top)}.`
      : 'No metric could be compared with a baseline.',
    facts.notes.length || facts.outliers.length
      ? `The runs carry ${plural(facts.notes.length, 'runner note')} and ${plural(facts.outliers.length, 'outlying run')}; see Observations before trusting a single number.`
      : 'The runs show no runner notes and no outlying runs.'
  ].join(' ')

  // Decode speed is what users feel; other rates only when there is none.
  const tput =
    largest(facts.metrics, (m) => isThroughput(m) && /decode/i.test(m.metric)) ??
    largest(facts.metrics, isThroughput)
  const ttft = largest(facts.metrics, isTtft)
  const hot = facts.hotspots.find((h) => h.total === 'TTFT' && h.carriedBy)
  const cv = facts.metrics
    .filter((m) => (m.cvPct ?? 0) > 10)
    .sort((a, b) => (b.cvPct ?? 0) - (a.cvPct ?? 0))[0]
  const recommendations = [
    {
      focus: 'throughput',
      text: tput
        ? `${label(tput)} ${changeOf(tput)}; ${tput.verdict === 'fail' ? 'find the cause before merging' : 'keep watching it on the next runs'}.`
        : 'No throughput metric was compared; add a benchmark that reports tokens/s to watch decode speed.'
    },
    {
      focus: 'ttft',
      text: ttft
        ? `${label(ttft)} ${changeOf(ttft)}${hot ? `; the change is carried by ${hot.carriedBy}` : ''}.`
        : 'No TTFT metric was compared; an Ollama benchmark records it from the first streamed chunk.'
    },
    {
      focus: 'quality',
      text: cv
        ? `${label(cv)} varies ${cv.cvPct} % run to run; raise repetitions or quiet the runner so a change can be told from noise.`
        : facts.outliers.length
          ? `${plural(facts.outliers.length, 'outlying run')} were found; check the first runs for cold starts and raise warmup if needed.`
          : 'Runs are steady; keep the prompts, options and num_ctx pinned so results stay comparable.'
    }
  ]

  const risks: AnalystSection['risks'] = []
  const failing = facts.metrics.find((m) => m.verdict === 'fail')
  if (failing) {
    risks.push({
      risk: `${label(failing)} ${changeOf(failing)} and ships with the merge.`,
      mitigation: 'Fix it (Route A), or accept it with the label and a written reason (Route B).'
    })
  }
  if (cv) {
    risks.push({
      risk: `Noise hides a real change: ${label(cv)} varies ${cv.cvPct} % run to run.`,
      mitigation: 'Raise repetitions, or run on a quieter runner.'
    })
  }
  risks.push(
    {
      risk: 'A cold start or a reload inflates TTFT and latency of one run.',
      mitigation:
        'Warm-up runs are never gated and the gate compares medians; keep warmup at 1 or more.'
    },
    {
      risk: 'The baseline was measured on a different environment (driver, model digest, num_ctx).',
      mitigation: 'Compare the fingerprints, and record a fresh baseline after an intended change.'
    }
  )
  return {
    source: 'deterministic',
    ...(note ? { note } : {}),
    summary,
    recommendations,
    risks: risks.slice(0, 4),
    dropped: emptyDrops(),
    kept: 0,
    filled: 0
  }
}
