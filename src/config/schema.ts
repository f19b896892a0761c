import { z } from 'zod'
import { IMPORTERS } from '../importers/index.js'
import { Direction, MetricClass } from '../results/model.js'

/**
 * The shape of `perf-gate.yml` exactly as written (kebab-case keys, percentages as text). It only
 * validates; turning it into the typed `PerfGateConfig` (defaults, fractions, absolute paths) is
 * the loader's job, so that this schema also serves as the editor's JSON Schema unchanged.
 */

export const CONFIG_DEFAULTS = {
  testbed: 'local',
  repetitions: 10,
  warmup: 1,
  minSamples: 5,
  timeoutSeconds: 600,
  /** τ₀: the prior sd of a job's centre from one job to the next on the runner (0.05 = 5 %). */
  runnerDrift: 0.05,
  thresholds: {
    core: { warn: 0.05, fail: 0.05 },
    nonCritical: { warn: 0.05, fail: 0.1 }
  }
} as const

/** Every importer's name: a format added there is accepted here, with no second list to update. */
const IMPORTED_FORMATS = IMPORTERS.map((i) => i.name)

/** `none` times the command itself; the others parse what it prints or writes. */
export const COMMAND_FORMATS: readonly [string, ...string[]] = ['none', 'auto', ...IMPORTED_FORMATS]

/** A result file has no command whose wall time could stand in for it, hence no `none`. */
export const FILE_FORMATS: readonly [string, ...string[]] = ['auto', ...IMPORTED_FORMATS]

/** How the visits of an A/B run are ordered: balanced random (seeded) or ABBA blocks. */
export const AB_ORDERS = ['balanced', 'abba'] as const

type RawIssue = z.core.$ZodRawIssue

/**
 * A schema-level message wins over the loader's generic wording. Returning undefined for a missing
 * value lets the generic "is required" through instead of, say, "must be an integer >= 1".
 */
function unlessMissing(text: string): (issue: RawIssue) => string | undefined {
  return (issue) => (issue.input === undefined ? undefined : text)
}

function integer(min?: number): z.ZodNumber {
  const error = unlessMissing(
    min === undefined ? 'must be an integer' : `must be an integer >= ${min}`
  )
  const int = z.number({ error }).int({ error })
  return min === undefined ? int : int.min(min, { error })
}

function positiveNumber(): z.ZodNumber {
  const error = unlessMissing('must be a number > 0')
  return z.number({ error }).positive({ error })
}

function text(): z.ZodString {
  return z.string().min(1)
}

/** Digits, optional fraction, optional blanks before the `%`: "5%", "2.5 %", ".5%". */
export const PERCENT_TEXT = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%\s*$/
const NEGATIVE_PERCENT_TEXT = /^\s*-\s*(\d+(?:\.\d+)?|\.\d+)\s*%\s*$/
/** Words that switch the fail budget off, leaving the metric warn-only. */
export const FAIL_OFF_WORDS = ['none', 'off'] as const

function percentError(allowOff: boolean): (issue: RawIssue) => string | undefined {
  return (issue) => {
    const input = issue.input
    if (input === undefined) return undefined
    if (
      (typeof input === 'number' && input < 0) ||
      (typeof input === 'string' && NEGATIVE_PERCENT_TEXT.test(input))
    ) {
      return 'must be a percentage >= 0'
    }
    return allowOff
      ? 'must be a percentage like 10% or 2.5, or none/off for warn-only'
      : 'must be a percentage like 5% or 2.5'
  }
}

// zod reports a union's "closest" branch instead of the union, so every branch gets the message.
function percent(allowOff: boolean) {
  const error = percentError(allowOff)
  const number = z.number({ error }).min(0, { error })
  const text = z.string({ error }).regex(PERCENT_TEXT, { error })
  return allowOff
    ? z.union([number, text, z.null(), z.enum(FAIL_OFF_WORDS, { error }), z.literal(false)], {
        error
      })
    : z.union([number, text], { error })
}

const WarnPercent = percent(false).meta({
  description: 'Relative change that warns: "5%", or a plain number of percent (5 = 5 %).'
})

