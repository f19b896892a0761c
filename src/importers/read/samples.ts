/**
 * A list of samples that grows without copying and outside the JS heap. A plain array that
 * grows by push leaves every outgrown copy behind, and the copies it keeps survive young
 * collections, which makes V8 grow its young generation to the maximum: on a 100 MB import,
 * that garbage and headroom, not the samples, is most of the memory. Chunks of typed arrays are
 * never moved, and the array handed out at the end is made once, at its final size.
 */
const FIRST = 16
/** 8 KB: what a list holds unused at the end stays small even with hundreds of lists. */
const LARGEST = 1024

export class SampleList {
  private readonly full: Float64Array[] = []
  private chunk = new Float64Array(FIRST)
  private used = 0
  private total = 0

  get length(): number {
    return this.total
  }

  push(x: number): void {
    if (this.used === this.chunk.length) {
      this.full.push(this.chunk)
      // Small lists stay small: many benchmarks hold only a few samples each.
      this.chunk = new Float64Array(Math.min(this.chunk.length * 2, LARGEST))
      this.used = 0
    }
    this.chunk[this.used++] = x
    this.total++
  }

  pushAll(values: Float64Array, from: number, count: number, scale = 1): void {
    for (let k = from; k < from + count; k++) this.push((values[k] ?? 0) * scale)
  }

  toArray(): number[] {
    const out = new Array<number>(this.total)
    let i = 0
    for (const c of this.full) for (let k = 0; k < c.length; k++) out[i++] = c[k] ?? 0
    for (let k = 0; k < this.used; k++) out[i++] = this.chunk[k] ?? 0
    return out
  }
}

/** Where an importer puts a benchmark's samples. */
export interface SampleSink {
  push(x: number): void
  /** `values[from, from + count)`, each times `scale`. */
  pushAll(values: Float64Array, from: number, count: number, scale?: number): void
  toArray(): number[]
}

/**
 * Samples of a file read twice: the first pass only counts them, the second writes them into an
 * array made once at its final size. Nothing else holds them, so an import needs the returned
 * arrays and no more; SampleList's chunks and the array made from them would be twice that.
 */
export class CountedSamples implements SampleSink {
  private count = 0
  private out: number[] | undefined
  private at = 0

  push(x: number): void {
    if (this.out) this.out[this.at++] = x
    else this.count++
  }

  pushAll(values: Float64Array, from: number, count: number, scale = 1): void {
    const out = this.out
    if (!out) {
      this.count += count
      return
    }
    for (let k = from; k < from + count; k++) out[this.at++] = (values[k] ?? 0) * scale
  }

  /** Ends the counting pass. */
  allocate(): void {
    this.out = new Array<number>(this.count)
    // Samples are doubles: made so now, the array takes that form once, and V8 makes the next
    // ones from this line so from the start. Changed later, while other arrays are made, each
    // would be made twice, the first copy left behind.
    if (this.count > 0) this.out[0] = 0.5
  }

  /** Whether the second pass wrote exactly what the first counted (the file did not change). */
  get complete(): boolean {
    return this.out !== undefined && this.at === this.count
  }

  toArray(): number[] {
    if (!this.out || !this.complete) throw new Error('CountedSamples read before it was filled')
    return this.out
  }
}
