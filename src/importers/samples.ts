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

  toArray(): number[] {
    const out = new Array<number>(this.total)
    let i = 0
    for (const c of this.full) for (let k = 0; k < c.length; k++) out[i++] = c[k] ?? 0
    for (let k = 0; k < this.used; k++) out[i++] = this.chunk[k] ?? 0
    return out
  }
}
