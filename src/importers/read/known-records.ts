import { CountedSamples, type SampleSink } from './samples.js'
import { BYTE, FAIL, numberAt, skipNumber, skipString, skipValue, skipWs } from './bytes.js'
import { changedWhileRead, fileStamp } from './source.js'
import type { ImportInput } from './types.js'

const { CLOSE_ARR, CLOSE_OBJ, COLON, COMMA, MINUS, OPEN_ARR, OPEN_OBJ } = BYTE

/**
 * Records that repeat a few configurations, read from bytes: llama-bench `-o jsonl` appended
 * over many runs writes the same model, build and parameters on every line, and Google
 * Benchmark writes the same name, unit and settings on every repetition; only timings change.
 * Parsing each record into objects allocates many times its text; on a 100 MB file that churn,
 * with the few objects alive at each collection, is what makes V8 grow its young generation,
 * and it outweighed the samples themselves.
 *
 * So a record is walked byte by byte and checked as JSON throughout. Its key is the raw text of
 * every field except the `varying` ones, plus the shape of each `captured` field. A record whose
 * key was seen before repeats a configuration its importer already read the usual way, which
 * left a `Target` for it: the target gets the captured numbers and nothing else is built. Equal
 * raw text means equal values, so a repeat is read exactly as the usual way would read it.
 *
 * Anything the walk does not vouch for (not a flat object, a key with an escape, a nested value
 * outside the captured ones, a captured value that is not a non-negative finite number or a
 * non-empty array of them) makes `add` return false, and the caller reads the record the usual
 * way: every error keeps its wording and line.
 */
export type Target = (record: KnownRecords) => void

const NONE: readonly number[] = []
const NO_ENTRIES: ReadonlyArray<{ key: Buffer; id: number }> = []
const [FNV_OFFSET, FNV_PRIME] = [0x811c9dc5, 0x01000193]
/** A captured field's shape, as it goes into the key. */
const [ABSENT, NUMBER, ARRAY] = [1, 2, 3]

export class KnownRecords {
  private readonly varying: Buffer[]
  /** The places in `varying` of the names of each length, quotes included. */
  private readonly byLength: number[][] = []
  private readonly captures: number
  private readonly known = new Map<number, Array<{ key: Buffer; id: number }>>()
  private readonly targets: Target[] = []
  /** Where each record went in the first pass, by its place in `targets`; -1: the usual way. */
  private log = new Int32Array(1024)
  private logLength = 0
  private replaying = false
  private pos = 0
  private key = Buffer.allocUnsafe(1024)
  private keyLength = -1
  private hash = 0
  private values = new Float64Array(64)
  /** Per captured field: where its numbers start in `values`, how many, and its shape. */
  private readonly from: Int32Array
  private readonly counts: Int32Array
  private readonly shapes: Uint8Array
  private used = 0
  /** After `take`: one past the record, or FAIL when the walk refused it. */
  end = FAIL

  /** `captured` fields are numbers or arrays of numbers handed to targets; they vary too. */
  constructor(varying: readonly string[], captured: readonly string[]) {
    const keys = [...captured, ...varying.filter((k) => !captured.includes(k))]
    this.varying = keys.map((k) => Buffer.from(JSON.stringify(k)))
    this.varying.forEach((name, v) => (this.byLength[name.length] ??= []).push(v))
    this.captures = captured.length
    this.from = new Int32Array(captured.length)
    this.counts = new Int32Array(captured.length)
    this.shapes = new Uint8Array(captured.length)
  }

  /** Whether the current record has captured field `c` (by its place in `captured`). */
  has(c: number): boolean {
    return this.shapes[c] !== ABSENT
  }

  /** How many numbers captured field `c` holds: 1 for a number, the length for an array. */
  count(c: number): number {
    return this.counts[c] ?? 0
  }

  /** Where captured field `c`'s numbers begin in `numbers`. */
  start(c: number): number {
    return this.from[c] ?? 0
  }

  /**
   * Every captured number of the record. Targets copy ranges of it (SampleSink.pushAll) rather
   * than take numbers one by one: a number returned from a call may be boxed, one allocation
   * per sample, which is the churn this class is here to avoid.
   */
  get numbers(): Float64Array {
    return this.values
  }

