import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { Benchmark } from '../../results/model.js'
import { importedBenchmark } from '../read/benchmarks.js'
import { failAt, textNumber } from '../read/checks.js'
import type { ImportContext, Importer, ImportInput, Line } from '../read/types.js'
import { nsPer } from '../read/units.js'

/**
 * Catch2's benchmark results, v2 and v3, from two of its reporters:
 *
 * - the console reporter (the default). Each benchmark is three lines:
 *
 *       Fibonacci 20        100     2     8.3712 ms     <- name, samples, iterations, estimate
 *                     41.731 us  41.25 us  42.622 us    <- mean, low mean, high mean
 *                      3.256 us  2.163 us   5.353 us    <- std dev, low, high
 *
 *   Catch2 picks a readable unit per value; times are converted to ns so a benchmark stays
 *   comparable when its unit changes.
 * - the XML reporter (`-r xml`): `<BenchmarkResults name=…>` with `<mean value=…>` in ns.
 *
 * Neither writes Catch2's own samples, only their mean: each run of the test binary is one sample.
 * Runs repeated into one file (`for i in $(seq 10); do ./bench; done > out.txt`, XML documents
 * one after the other) or over several files of a glob are the repeated samples the gate needs,
 * as Go's `-count` repeats are. Within one run a name must be unique. The JUnit reporter writes no
 * benchmark results at all (v2 and v3), so a Catch2 JUnit file is refused with what to use instead.
 */
const HEADER = /^benchmark name\s+samples\s+iterations\s+(?:estimated|est run time)\s*$/
const FIRST = /^(\S.*?)\s+(\d+)\s+(\d+)\s+(\S+) (\S+)\s*$/
const TRIPLE = /^\s+(\S+) (\S+)\s+(\S+) (\S+)\s+(\S+) (\S+)\s*$/
/** The banner each run of a Catch2 test binary prints first. */
const BANNER = /is a Catch2? v\d+\.\d+\.\d+ host application\.\s*$/
/** The roots of Catch2's XML reporter: `<Catch …>` (v2) and `<Catch2TestRun …>` (v3). */
const XML_ROOT = /<(?:Catch|Catch2TestRun)\s[^>]*>/
/** Catch2's JUnit reporter writes `hostname="tbd"` on its testsuite. */
const JUNIT = /<testsuites>\s*<testsuite\s[^>]*hostname="tbd"/

export const catch2: Importer = {
  name: 'catch2',
  description:
    'Catch2 v2/v3 console or XML (-r xml) benchmark output (mean in ns; repeated runs are samples)',
  repeatsAcrossFiles: true,
  detect: (input) => HEADER_M.test(input.head) || isXml(input.head) || JUNIT.test(input.head),
  parse(input, ctx): Benchmark[] {
    if (isXml(input.head)) return fromXml(input, ctx)
    if (JUNIT.test(input.head))
      failAt(
        input.file,
        1,
        "Catch2's JUnit reporter writes no benchmark results: run the benchmarks with the console reporter (the default) or -r xml, and import that"
      )
    return fromConsole(input, ctx)
  }
}

const HEADER_M = new RegExp(HEADER.source, 'm')

function isXml(head: string): boolean {
  return /^\s*(?:<\?xml[^>]*\?>\s*)?<(?:Catch|Catch2TestRun)\s/.test(head) && XML_ROOT.test(head)
}

/** Means per benchmark, in the order first seen, each name unique within one run. */
class Runs {
  private readonly means = new Map<string, { samples: number[]; run: number; line: number }>()
  run = 0

  add(file: string, name: string, line: number, mean: number): void {
    const seen = this.means.get(name)
    if (seen === undefined) {
      this.means.set(name, { samples: [mean], run: this.run, line })
      return
    }
    if (seen.run === this.run)
      failAt(
        file,
        line,
        `duplicates the benchmark name ${JSON.stringify(name)} first used at line ${seen.line} of the same run`
      )
    seen.samples.push(mean)
    seen.run = this.run
    seen.line = line
  }

  benchmarks(file: string, ctx: ImportContext, empty: string): Benchmark[] {
    if (this.means.size === 0) failAt(file, 1, empty)
    return [...this.means].map(([name, { samples }]) =>
      importedBenchmark('catch2', file, name, [
        { name: 'time', unit: 'ns', direction: 'lower', class: ctx.class, samples }
      ])
    )
  }
}

