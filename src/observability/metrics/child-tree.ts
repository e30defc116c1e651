/**
 * A memo of per-label-set objects (metric series) keyed by up to six label values through
 * nested Maps, so finding the series of a request costs a few map lookups and no string
 * building or hashing. The label values handed in must already be bounded (label-bounds.ts),
 * which bounds this tree too.
 */
type Key = string | number;

export class ChildTree<T> {
  private readonly root = new Map<Key, unknown>();

  constructor(private readonly depth: number, private readonly make: (keys: Key[]) => T) {}

  get(a: Key, b: Key = '', c: Key = '', d: Key = '', e: Key = '', f: Key = ''): T {
    let node = this.root;
    let key = a;
    for (let i = 1; i < this.depth; i++) {
      let next = node.get(key) as Map<Key, unknown> | undefined;
      if (!next) node.set(key, (next = new Map()));
      node = next;
      key = i === 1 ? b : i === 2 ? c : i === 3 ? d : i === 4 ? e : f;
    }
    let leaf = node.get(key) as T | undefined;
    if (leaf === undefined) node.set(key, (leaf = this.make([a, b, c, d, e, f].slice(0, this.depth))));
    return leaf;
  }
}