  /** True when the line `b[start, end)` repeated a known configuration and went to its target. */
  add(b: Buffer, start = 0, end = b.length): boolean {
    return this.take(b, start, end, true)
  }

  /**
   * As `add` for a record that starts at `start` and ends before `limit`, with more after it
   * (an element of an array) unless `whole`: `end` then says where it ended.
   */
  take(b: Buffer, start: number, limit: number, whole = false): boolean {
    this.keyLength = -1
    let id: number
    if (this.replaying) {
      // Records come as in the first pass; those it read itself are read so again.
      id = this.pos < this.logLength ? (this.log[this.pos++] ?? -1) : -1
      this.end = id < 0 ? FAIL : this.scan(b, start, false)
    } else {
      this.end = this.scan(b, start, true)
      id = this.end === FAIL ? -1 : this.find()
    }
    if (this.end === FAIL || this.end > limit || (whole && skipWs(b, this.end) < limit)) {
      this.end = FAIL
      this.keyLength = -1
      id = -1
    }
    if (!this.replaying) this.record(id)
    const target = this.targets[id]
    if (!target) return false
    target(this)
    return true
  }

  /**
   * After `add` returned false and the caller read the record the usual way: later records with
   * the same key go to `target`. Nothing is learnt from a record the walk refused.
   */
  learn(target: Target | undefined): void {
    if (this.replaying || this.keyLength < 0 || !target) return
    const key = Buffer.from(this.key.subarray(0, this.keyLength))
    const entry = { key, id: this.targets.push(target) - 1 }
    const list = this.known.get(this.hash)
    if (list) list.push(entry)
    else this.known.set(this.hash, [entry])
  }

  /**
   * Starts a second pass over the same records, in the same order (CountThenFill). Each record
   * goes where it went the first time, so only its captured numbers are read: no key is made. A
   * file changed in between is CountThenFill's to catch; at worst a record goes the usual way.
   */
  replay(): void {
    this.replaying = true
    this.pos = 0
  }

  private record(id: number): void {
    if (this.logLength === this.log.length) {
      const grown = new Int32Array(this.log.length * 2)
      grown.set(this.log)
      this.log = grown
    }
    this.log[this.logLength++] = id
  }

  private find(): number {
    for (const { key, id } of this.known.get(this.hash) ?? NO_ENTRIES)
      if (key.length === this.keyLength && same(key, this.key, 0)) return id
    return -1
  }

  /**
   * Walks the record at `start` and makes its key; one past its end, or FAIL. The walkers stop
   * at the first byte that does not fit, and the callers check the end against theirs, so a
   * walk that ran past its line or element into the next one is refused.
   */
  private scan(b: Buffer, start: number, keyed: boolean): number {
    let i = skipWs(b, start)
    if (b[i] !== OPEN_OBJ) return FAIL
    i = skipWs(b, i + 1)
    if (b[i] === CLOSE_OBJ) return FAIL
    this.shapes.fill(ABSENT)
    this.counts.fill(0)
    this.used = 0
    this.hash = FNV_OFFSET
    let length = 0
    for (;;) {
      const keyStart = i
      i = skipString(b, i, false)
      if (i === FAIL) return FAIL
      const keyEnd = i
      i = skipWs(b, i)
      if (b[i] !== COLON) return FAIL
      i = skipWs(b, i + 1)
      const valueStart = i
      const which = this.varyingIndex(b, keyStart, keyEnd)
      // JSON.parse keeps the last of a repeated key; so does a capture.
      i = which >= 0 && which < this.captures ? this.capture(b, i, which) : skipValue(b, i, 1)
      if (i === FAIL) return FAIL
      if (which < 0 && keyed) {
        if (b[valueStart] === OPEN_ARR || b[valueStart] === OPEN_OBJ) return FAIL
        length = this.appendKey(b, keyStart, keyEnd, valueStart, i, length)
      }
      i = skipWs(b, i)
      if (b[i] === CLOSE_OBJ) break
      if (b[i] !== COMMA) return FAIL
      i = skipWs(b, i + 1)
    }
    if (!keyed) return i + 1
    if (length + this.captures > this.key.length) this.grow(length + this.captures)
    for (let c = 0; c < this.captures; c++) {
      const shape = this.shapes[c] ?? ABSENT
      this.key[length++] = shape
      this.hash = Math.imul(this.hash ^ shape, FNV_PRIME)
    }
    this.hash >>>= 0
    this.keyLength = length
    return i + 1
  }

