import type { DropReason } from '../types/report.js'

/*
 * Grounding: a sentence of the model's answer survives only if every number in it is one of the
 * facts (within the rounding the sentence shows, also as a percentage), it names no capitalised
 * entity the facts do not contain, and it is written in the answer's own script. Whatever fails
 * is dropped and counted, never repaired: a repaired number would still be the model's guess.
 */

export interface Vocabulary {
  /** Every number of the facts, and its percentage form when it is a fraction; sorted. */
  numbers: number[]
  /** The same with their signs, for numbers a sentence cites with one ("+12 %"); sorted. */
  signed: number[]
  /** Lower-cased words of every string in the facts. */
  words: Set<string>
  /** Strings of the facts (names, models, GPUs), matched whole and removed before checking. */
  phrases: RegExp | null
}

/** Words a report on benchmark numbers uses without them being entities of the facts. */
const ALLOWED = new Set(
  (
    'a an the this that these those it its i we you they he she our your their in on at of for to from by with ' +
    'and or but if when while as so not no yes all both each every any some more most less least ' +
    'gpu gpus vram cpu cuda ttft ci cv llm kv api pr prs json mib gib gb mb kb ms tok tokens decode prompt ' +
    'throughput latency load eval quality risk mitigation route overall however therefore also consider ' +
    'raise lower keep increase reduce check run runs rerun investigate monitor pin set use add fix accept ' +
    'exclude warm-up warmup median mean baseline current verdict pass warn fail neutral regression ' +
    'regressions improvement improvements metric metrics benchmark benchmarks summary recommendation ' +
    'ollama nvidia p50 p90 p95 p99 q4 q5 q8 fp16 bf16 ok note notes cold start'
  ).split(/\s+/)
)

const ABBREVIATIONS =
  /(?:^|\s)(?:e\.g|i\.e|vs|etc|approx|dr|mr|mrs|ms|prof|inc|ltd|corp|co|no|fig)\.$/i

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * A number, and its sign when one stands right before it: "+12 %", "−8.9", "(-3)", but not the
 * hyphen of "5-10" or "llama-3".
 */
