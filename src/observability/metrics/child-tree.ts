/**
 * A memo of per-label-set objects (prom-client children and the like) keyed by up to six label
 * values through nested Maps, so finding the child of a request costs a few map lookups and no
 * string building (prom-client's own `labels()` hashes a joined key on every call). The label
 * values handed in must already be bounded (label-bounds.ts), which bounds this tree too.
 */
type Key = string | number;

export class ChildTree<T> {
  private root = new Map<Key, unknown>();

  constructor(private readonly depth: number, private readonly make: (keys: Key[]) => T) {}

  get(a: Key, b: Key = '', c: Key = '', d: Key = '', e: Key = '', f: Key = ''): T {
    let node = this.root;
    const keys = [a, b, c, d, e, f];
    for (let i = 0; i < this.depth - 1; i++) {
      let next = node.get(keys[i]) as Map<Key, unknown> | undefined;
      if (!next) node.set(keys[i], (next = new Map()));
      node = next;
    }
    const last = keys[this.depth - 1];
    let leaf = node.get(last) as T | undefined;
    if (leaf === undefined) node.set(last, (leaf = this.make(keys.slice(0, this.depth))));
    return leaf;
  }

  /** Forget the memo (after a config reload changed how raw values map to labels). */
  clear(): void {
    this.root = new Map();
  }
}