function fromConsole(input: ImportInput, ctx: ImportContext): Benchmark[] {
  const runs = new Runs()
  const it = input.lines()[Symbol.iterator]()
  let seenHeader = false
  for (let r = it.next(); !r.done; r = it.next()) {
    const { text, line } = r.value
    if (BANNER.test(text)) {
      runs.run++
      seenHeader = false
    }
    if (HEADER.test(text)) seenHeader = true
    // Rows start at column 0; section titles and source locations do not end in a time.
    const m = seenHeader ? FIRST.exec(text) : null
    if (!m || nsPer(m[5] ?? '') === undefined) continue
    const name = m[1] ?? ''
    const meanLine = next(it, input.file, line, name)
    const t = TRIPLE.exec(meanLine.text)
    if (!t)
      failAt(input.file, meanLine.line, `${name}: expected 'mean  low mean  high mean' values`)
    runs.add(input.file, name, line, toNs(t[1] ?? '', t[2] ?? '', input.file, meanLine.line, name))
  }
  return runs.benchmarks(input.file, ctx, 'no Catch2 benchmark results found')
}

function next(it: Iterator<Line>, file: string, line: number, name: string): Line {
  const r = it.next()
  if (r.done) failAt(file, line, `${name}: the output ends before its mean (truncated?)`)
  return r.value
}

function toNs(raw: string, unit: string, file: string, line: number, name: string): number {
  const scale = nsPer(unit)
  if (scale === undefined) failAt(file, line, `${name}: unknown time unit '${unit}'`)
  return textNumber(raw, file, line, name) * scale
}

/** A node as fast-xml-parser gives it with preserveOrder: `{ tag: children, ':@': attributes }`. */
type XmlNode = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  // Document order, so the nth <BenchmarkResults> found is the nth in the text (for its line).
  preserveOrder: true
})

/**
 * Each XML document of the file (one per run: runs appended to one file are documents one after
 * the other) is validated, then read for every `<BenchmarkResults>` in it, at any depth (sections
 * nest them).
 */
function fromXml(input: ImportInput, ctx: ImportContext): Benchmark[] {
  const text = input.text()
  const runs = new Runs()
  for (const doc of documents(text)) {
    runs.run++
    const valid = XMLValidator.validate(doc.text)
    if (valid !== true)
      failAt(
        input.file,
        doc.line + valid.err.line - 1,
        `not valid XML: ${valid.err.msg} (is the file truncated?)`
      )
    const lines = benchmarkLines(doc.text, doc.line)
    let k = 0
    walk(parser.parse(doc.text) as unknown, (children, attrs) => {
      const line = lines[k++] ?? doc.line
      const name = typeof attrs.name === 'string' ? attrs.name : ''
      if (name.trim() === '') failAt(input.file, line, '<BenchmarkResults> has no name')
      const mean = child(children, 'mean')
      if (typeof mean?.value !== 'string') {
        const failed = child(children, 'failed')
        failAt(
          input.file,
          line,
          failed
            ? `${name}: the benchmark failed: ${typeof failed.message === 'string' ? failed.message : 'no message'}`
            : `${name}: no <mean value="…"> (Catch2 writes the mean in ns)`
        )
      }
      runs.add(input.file, name, line, textNumber(mean.value, input.file, line, name, 'ns'))
    })
  }
  return runs.benchmarks(input.file, ctx, 'no <BenchmarkResults> found in the Catch2 XML')
}

/** The XML documents of the text, each with the line it starts at. */
function documents(text: string): Array<{ text: string; line: number }> {
  const starts: number[] = []
  const re = /<\?xml\b/g
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index)
  if (starts.length === 0 || text.slice(0, starts[0]).trim() !== '') starts.unshift(0)
  return starts.map((start, i) => ({
    text: text.slice(start, starts[i + 1] ?? text.length),
    line: lineAt(text, start, 0, 1)
  }))
}

/** The 1-based line of `offset`, counting from `from`, which is on line `line`. */
function lineAt(text: string, offset: number, from: number, line: number): number {
  let n = line
  for (let i = text.indexOf('\n', from); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++
  return n
}

/** The line of each `<BenchmarkResults` of a document, in document order. */
function benchmarkLines(doc: string, firstLine: number): number[] {
  const out: number[] = []
  const re = /<BenchmarkResults\b/g
  let line = firstLine
  let from = 0
  for (let m = re.exec(doc); m; m = re.exec(doc)) {
    line = lineAt(doc, m.index, from, line)
    from = m.index
    out.push(line)
  }
  return out
}

/** Every `<BenchmarkResults>` under `nodes`, in document order, with its children and attributes. */
function walk(nodes: unknown, visit: (children: unknown[], attrs: XmlNode) => void): void {
  if (!Array.isArray(nodes)) return
  for (const node of nodes as XmlNode[]) {
    for (const [tag, children] of Object.entries(node)) {
      if (tag === ':@') continue
      if (tag === 'BenchmarkResults') visit(asArray(children), attributes(node))
      else walk(children, visit)
    }
  }
}

/** The attributes of the first child element `tag`, or undefined. */
function child(children: unknown[], tag: string): XmlNode | undefined {
  const node = (children as XmlNode[]).find((c) => Object.hasOwn(c, tag))
  return node ? attributes(node) : undefined
}

function attributes(node: XmlNode): XmlNode {
  const a = node[':@']
  return a !== null && typeof a === 'object' ? (a as XmlNode) : {}
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}
