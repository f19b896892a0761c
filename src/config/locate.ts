import { isAlias, isMap, isScalar, isSeq } from 'yaml'
import type { Document, LineCounter, Node, Pair } from 'yaml'

/**
 * Finds the line a config path points at. Keys are reported on the key's own line (a block value
 * starts on the next one), list items on the item's line, and a path that runs out (a missing
 * key) on the line of the deepest node that exists, i.e. the mapping that lacks the key.
 */
export function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number {
  const at = (offset: number | undefined): number =>
    offset === undefined ? 1 : counter.linePos(offset).line
  let node = resolve(doc, doc.contents)
  let line = at(node?.range?.[0])
  for (const seg of path) {
    if (isMap(node)) {
      const pair = findPair(doc, node.items, String(seg))
      if (!pair) break
      line = at((isScalar(pair.key) ? pair.key : null)?.range?.[0] ?? pairStart(pair))
      node = resolve(doc, pair.value)
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = resolve(doc, node.items[seg])
      if (!item) break
      line = at(item.range?.[0])
      node = item
    } else break
  }
  return line
}

function pairStart(pair: Pair): number | undefined {
  const value = pair.value as Node | null
  return value?.range?.[0]
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined
}

/** Looks through `<<` merge keys too, since their contents land in the parsed mapping. */
function findPair(doc: Document, items: readonly Pair[], key: string, depth = 0): Pair | undefined {
  const own = items.find((p) => keyText(p.key) === key)
  if (own || depth > 8) return own
  for (const p of items) {
    if (keyText(p.key) !== '<<') continue
    const sources = isSeq(p.value) ? p.value.items : [p.value]
    for (const s of sources) {
      const target = resolve(doc, s)
      if (isMap(target)) {
        const found = findPair(doc, target.items, key, depth + 1)
        if (found) return found
      }
    }
  }
  return undefined
}

function resolve(doc: Document, node: unknown): Node | null {
  let current = node
  for (let hops = 0; isAlias(current) && hops < 16; hops++) current = current.resolve(doc)
  if (isMap(current) || isSeq(current) || isScalar(current) || isAlias(current)) return current
  return null
}
