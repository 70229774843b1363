/**
 * A memo with bounded memory for parse results that repeat a lot (the same marker text appears
 * in thousands of requirements). Two generations: lookups fill the young map; when it is full
 * it becomes the old map and the previous old map is dropped, so hot keys survive (they are
 * copied forward on use) while memory stays below twice the limit. No per-hit bookkeeping,
 * unlike an LRU list.
 */
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const survivor = this.old.get(key);
    if (survivor !== undefined) this.set(key, survivor);
    return survivor;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  /** Forgets everything (tests use it to measure uncached work). */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