const NUMBER =
  /(?:(?<![\p{L}\p{N}_.)\]])([+\-\u2212]))?(?<![\p{L}\p{N}_.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?/gu

/** The value of a NUMBER match, signed when it shows a sign. */
function valueOf(m: RegExpMatchArray): number {
  const value = Number(`${m[2]?.replace(/,/g, '')}.${m[3] ?? '0'}`)
  return m[1] === '-' || m[1] === '\u2212' ? -value : value
}
const WORD = /[\p{L}\p{M}][\p{L}\p{M}\p{N}'’-]*/gu

export function vocabularyOf(facts: unknown): Vocabulary {
  const signed: number[] = []
  const words = new Set<string>()
  const phrases = new Set<string>()
  const addNumber = (n: number): void => {
    if (!Number.isFinite(n)) return
    signed.push(n)
    // A fraction (0.93) may be cited as a percentage (93 %).
    if (Math.abs(n) <= 1) signed.push(n * 100)
  }
  const visit = (v: unknown): void => {
    if (typeof v === 'number') addNumber(v)
    else if (typeof v === 'string') {
      for (const m of v.matchAll(NUMBER)) addNumber(valueOf(m))
      for (const w of v.match(WORD) ?? []) words.add(w.toLowerCase())
      for (const part of v.split(/\s*[,|]\s*/)) {
        const t = part.trim()
        if (t.length >= 3 && /\p{L}/u.test(t)) phrases.add(t)
      }
    } else if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') Object.values(v).forEach(visit)
  }
  visit(facts)
  signed.sort((a, b) => a - b)
  const numbers = signed.map(Math.abs).sort((a, b) => a - b)
  const list = [...phrases].sort((a, b) => b.length - a.length).map(escapeRegExp)
  return {
    numbers,
    signed,
    words,
    phrases: list.length
      ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${list.join('|')})(?![\\p{L}\\p{N}_])`, 'giu')
      : null
  }
}

function stripPhrases(text: string, vocab: Vocabulary): string {
  return vocab.phrases ? text.replace(vocab.phrases, ' ') : text
}

/** Sentences of a text; keeps "e.g." and decimals inside one sentence. */
export function splitSentences(text: string): string[] {
  const pieces = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[。！？])|(?<=[.!?])\s+/u)
    .filter((p) => p.trim() !== '')
  const out: string[] = []
  for (const p of pieces) {
    const last = out.at(-1)
    if (last !== undefined && ABBREVIATIONS.test(last)) out[out.length - 1] = `${last} ${p.trim()}`
    else out.push(p.trim())
  }
  return out
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] ?? 0) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Is `value`, cited with this precision, one of `sorted` once rounded the same way? */
function grounded(value: number, tolerance: number, sorted: number[]): boolean {
  const at = lowerBound(sorted, value - tolerance)
  const n = sorted[at]
  return n !== undefined && n <= value + tolerance
}

/**
 * Numbers of a sentence that no fact accounts for. A number cited with a sign must match a fact
 * of that sign ("+12 %" is not grounded by a change of −12 %); one without may match either.
 */
export function ungroundedNumbers(sentence: string, vocab: Vocabulary): string[] {
  const out: string[] = []
  for (const m of stripPhrases(sentence, vocab).matchAll(NUMBER)) {
    const intPart = (m[2] ?? '').replace(/,/g, '')
    const frac = m[3]
    const value = valueOf(m)
    let step: number
    if (frac) step = 10 ** -frac.length
    else {
      // "about 1,200" rounds to the hundreds, while keeping two significant digits.
      const zeros = /0*$/.exec(intPart)?.[0].length ?? 0
      step = Math.abs(value) >= 100 ? 10 ** Math.min(zeros, Math.max(0, intPart.length - 2)) : 1
    }
    const sorted = m[1] ? vocab.signed : vocab.numbers
    if (!grounded(m[1] ? value : Math.abs(value), step / 2 + 1e-9, sorted)) out.push(m[0])
  }
  return out
}

/** Capitalised words that are neither in the facts nor ordinary report vocabulary. */
export function unknownEntities(sentence: string, vocab: Vocabulary): string[] {
  const text = stripPhrases(sentence, vocab)
  const found: string[] = []
  const words = [...text.matchAll(WORD)]
  const known = (w: string): boolean => {
    const lower = w.toLowerCase().replace(/['’]s$/, '')
    return (
      vocab.words.has(lower) ||
      ALLOWED.has(lower) ||
      !/^\p{Lu}/u.test(w) ||
      Array.from(w).length === 1
    )
  }
  words.forEach((m, i) => {
    const w = m[0]
    if (known(w)) return
    const before = text.slice(0, m.index).trimEnd()
    const initial = before === '' || /[:;(“"—–-]$/.test(before)
    if (!initial) {
      found.push(w)
      return
    }
    // A sentence starts with a capital anyway: only a run of capitals (a full name) or an
    // inner capital ("DeepMind") marks the first word as an entity.
    const next = words[i + 1]?.[0]
    const adjacent =
      next !== undefined && text.slice(m.index + w.length, words[i + 1]?.index).trim() === ''
    if (
      (adjacent && next !== undefined && !known(next)) ||
      /\p{Ll}\p{Lu}/u.test(w) ||
      /['’]s$/.test(w)
    )
      found.push(w)
  })
  return found
}

const SCRIPTS: Array<[string, RegExp]> = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['cjk', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['thai', /\p{Script=Thai}/u]
]

function scriptOf(ch: string): string | null {
  if (!/\p{L}/u.test(ch)) return null
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name
  return 'other'
}

/** Letters per script, names of the facts left out. */
export function scriptCounts(text: string, vocab: Vocabulary): Map<string, number> {
  const counts = new Map<string, number>()
  for (const ch of stripPhrases(text, vocab)) {
    const s = scriptOf(ch)
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1)
  }
  return counts
}

/** The script most letters of the whole answer are written in. */
export function dominantScript(text: string, vocab: Vocabulary): string {
  let best = 'latin'
  let most = 0
  for (const [s, n] of scriptCounts(text, vocab)) {
    if (n > most) {
      best = s
      most = n
    }
  }
  return best
}

export interface Checked {
  /** The sentences kept, joined by a space. */
  text: string
  kept: number
  dropped: Record<DropReason, number>
  /** Numbers that were in dropped sentences, for the count the bench reports. */
  ungrounded: string[]
}

export function emptyDrops(): Record<DropReason, number> {
  return { number: 0, entity: 0, script: 0 }
}

/** The first reason a sentence cannot stay, or null when it is grounded. */
export function dropReason(sentence: string, vocab: Vocabulary, script: string): DropReason | null {
  for (const s of scriptCounts(sentence, vocab).keys()) if (s !== script) return 'script'
  if (ungroundedNumbers(sentence, vocab).length) return 'number'
  if (unknownEntities(sentence, vocab).length) return 'entity'
  return null
}

export function checkText(text: string, vocab: Vocabulary, script: string): Checked {
  const kept: string[] = []
  const dropped = emptyDrops()
  const ungrounded: string[] = []
  for (const s of splitSentences(text)) {
    const reason = dropReason(s, vocab, script)
    if (reason === null) kept.push(s)
    else {
      dropped[reason]++
      ungrounded.push(...ungroundedNumbers(s, vocab))
    }
  }
  return { text: kept.join(' '), kept: kept.length, dropped, ungrounded }
}
