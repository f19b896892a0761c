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
  if (m.absoluteChange !== undefined && m.changePct === null)
    return `changed by ${signed(m.absoluteChange)} ${m.unit} from ${m.baseline ?? 0}, verdict ${m.verdict}`
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
    `Verdict ${facts.verdict}: ${plural(c.regressions, 'regression')}, ${c.unchanged} unchanged and ${plural(c.improvements, 'improvement')} over ${plural(c.metrics, 'compared metric')}${c.notCompared > 0 ? `; ${c.notCompared} not compared` : ''}.`,
    top
      ? `The largest change is ${label(top)}, which ${changeOf(top)}.`
      : 'No metric could be compared with a baseline.',
    facts.notes.length || facts.outliers.length
      ? `The runs carry ${plural(facts.notes.length, 'runner note')} and ${plural(facts.outliers.length, 'outlying run')}; see Observations before trusting a single number.`
      : 'The runs show no runner notes and no outlying runs.'
  ].join(' ')

  const cv = facts.metrics
    .filter((m) => (m.cvPct ?? 0) > 10)
    .sort((a, b) => (b.cvPct ?? 0) - (a.cvPct ?? 0))[0]
  const llm = measuresLlm(facts)
  const recommendations = llm ? llmAdvice(facts, cv) : generalAdvice(facts, cv, top)

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
    llm
      ? {
          risk: 'A cold start or a reload inflates TTFT and latency of one run.',
          mitigation:
            'Warm-up runs are never gated and the gate compares medians; keep warmup at 1 or more.'
        }
      : {
          risk: 'A cold start (empty caches, code not yet compiled or paged in) slows the first run.',
          mitigation:
            'Warm-up runs are never gated and the gate compares medians; keep warmup at 1 or more.'
        },
    llm
      ? {
          risk: 'The baseline was measured on a different environment (driver, model digest, num_ctx).',
          mitigation:
            'Compare the fingerprints, and record a fresh baseline after an intended change.'
        }
      : {
          risk: 'The baseline was measured on a different machine or toolchain (CPU, core count, compiler or runtime version).',
          mitigation:
            'Keep one testbed per kind of runner, and record a fresh baseline after an intended change.'
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

/**
 * Whether the run measured a model: the advice on decode speed, TTFT, prompts and num_ctx is for
 * such runs only; a Go, Google Benchmark or pytest project gets advice on what it measured.
 */
function measuresLlm(facts: AnalystFacts): boolean {
  return (
    facts.gpus.length > 0 ||
    facts.hotspots.length > 0 ||
    Object.keys(facts.environment).some((k) => k.startsWith('ollama.')) ||
    facts.metrics.some((m) => isTtft(m) || /tokens?\b/i.test(m.unit))
  )
}

function llmAdvice(facts: AnalystFacts, cv: Metric | undefined): Recommendation[] {
  // Decode speed is what users feel; other rates only when there is none.
  const tput =
    largest(facts.metrics, (m) => isThroughput(m) && /decode/i.test(m.metric)) ??
    largest(facts.metrics, isThroughput)
  const ttft = largest(facts.metrics, isTtft)
  const hot = facts.hotspots.find((h) => h.total === 'TTFT' && h.carriedBy)
  return [
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
    quality(facts, cv, 'keep the prompts, options and num_ctx pinned so results stay comparable')
  ]
}

/** For benchmarks of code: the largest change, what was not compared or decided, the noise. */
function generalAdvice(
  facts: AnalystFacts,
  cv: Metric | undefined,
  top: Metric | undefined
): Recommendation[] {
  const c = facts.counts
  const undecided = facts.metrics.filter((m) => m.moreRunsToDecide !== null).length
  return [
    {
      focus: 'change',
      text: top
        ? `${label(top)} ${changeOf(top)}; ${top.verdict === 'fail' ? 'find the cause before merging' : 'keep watching it on the next runs'}.`
        : facts.baselineCommit === null
          ? 'Nothing was compared yet: record this run as the baseline on the default branch, and the next pull request is gated against it.'
          : 'No metric could be compared with the baseline; the list under the table says why for each.'
    },
    {
      focus: 'coverage',
      text:
        c.notCompared > 0
          ? `${plural(c.notCompared, 'metric')} ${c.notCompared === 1 ? 'was' : 'were'} not compared (new, too few samples, or another environment); the list under the table says why for each.`
          : undecided > 0
            ? `${plural(undecided, 'metric')} ${undecided === 1 ? 'is' : 'are'} inconclusive; raise repetitions to decide ${undecided === 1 ? 'it' : 'them'}.`
            : `Every metric measured was compared (${plural(c.metrics, 'metric')} of ${plural(c.benchmarks, 'benchmark')}).`
    },
    quality(
      facts,
      cv,
      "keep the runner and the benchmarks' settings fixed so results stay comparable"
    )
  ]
}

type Recommendation = AnalystSection['recommendations'][number]

function quality(facts: AnalystFacts, cv: Metric | undefined, steady: string): Recommendation {
  return {
    focus: 'quality',
    text: cv
      ? `${label(cv)} varies ${cv.cvPct} % run to run; raise repetitions or quiet the runner so a change can be told from noise.`
      : facts.outliers.length
        ? `${plural(facts.outliers.length, 'outlying run')} were found; check the first runs for cold starts and raise warmup if needed.`
        : `Runs are steady; ${steady}.`
  }
}
