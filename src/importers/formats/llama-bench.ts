import type { Benchmark } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { failAt, textNumber } from '../read/checks.js'
import { splitCsvLine } from '../read/csv.js'
import type { JsonPath } from '../read/json.js'
import { CountThenFill, KnownRecords, type Target } from '../read/known-records.js'
import { isJsonLines, jsonLineRecords, jsonRecords, type JsonRecord } from '../read/records.js'
import { isBlank } from '../read/bytes.js'
import { SampleList, type SampleSink } from '../read/samples.js'
import type { Importer, ImportContext, ImportInput } from '../read/types.js'

/**
 * llama.cpp's llama-bench, `-o json`, `jsonl`, `csv` or `md`. Rows carry no test name: it is
 * derived as llama-bench prints it, `pp512`, `tg128`, `pp512+tg128`, with ` @ d4096` for a
 * pre-filled context. The metric is tokens/s (higher is better), every repetition
 * (`samples_ts`) a sample; CSV and markdown hold only the mean. When one run sweeps parameters
 * (`-ngl 0,99`, `-t 4,8`, two models), the parameters that differ between rows are added to the
 * names, so each configuration is its own benchmark; build, hardware and timing fields never are.
 */
const MEASURED = new Set([
  'avg_ns',
  'stddev_ns',
  'avg_ts',
  'stddev_ts',
  'samples_ns',
  'samples_ts',
  'test_time',
  'n_prompt',
  'n_gen',
  'n_depth',
  'test',
  't/s',
  'build_commit',
  'build_number',
  'cpu_info',
  'gpu_info',
  'model_size',
  'model_n_params',
  'size',
  'params'
])

/** Rows of the same test and parameters: appended runs are more repetitions of one benchmark. */
interface Group {
  test: string
  config: Map<string, string>
  samples: SampleSink
  note?: string
}

class Groups {
  readonly byKey = new Map<string, Group>()

  constructor(private readonly makeList: () => SampleSink) {}

  /** Returns the list the samples went to. */
  add(
    test: string,
    entries: Array<[string, unknown]>,
    samples: number[],
    note?: string
  ): SampleSink {
    const config = new Map<string, string>()
    for (const [k, v] of entries)
      if (!MEASURED.has(k) && (v === null || typeof v !== 'object')) config.set(k, String(v))
    const key = `${test}\u0000${JSON.stringify([...config])}`
    let g = this.byKey.get(key)
    if (!g)
      this.byKey.set(
        key,
        (g = { test, config, samples: this.makeList(), ...(note ? { note } : {}) })
      )
    for (const x of samples) g.samples.push(x)
    return g.samples
  }
}

export const llamaBench: Importer = {
  name: 'llama-bench',
  description:
    'llama.cpp llama-bench -o json/jsonl/csv/md (tokens/s per repetition; pp512, tg128 …)',
  detect(input) {
    const h = input.head
    if (/"avg_ts"/.test(h) && /"n_gen"/.test(h)) return true
    if (/^"?build_commit"?,.*"?avg_ts"?/m.test(h)) return true
    return /^\|\s*model\s*\|.*\|\s*test\s*\|\s*t\/s\s*\|/m.test(h)
  },
  parse(input, ctx): Benchmark[] {
    const t = input.head.trimStart()
    let rows: Groups
    if (t.startsWith('{') || t.startsWith('[')) rows = jsonRows(input)
    else {
      rows = new Groups(() => new SampleList())
      if (t.startsWith('|')) markdownRows(input, rows)
      else csvRows(input, rows)
    }
    if (rows.byKey.size === 0) failAt(input.file, 1, 'no llama-bench rows found')
    return toBenchmarks([...rows.byKey.values()], input.file, ctx)
  }
}

function testName(nPrompt: number, nGen: number, nDepth: number): string {
  const base =
    nPrompt > 0 && nGen === 0
      ? `pp${nPrompt}`
      : nGen > 0 && nPrompt === 0
        ? `tg${nGen}`
        : `pp${nPrompt}+tg${nGen}`
  return nDepth > 0 ? `${base} @ d${nDepth}` : base
}

/** What changes from run to run of one configuration: never part of its name. */
const PER_RUN = ['avg_ns', 'stddev_ns', 'stddev_ts', 'test_time', 'samples_ns']
/** What a repeated configuration's samples are read from (see `jsonRow`). */
const [SAMPLES_TS, AVG_TS] = [0, 1]

function jsonRows(input: ImportInput): Groups {
  if (!input.byteReader || !isJsonLines(input)) {
    const rows = new Groups(() => new SampleList())
    for (const rec of jsonRecords(input)) jsonRow(rec, rows)
    return rows
  }
  // JSON Lines are read twice, counting the samples and then storing them (CountThenFill).
  const twice = new CountThenFill()
  const rows = new Groups(twice.newList)
  const known = new KnownRecords(PER_RUN, ['samples_ts', 'avg_ts'])
  twice.run(input, known, () => jsonLinesPass(input, rows, known))
  return rows
}