const FailPercent = percent(true).meta({
  description:
    'Relative change that fails the gate: "10%", or a plain number of percent; none/off for warn-only.'
})

/** `">= 45"`, `"<= 800"`, `"≥ 0.6"`: a bound in the metric's own unit. */
export const TARGET_TEXT = /^\s*(>=|<=|≥|≤)\s*([+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?)\s*$/i

const targetError = unlessMissing('must be a bound in the metric\'s unit, like ">= 45" or "<= 800"')

/**
 * Absolute bounds by metric name. A key may name matrix cells too, `ttft_p95_ms[concurrency=8]`:
 * it then applies only to the cells with those values, and wins over the plain key there.
 */
const TargetsInput = z
  .record(z.string(), z.string({ error: targetError }).regex(TARGET_TEXT, { error: targetError }))
  .meta({
    description:
      'Absolute targets by metric, judged on the 90 % CI of the metric\'s centre, with or without a baseline: ">= 45", "<= 800". `metric[axis=value]` keys apply to matrix cells.'
  })

/** A matrix axis: a list of values, each combination of every axis a benchmark of its own. */
function axis<T extends z.ZodType>(value: T, description: string) {
  return z.array(value).min(1).optional().meta({ description })
}

/** Converts a validated percentage to a fraction; null stands for "no fail budget". */
export function percentToFraction(value: number | string | null | false): number | null {
  if (value === null || value === false) return null
  if (typeof value === 'number') return value / 100
  const m = PERCENT_TEXT.exec(value)
  if (!m) {
    if ((FAIL_OFF_WORDS as readonly string[]).includes(value)) return null
    // The schema has already rejected anything else; reaching here is a programming error.
    throw new Error(`not a percentage: ${JSON.stringify(value)}`)
  }
  return Number(m[1]) / 100
}

const ThresholdsInput = z.strictObject({
  warn: WarnPercent.optional(),
  fail: FailPercent.optional()
})
export type ThresholdsInput = z.infer<typeof ThresholdsInput>

const MetricOverrideInput = z.strictObject({
  warn: WarnPercent.optional(),
  fail: FailPercent.optional(),
  class: MetricClass.optional().meta({ description: 'Overrides the class of this metric.' }),
  direction: Direction.optional().meta({ description: 'Which way is better.' }),
  gate: z
    .boolean()
    .optional()
    .meta({ description: 'false records the metric without gating on it.' })
})
export type MetricOverrideInput = z.infer<typeof MetricOverrideInput>

/** The same for every benchmark (top-level `metrics`): budgets stay under thresholds.metrics. */
const GlobalMetricInput = z.strictObject({
  class: MetricClass.optional().meta({ description: 'Overrides the class of this metric.' }),
  direction: Direction.optional().meta({ description: 'Which way is better.' }),
  gate: z.boolean().optional().meta({
    description:
      'true gates a metric its format records for context only (Google Benchmark cpu_time); false records it without gating.'
  })
})

const common = {
  name: z
    .string()
    .regex(/\S/, { error: unlessMissing('must not be blank') })
    .meta({ description: 'Unique name; baselines are matched by it.' }),
  class: MetricClass.optional().meta({
    description: 'core metrics fail at a smaller regression; default non-critical.'
  }),
  thresholds: ThresholdsInput.optional().meta({
    description: 'Budgets for every metric of this benchmark.'
  }),
  metrics: z
    .record(z.string(), MetricOverrideInput)
    .optional()
    .meta({ description: 'Per-metric overrides, keyed by metric name.' }),
  targets: TargetsInput.optional(),
  build: text().optional().meta({
    description:
      "Shell command run once (in each tree of an A/B run) before any benchmark is measured, in the benchmark's folder; its time is reported, never gated."
  })
}

/** Adaptive sampling: look after `min` runs, then every `step`, stop once decided, never past `max`. */
const AdaptiveInput = z
  .strictObject({
    min: integer(2).meta({ description: 'Runs before the first look.' }),
    max: integer(2).meta({ description: 'The cap.' }),
    step: integer(1).meta({ description: 'Runs added between looks.' })
  })
  .meta({ description: 'Replaces repetitions for command benchmarks when a baseline exists.' })

const runs = {
  repetitions: integer(1).optional().meta({ description: 'Measured runs; default: top level.' }),
  warmup: integer(0).optional().meta({ description: 'Unmeasured runs first; default: top level.' })
}

/** What a command matrix axis may be called: it becomes an environment variable. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const CommandInput = z
  .strictObject({
    kind: z.literal('command'),
    ...common,
    ...runs,
    adaptive: AdaptiveInput.optional(),
    run: text().meta({ description: 'Shell command to run.' }),
    format: z
      .enum(COMMAND_FORMATS)
      .optional()
      .meta({ description: 'How to read the results; none (default) times `run` itself.' }),
    output: text()
      .optional()
      .meta({ description: 'File the command writes results to; else stdout is parsed.' }),
    cwd: text().optional().meta({ description: "Relative to the config file's folder." }),
    env: z
      .record(
        z.string(),
        z.union([z.string(), z.number(), z.boolean()], { error: unlessMissing('must be a string') })
      )
      .optional(),
    timeout: positiveNumber().optional().meta({ description: 'Seconds per run.' }),
    matrix: z
      .record(
        z.string().regex(ENV_NAME, {
          error: 'must be an environment variable name (letters, digits, _)'
        }),
        z
          .array(
            z.union([z.string(), z.number(), z.boolean()], {
              error: unlessMissing('must be a string, a number or true/false')
            })
          )
          .min(1)
      )
      .optional()
      .meta({
        description:
          'Axes by environment variable: every combination runs as a benchmark of its own, `name[VAR=value,...]`, with the values in its environment.'
      })
  })
  .superRefine((b, ctx) => {
    // With format none only the wall time is measured, so the file would silently go unread.
    if (b.output !== undefined && (b.format ?? 'none') === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['output'],
        message: 'is only read with a format other than none (e.g. format: auto)'
      })
    }
  })
export type CommandInput = z.infer<typeof CommandInput>

const thinkError = unlessMissing('must be true, false, low, medium or high')

const OllamaOptionsInput = z.strictObject({
  num_ctx: integer(1).optional(),
  num_gpu: integer().optional(),
  num_predict: integer().optional(),
  temperature: z.number().optional(),
  seed: integer().optional(),
  top_p: z.number().optional(),
  top_k: integer().optional(),
  repeat_penalty: z.number().optional(),
  think: z
    .union([z.boolean(), z.enum(['low', 'medium', 'high'], { error: thinkError })], {
      error: thinkError
    })
    .optional()
})

const keepAliveError = unlessMissing('must be a duration like 5m, or a number of seconds')

export const PROMPT_KEYS = ['prompt', 'prompt-file', 'prompts'] as const

const expectError = unlessMissing(
  'must be one of { contains: text }, { regex: pattern } or { json-schema: {...} }'
)

/** What a measured answer must satisfy to count towards `accuracy`. */
export const ExpectInput = z
  .union(
    [
      z.strictObject({ contains: text() }),
      z.strictObject({ regex: text() }),
      z.strictObject({ 'json-schema': z.record(z.string(), z.unknown()) })
    ],
    { error: expectError }
  )
  .meta({
    description:
      'Scores every measured answer into the accuracy metric: contains a text, matches a regex, or parses as JSON valid against a JSON Schema.'
  })
export type ExpectInput = z.infer<typeof ExpectInput>

const PromptEntry = z.union([
  text(),
  z.strictObject({
    text: text(),
    expect: ExpectInput.optional()
  })
])

const HostAxis = z.union([
  z.array(text()).min(1),
  z.record(z.string().regex(/\S/), text()).refine((r) => Object.keys(r).length > 0, {
    error: 'must name at least one host'
  })
])

const OllamaMatrixInput = z
  .strictObject({
    model: axis(text(), 'Model tags, e.g. one per quantization.'),
    concurrency: axis(integer(1), 'Requests in flight at once, one measured round each.'),
    num_ctx: axis(integer(1), 'Context sizes (options.num_ctx).'),
    depth: axis(integer(0), 'Tokens of filler context before the prompt.'),
    host: HostAxis.optional().meta({
      description:
        'Servers with different settings (OLLAMA_NUM_PARALLEL, OLLAMA_KV_CACHE_TYPE): a list of URLs, or a mapping of labels to URLs.'
    })
  })
  .meta({
    description:
      'Every combination of the axes is a benchmark of its own, `name[axis=value,...]`, run in a shuffled order.'
  })

const SloInput = z
  .strictObject({
    ttft_ms: positiveNumber().optional(),
    tpot_ms: positiveNumber().optional(),
    e2e_ms: positiveNumber().optional(),
    attainment: WarnPercent.optional().meta({
      description:
        'Share of requests that must meet every SLO for a concurrency to count as meeting it; default 95%.'
    })
  })
  .meta({
    description:
      'Service-level objectives per request (ms): goodput counts the requests that meet every one.'
  })

const OllamaInput = z
  .strictObject({
    kind: z.literal('ollama'),
    ...common,
    ...runs,
    host: text().optional().meta({ description: 'Default: OLLAMA_HOST, else the local server.' }),
    model: text()
      .optional()
      .meta({ description: 'Model tag, e.g. gemma3:1b; required unless matrix.model lists them.' }),
    api: z
      .enum(['generate', 'chat'])
      .optional()
      .meta({ description: 'Endpoint to stream from: /api/generate (default) or /api/chat.' }),
    timeout: positiveNumber()
      .optional()
      .meta({ description: 'Seconds per request, cold load included; default: top level.' }),
    'stall-timeout': positiveNumber().optional().meta({
      description: 'Seconds without a chunk before a started stream is aborted; default 60.'
    }),
    prompt: text().optional(),
    'prompt-file': text().optional().meta({ description: "Relative to the config file's folder." }),
    prompts: z.array(PromptEntry).min(1).optional().meta({
      description: 'Cycled through the runs; an entry may be { text, expect }.'
    }),
    expect: ExpectInput.optional(),
    concurrency: integer(1).optional().meta({
      description: 'Requests in flight at once; set, the load metrics are recorded.'
    }),
    depth: integer(0)
      .optional()
      .meta({ description: 'Tokens of filler context before the prompt; default 0.' }),
    slo: SloInput.optional(),
    matrix: OllamaMatrixInput.optional(),
    'keep-alive': z
      .union([z.string({ error: keepAliveError }).min(1), z.number({ error: keepAliveError })], {
        error: keepAliveError
      })
      .optional(),
    options: OllamaOptionsInput.optional().meta({
      description: 'Model options; fixed values keep runs comparable.'
    })
  })
  .superRefine((b, ctx) => {
    if (b.model === undefined && b.matrix?.model === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message: b.matrix ? 'is required (or list the models in matrix.model)' : 'is required'
      })
    }
    if (
      b.slo &&
      b.slo.ttft_ms === undefined &&
      b.slo.tpot_ms === undefined &&
      b.slo.e2e_ms === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['slo'],
        message: 'needs at least one of ttft_ms, tpot_ms, e2e_ms'
      })
    }
    const given = PROMPT_KEYS.filter((k) => b[k] !== undefined)
    if (given.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'needs one of prompt, prompt-file, prompts'
      })
    }
    for (const extra of given.slice(1)) {
      ctx.addIssue({
        code: 'custom',
        path: [extra],
        message: `cannot be combined with ${given[0]}: use exactly one of prompt, prompt-file, prompts`
      })
    }
  })
