import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { Ollama } from 'ollama'
import {
  buildFacts,
  runAnalyst,
  type AnalystClient,
  type AnalystFacts
} from '../../src/analyst/index.js'
import { vocabularyOf, ungroundedNumbers } from '../../src/analyst/grounding.js'
import { ANSWER_SCHEMA } from '../../src/analyst/schema.js'
import { readInputs } from '../../src/action/inputs.js'
import { renderAnalyst, renderReportFile } from '../../src/report/report-file.js'
import { createOllamaFetch } from '../../src/runners/ollama-fetch.js'
import { startOllamaStandin, standinModel, type OllamaStandin } from '../helpers/ollama-standin.js'
import { goldenInput, goldenReport } from '../report/golden-fixture.js'
import { ANSWERS, type AnswerName } from './answers.js'

const MODEL = 'analyst:latest'
let standin: OllamaStandin
let facts: AnalystFacts

beforeAll(async () => {
  standin = await startOllamaStandin([standinModel({ name: MODEL })])
  const { report, current, baseline } = goldenReport()
  facts = buildFacts(report, current, baseline)
})
afterAll(async () => standin.close())

function client(host = standin.host): AnalystClient {
  return new Ollama({ host, fetch: createOllamaFetch() })
}

async function ask(name: AnswerName) {
  standin.models.get(MODEL)!.script = [ANSWERS[name]]
  return runAnalyst({ client: client(), model: MODEL, facts })
}

/** Every number in the rendered narrative, checked against the facts as the grounding does. */
function ungroundedInReport(markdown: string): string[] {
  const vocab = vocabularyOf(facts)
  return markdown.split('\n').flatMap((line) => ungroundedNumbers(line.replace(/\\/g, ''), vocab))
}

describe('analyst narrative against the Ollama stand-in', () => {
  it('sends the facts as JSON with the answer schema as format, streamed', async () => {
    await ask('grounded')
    const req = standin.requests.filter((r) => r.path === '/api/chat').at(-1)!
    expect(req.body?.format).toEqual(ANSWER_SCHEMA)
    expect(req.body?.stream).toBe(true)
    const messages = req.body?.messages as Array<{ role: string; content: string }>
    expect(JSON.parse(messages.at(-1)!.content)).toEqual(facts)
  })

  it('keeps a grounded answer whole and records the call like a benchmark', async () => {
    const { section, ungrounded } = await ask('grounded')
    expect(section.source).toBe('model')
    expect(section.dropped).toEqual({ number: 0, entity: 0, script: 0 })
    expect(section.summary).toContain('Prompt throughput of llama-q4 fell 23.9 %')
    expect(section.recommendations.map((r) => r.focus)).toEqual(['throughput', 'ttft', 'quality'])
    expect(section.risks).toHaveLength(2)
    expect(section.filled).toBe(0)
    expect(ungrounded).toEqual([])
    const m = section.metrics!
    expect(m.outputTokens).toBe(ANSWERS.grounded.match(/\s*\S+\s*/g)!.length)
    expect(m.ttftMs).toBeGreaterThan(0)
    expect(m.decodeTps).toBeCloseTo(1000 / 0.5, 0)
    expect(m.promptEvalMs).toBeCloseTo(1, 3)
    expect(renderAnalyst(section)).toMatch(/Analyst call: TTFT [\d.]+ ms, decode 2,000 tokens\/s/)
  })

  it('drops sentences with invented numbers and counts them', async () => {
    const { section, ungrounded } = await ask('inventedNumbers')
    expect(section.dropped.number).toBe(3)
    expect(ungrounded).toEqual(expect.arrayContaining(['92.3', '212']))
    const out = renderAnalyst(section)
    expect(out).not.toContain('92.3')
    expect(out).not.toContain('212')
    // The quality recommendation was all invention: the rule-derived one stands in.
    expect(section.recommendations.map((r) => r.focus)).toEqual(['throughput', 'ttft', 'quality'])
    expect(section.filled).toBe(1)
    expect(ungroundedInReport(out.replace(/^Analyst call:.*$/m, ''))).toEqual([])
  })

  it('drops a sentence citing the right magnitudes with the wrong signs', async () => {
    const { section, ungrounded } = await ask('wrongSigns')
    expect(section.dropped.number).toBe(1)
    expect(ungrounded).toEqual(['+23.9', '−17.1'])
    expect(renderAnalyst(section)).not.toContain('+23.9')
  })

  it('drops sentences naming a company or a person absent from the facts', async () => {
    const { section } = await ask('inventedEntities')
    expect(section.dropped.entity).toBe(4)
    const out = renderAnalyst(section)
    for (const name of ['Jane', 'Smith', 'Acme', 'Globex']) expect(out).not.toContain(name)
    expect(section.risks).toHaveLength(2)
  })

  it('drops sentences in another script than the rest', async () => {
    const { section } = await ask('mixedScripts')
    expect(section.dropped.script).toBe(2)
    const out = renderAnalyst(section)
    expect(out).not.toMatch(/[\p{Script=Han}\p{Script=Cyrillic}]/u)
    expect(section.summary).toContain('The gate failed with 4 regressions')
  })

  it('replaces a 3-token answer by the deterministic summary, and says so', async () => {
    const { section } = await ask('threeTokens')
    expect(section.source).toBe('deterministic')
    expect(section.note).toMatch(/only 3 tokens, too short/)
    expect(section.metrics?.outputTokens).toBe(3)
    expect(section.summary).toMatch(/^Verdict fail: 4 regressions/)
  })

  it('replaces an empty answer by the deterministic summary, and says so', async () => {
    const { section } = await ask('empty')
    expect(section.source).toBe('deterministic')
    expect(section.note).toMatch(/empty answer/)
    expect(section.recommendations).toHaveLength(3)
    expect(section.risks.length).toBeGreaterThanOrEqual(2)
  })

  it('writes the deterministic summary when Ollama is unreachable', async () => {
    const closed = await startOllamaStandin([])
    const host = closed.host
    await closed.close()
    const { section } = await runAnalyst({ client: client(host), model: MODEL, facts })
    expect(section.source).toBe('deterministic')
    expect(section.note).toMatch(/could not be reached/)
    expect(section.metrics).toBeUndefined()
  })

  it('lets no ungrounded number reach the report, whatever the answer', async () => {
    for (const name of Object.keys(ANSWERS) as AnswerName[]) {
      const { section } = await ask(name)
      const report = renderReportFile({ ...goldenInput(), analyst: section })
      const narrative = report.slice(
        report.indexOf('## Analyst Narrative'),
        report.indexOf('## Performance Metrics')
      )
      // The call's own metrics are measurements of this run, not claims of the model.
      const claims = narrative.replace(/^Analyst call:.*$/m, '')
      expect({ name, numbers: ungroundedInReport(claims) }).toEqual({ name, numbers: [] })
    }
  })
})

describe('analyst-model input', () => {
  const from = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

  it('is read from the action inputs and declared in action.yml', () => {
    expect(readInputs(from({ 'analyst-model': ' llama3.2 ' })).analystModel).toBe('llama3.2')
    expect(readInputs(from({})).analystModel).toBeUndefined()
    expect(readFileSync('action.yml', 'utf8')).toMatch(/^ {2}analyst-model:\n {4}description:/m)
  })
})