/**
 * Appended runs repeat a few configurations: a repeat is read from its bytes
 * (read/known-records.ts).
 */
function jsonLinesPass(input: ImportInput, rows: Groups, known: KnownRecords): void {
  const lines = input.byteReader?.()
  if (!lines) return
  try {
    while (lines.next()) {
      const { bytes, start, end, line } = lines
      if (isBlank(bytes, start, end) || known.add(bytes, start, end)) continue
      const text = bytes.toString('utf8', start, end)
      if (text.trim() === '') continue
      for (const rec of jsonLineRecords(input.file, text, line)) {
        const samples = jsonRow(rec, rows)
        known.learn(repeat(samples))
      }
    }
  } finally {
    lines.close()
  }
}

/** A repeat of a configuration, read as `jsonRow` reads it: every samples_ts, else avg_ts. */
function repeat(samples: SampleSink): Target {
  return (r) => {
    const from = r.has(SAMPLES_TS) ? SAMPLES_TS : AVG_TS
    samples.pushAll(r.numbers, r.start(from), r.count(from))
  }
}

function jsonRow(rec: JsonRecord, rows: Groups): SampleSink {
  const { reader: r, path } = rec
  const o = r.object(rec.value, path)
  const at = (k: string): JsonPath => [...path, k]
  const nDepth = o.n_depth === undefined ? 0 : r.nonNegative(o.n_depth, at('n_depth'))
  const test = testName(
    r.nonNegative(o.n_prompt, at('n_prompt')),
    r.nonNegative(o.n_gen, at('n_gen')),
    nDepth
  )
  const samples =
    o.samples_ts !== undefined
      ? r.samples(o.samples_ts, at('samples_ts'), (x, p) => r.nonNegative(x, p))
      : [r.nonNegative(o.avg_ts, at('avg_ts'))]
  const note = o.samples_ts === undefined ? 'no samples_ts: the mean is the only sample' : undefined
  return rows.add(test, Object.entries(o), samples, note)
}

function csvRows(input: ImportInput, rows: Groups): void {
  let header: string[] | undefined
  for (const { text, line } of input.lines()) {
    if (text.trim() === '') continue
    const cells = splitCsvLine(text)
    if (!cells) failAt(input.file, line, 'unterminated quote in a CSV row')
    if (!header) {
      header = cells
      for (const k of ['n_prompt', 'n_gen', 'avg_ts'])
        if (!header.includes(k)) failAt(input.file, line, `the CSV header has no '${k}' column`)
      continue
    }
    if (cells.length !== header.length)
      failAt(
        input.file,
        line,
        `has ${cells.length} fields, the header has ${header.length} (truncated?)`
      )
    const cols = header
    const get = (k: string): string => cells[cols.indexOf(k)] ?? ''
    const num = (k: string): number => textNumber(get(k), input.file, line, k)
    const nDepth = header.includes('n_depth') ? num('n_depth') : 0
    rows.add(
      testName(num('n_prompt'), num('n_gen'), nDepth),
      header.map((k, i) => [k, cells[i]]),
      [num('avg_ts')],
      'CSV holds only the mean of the repetitions; -o json or jsonl keeps every one'
    )
  }
}

function markdownRows(input: ImportInput, rows: Groups): void {
  let header: string[] | undefined
  for (const { text, line } of input.lines()) {
    if (!text.startsWith('|')) continue
    const cells = text
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim())
    if (!header) {
      header = cells
      if (!header.includes('test') || !header.includes('t/s'))
        failAt(input.file, line, "the table has no 'test' and 't/s' columns")
      continue
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue
    const cols = header
    const get = (k: string): string => cells[cols.indexOf(k)] ?? ''
    // "2368.80 ± 93.24": the mean and standard deviation of the repetitions.
    const mean = get('t/s').split('±')[0]?.trim() ?? ''
    rows.add(
      // Older builds print "pp 512".
      get('test').replace(/^(pp|tg) (\d)/, '$1$2'),
      header.map((k, i) => [k, cells[i]]),
      [textNumber(mean, input.file, line, 't/s')],
      'markdown holds only the mean of the repetitions; -o json or jsonl keeps every one'
    )
  }
}

function toBenchmarks(groups: Group[], file: string, ctx: ImportContext): Benchmark[] {
  // Parameters that differ between configurations name them apart.
  const varying = new Set<string>()
  for (const g of groups)
    for (const [k, v] of g.config) if (groups.some((o) => o.config.get(k) !== v)) varying.add(k)
  return groups.map((g) => {
    const params = [...varying].map((k) => `${k}=${g.config.get(k) ?? ''}`)
    return importedBenchmark(
      'llama-bench',
      file,
      params.length ? `${g.test} [${params.join(', ')}]` : g.test,
      [
        {
          name: 'tokens/s',
          unit: 'tokens/s',
          direction: 'higher',
          class: ctx.class,
          samples: g.samples.toArray()
        }
      ],
      g.note ? [g.note] : undefined
    )
  })
}