export type OllamaInput = z.infer<typeof OllamaInput>

const FileInput = z.strictObject({
  kind: z.literal('file'),
  ...common,
  path: text().meta({ description: "Glob of result files, relative to the config file's folder." }),
  format: z.enum(FILE_FORMATS).optional().meta({ description: 'Default auto.' })
})
export type FileInput = z.infer<typeof FileInput>

export const BenchmarkInput = z.discriminatedUnion('kind', [CommandInput, OllamaInput, FileInput])
export type BenchmarkInput = z.infer<typeof BenchmarkInput>

export const ConfigInput = z
  .strictObject({
    testbed: text().optional().meta({ description: 'Baselines are kept per testbed.' }),
    repetitions: integer(1).optional().meta({ default: CONFIG_DEFAULTS.repetitions }),
    warmup: integer(0).optional().meta({ default: CONFIG_DEFAULTS.warmup }),
    adaptive: AdaptiveInput.optional(),
    ab: z
      .boolean({ error: unlessMissing('must be true or false') })
      .optional()
      .meta({
        default: false,
        description:
          'Gate by measuring the base commit and this tree in the same job, interleaved (A/B), instead of against a stored baseline.'
      }),
    'ab-order': z.enum(AB_ORDERS).optional().meta({
      default: 'balanced',
      description:
        'Order of the A/B visits: balanced (half AB, half BA, shuffled with a printed seed) or abba (ABBA blocks).'
    }),
    build: text().optional().meta({
      description:
        "Shell command run once (in each tree of an A/B run) before any benchmark is measured, in the config file's folder; its time is reported, never gated."
    }),
    'min-samples': integer(2).optional().meta({
      default: CONFIG_DEFAULTS.minSamples,
      description: 'Fewer samples per arm give a neutral verdict.'
    }),
    timeout: positiveNumber().optional().meta({
      default: CONFIG_DEFAULTS.timeoutSeconds,
      description: 'Seconds per run of a command, or per Ollama request.'
    }),
    'runner-drift': percent(false).optional().meta({
      default: '5%',
      description:
        'How far a job centre moves from one job to the next on this runner (the prior of the stored-baseline rule); 0 compares with one stored baseline by the within-job rule.'
    }),
    'from-zero': z.enum(['fail', 'warn', 'neutral']).optional().meta({
      default: 'fail',
      description:
        'A metric at 0 in every baseline sample and above 0 in every current one (0 → 1 allocs/op) has no ratio: fail (default) gates it as past any budget, warn only warns, neutral leaves it uncompared.'
    }),
    metrics: z.record(z.string(), GlobalMetricInput).optional().meta({
      description:
        'Per-metric class, direction and gate for every benchmark, keyed by metric name (e.g. cpu_time: { gate: true }); budgets go under thresholds.metrics.'
    }),
    thresholds: z
      .strictObject({
        core: ThresholdsInput.optional().meta({ description: 'Default warn 5%, fail 5%.' }),
        'non-critical': ThresholdsInput.optional().meta({
          description: 'Default warn 5%, fail 10%.'
        }),
        metrics: z
          .record(z.string(), ThresholdsInput)
          .optional()
          .meta({ description: 'Per-metric budgets for every benchmark, keyed by metric name.' })
      })
      .optional(),
    'matrix-seed': integer(0).optional().meta({
      description:
        'Seed of the shuffled order matrix cells run in; default: a new one each run, printed and recorded with the results.'
    }),
    // Optional only when result files are imported (the action's results input, --results): the
    // loader requires it otherwise, since there would be nothing to run.
    benchmarks: z
      .array(BenchmarkInput)
      .min(1, { error: 'must list at least one benchmark' })
      .optional()
      .meta({
        description:
          'What to run or read. Required unless result files are imported with the action input results (CLI: --results).'
      }),
    comparisons: z
      .array(
        z.strictObject({
          name: text().meta({ description: 'Title of the side-by-side table.' }),
          a: text().meta({ description: 'Name of the first benchmark (e.g. the Q4 model).' }),
          b: text().meta({ description: 'Name of the benchmark compared with it (e.g. Q5).' })
        })
      )
      .optional()
      .meta({
        description:
          'Side-by-side comparisons inside one run, shown in the report with ratios and CIs.'
      })
  })
  .meta({ title: 'perf-gate.yml', description: 'Configuration of the perf-gate performance gate.' })
export type ConfigInput = z.infer<typeof ConfigInput>
