/*
 * Scripted analyst answers for the Ollama stand-in and the bench: one grounded in the golden
 * fixture's facts, and the known failure modes of LLM-written benchmark reports.
 */

const recommendations = [
  {
    focus: 'throughput',
    text: 'Decode speed of llama-q4 is 1.12× slower, down 10.1 %; find the cause before merging.'
  },
  {
    focus: 'ttft',
    text: 'TTFT of llama-q4 rose 17.1 % and the change is carried by prompt eval, which is 32.1 % slower per token.'
  },
  {
    focus: 'quality',
    text: 'The tokenize benchmark has one disturbed run at 2.5× the median; rerun it on a quiet runner.'
  }
]
const risks = [
  {
    risk: 'The prompt_tps regression of 23.9 % ships with the merge.',
    mitigation: 'Fix it, or accept it on Route B with a written reason.'
  },
  {
    risk: 'A cold start inflates TTFT of one run.',
    mitigation: 'Keep warmup at 1 so the cold run is never gated.'
  }
]

function answer(
  summary: string,
  extra: Partial<{ recommendations: unknown; risks: unknown }> = {}
): string {
  return JSON.stringify({ summary, recommendations, risks, ...extra })
}

const GROUNDED_SUMMARY =
  'The gate failed with 4 regressions over 9 compared metrics. Prompt throughput of llama-q4 fell 23.9 % and TTFT rose 17.1 %. Decode is 1.12× slower, while llama-q5 is about the same as its baseline.'

export const ANSWERS = {
  grounded: answer(GROUNDED_SUMMARY),
  inventedNumbers: answer(
    `${GROUNDED_SUMMARY} The model reached an accuracy of 92.3 % on the evaluation set. Power use fell to 212 W per GPU.`,
    {
      recommendations: [
        ...recommendations.slice(0, 2),
        { focus: 'quality', text: 'Quality held at 92.3 % accuracy, so no action is needed.' }
      ]
    }
  ),
  inventedEntities: answer(
    `${GROUNDED_SUMMARY} According to Jane Smith of Acme Corporation, this regression is expected. Experts at Globex recommend rolling back.`,
    {
      risks: [
        ...risks,
        {
          risk: 'Acme Corporation may ship a faster kernel.',
          mitigation: 'Ask Jane Smith for a patch.'
        }
      ]
    }
  ),
  mixedScripts: answer(
    `${GROUNDED_SUMMARY} 这是一个严重的回归。 Пропускная способность снизилась.`
  ),
  // The right magnitudes with the wrong signs: prompt throughput fell, TTFT rose.
  wrongSigns: answer(
    `${GROUNDED_SUMMARY} In short, prompt throughput moved +23.9 % and TTFT −17.1 %.`
  ),
  threeTokens: 'Looks good overall',
  empty: ''
} as const

export type AnswerName = keyof typeof ANSWERS