  private varyingIndex(b: Buffer, start: number, end: number): number {
    // Most keys match no name of their length, and are told apart without a byte compared.
    for (const v of this.byLength[end - start] ?? NONE) {
      const name = this.varying[v]
      if (name && same(name, b, start)) return v
    }
    return -1
  }

  private grow(need: number): void {
    const grown = Buffer.allocUnsafe(Math.max(need, this.key.length * 2))
    this.key.copy(grown)
    this.key = grown
  }

  /** Key and value text with a NUL after each: raw JSON text never holds one. */
  private appendKey(
    b: Buffer,
    keyStart: number,
    keyEnd: number,
    valueStart: number,
    valueEnd: number,
    at: number
  ): number {
    const need = at + (keyEnd - keyStart) + (valueEnd - valueStart) + 2
    if (need > this.key.length) this.grow(need)
    // Byte loops: Buffer#copy and #compare on ranges make a view per call, garbage per field.
    // The key's FNV-1a hash is made as it is copied, its zeros included.
    const key = this.key
    let h = this.hash
    for (let i = keyStart; i < keyEnd; i++) {
      const c = b[i] ?? 0
      key[at++] = c
      h = Math.imul(h ^ c, FNV_PRIME)
    }
    key[at++] = 0
    h = Math.imul(h, FNV_PRIME)
    for (let i = valueStart; i < valueEnd; i++) {
      const c = b[i] ?? 0
      key[at++] = c
      h = Math.imul(h ^ c, FNV_PRIME)
    }
    key[at++] = 0
    this.hash = Math.imul(h, FNV_PRIME)
    return at
  }

  /** A non-negative finite number, or a non-empty array of them, into `values`. */
  private capture(b: Buffer, i: number, c: number): number {
    this.from[c] = this.used
    this.counts[c] = 0
    if (b[i] !== OPEN_ARR) {
      this.shapes[c] = NUMBER
      return this.number(b, i, c)
    }
    this.shapes[c] = ARRAY
    i = skipWs(b, i + 1)
    if (b[i] === CLOSE_ARR) return FAIL
    for (;;) {
      i = this.number(b, i, c)
      if (i === FAIL) return FAIL
      i = skipWs(b, i)
      if (b[i] === CLOSE_ARR) return i + 1
      if (b[i] !== COMMA) return FAIL
      i = skipWs(b, i + 1)
    }
  }

  private number(b: Buffer, i: number, c: number): number {
    if (b[i] === MINUS) return FAIL
    const end = skipNumber(b, i)
    if (end === FAIL) return FAIL
    if (this.used === this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.used++] = numberAt(b, i, end)
    this.counts[c] = (this.counts[c] ?? 0) + 1
    return end
  }
}

/**
 * An input read twice through one KnownRecords: the first pass counts the samples of every list
 * `newList` made, the second stores them in arrays made once at their final size
 * (CountedSamples), reading repeats without making keys (`replay`). A file that changed between
 * the passes is refused.
 */
export class CountThenFill {
  private readonly lists: CountedSamples[] = []

  readonly newList = (): SampleSink => {
    const list = new CountedSamples()
    this.lists.push(list)
    return list
  }

  /** `pass` reads every record of `input`, offering each to `known` first. */
  run(input: ImportInput, known: KnownRecords, pass: () => void): void {
    const stamp = fileStamp(input)
    pass()
    for (const list of this.lists) list.allocate()
    known.replay()
    pass()
    if (!this.lists.every((l) => l.complete) || fileStamp(input) !== stamp)
      throw changedWhileRead(input.file)
  }
}

/** Whether `b` holds all of `a` from `at`. */
function same(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false
  return true
}
