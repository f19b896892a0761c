import { describe, expect, it } from '@jest/globals'
import {
  checkText,
  dominantScript,
  splitSentences,
  ungroundedNumbers,
  unknownEntities,
  vocabularyOf
} from '../../src/analyst/grounding.js'

const facts = {
  metrics: [
    { benchmark: 'llama-q4', metric: 'decode_tps', current: 41.234, changePct: -8.9, factor: 0.91 },
    {
      benchmark: 'tokenize',
      metric: 'wall_time',
      current: 1187,
      changePct: 12.04,
      plain: '1.12× slower'
    }
  ],
  environment: {
    'gpu.names': 'NVIDIA GeForce RTX 5090, NVIDIA GeForce RTX 5090',
    model: 'llama3.2:3b'
  },
  balance: 0.935
}
const vocab = vocabularyOf(facts)

describe('ungroundedNumbers', () => {
  it.each([
    ['decode is 41.2 tokens/s', []],
    ['decode is 41 tokens/s', []],
    ['decode is 41.23 tokens/s', []],
    ['a drop of 8.9 %', []],
    ['a drop of -8.9%', []],
    ['1.12× slower', []],
    ['balance of 93.5 %', []],
    ['about 1,200 ms', []],
    ['1,187 ms', []],
    ['12 % slower', []],
    ['41.3 tokens/s', ['41.3']],
    ['accuracy 92.3 %', ['92.3']],
    ['about 1,300 ms', ['1,300']],
    ['32GB of VRAM', ['32']],
    // A sign, when given, must be the fact's: decode fell 8.9 %, wall time rose 12.04 %.
    ['decode changed by −8.9 %', []],
    ['decode changed by +8.9 %', ['+8.9']],
    ['wall time +12 %', []],
    ['wall time (-12 %)', ['-12']],
    ['the balance moved -93.5 %', ['-93.5']],
    // A hyphen between numbers is no sign.
    ['between 41-91 tokens/s', []]
  ])('%s', (text, expected) => {
    expect(ungroundedNumbers(text, vocab)).toEqual(expected)
  })

  it('ignores digits inside names of the facts and inside identifiers', () => {
    expect(
      ungroundedNumbers('llama-q4 on an NVIDIA GeForce RTX 5090 runs llama3.2:3b', vocab)
    ).toEqual([])
    expect(ungroundedNumbers('gpu0 and Q4_K_M', vocab)).toEqual([])
  })
})

describe('unknownEntities', () => {
  it('flags capitalised names that are not in the facts', () => {
    expect(unknownEntities('According to Jane Smith, decode fell.', vocab)).toEqual([
      'Jane',
      'Smith'
    ])
    expect(unknownEntities('Acme Corporation expects it.', vocab)).toEqual(['Acme', 'Corporation'])
    expect(unknownEntities('It was built by DeepMind.', vocab)).toEqual(['DeepMind'])
  })

  it('accepts sentence starts, report words and names from the facts', () => {
    expect(
      unknownEntities('Decode on the NVIDIA GeForce RTX 5090 fell; TTFT rose.', vocab)
    ).toEqual([])
    expect(
      unknownEntities('Throughput fell: Raise repetitions, accept on Route B.', vocab)
    ).toEqual([])
  })
})

describe('scripts and sentences', () => {
  it('finds the dominant script and drops sentences in another', () => {
    const text = 'Decode fell 8.9 %. Это регрессия. 这是回归。 Keep watching.'
    expect(dominantScript(text, vocab)).toBe('latin')
    const c = checkText(text, vocab, 'latin')
    expect(c.text).toBe('Decode fell 8.9 %. Keep watching.')
    expect(c.dropped).toEqual({ number: 0, entity: 0, script: 2 })
  })

  it('keeps abbreviations and decimals inside a sentence', () => {
    expect(splitSentences('It is 1.12× slower, e.g. on decode. Next one.')).toEqual([
      'It is 1.12× slower, e.g. on decode.',
      'Next one.'
    ])
  })

  it('counts each dropped sentence once, under its first reason', () => {
    const c = checkText('Jane Smith saw 92.3 % accuracy. Decode fell 8.9 %.', vocab, 'latin')
    expect(c.kept).toBe(1)
    expect(c.dropped).toEqual({ number: 1, entity: 0, script: 0 })
    expect(c.ungrounded).toEqual(['92.3'])
  })
})
