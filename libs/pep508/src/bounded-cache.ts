/**
 * A memo with bounded memory for parse results that repeat a lot (the same marker text appears
 * in thousands of requirements): lru-cache, keeping at most `max` entries, least recently used
 * out first. This adapter only lets a memo keep `null` (a text known not to parse as the thing
 * asked for), which lru-cache does not store.
 */
import { LRUCache } from 'lru-cache';

/** Stands for a remembered `null`. */
const NULL = Symbol('null');

export class BoundedCache<K extends string, V> {
  private readonly entries: LRUCache<K, NonNullable<V> | typeof NULL>;

  constructor(max: number) {
    this.entries = new LRUCache<K, NonNullable<V> | typeof NULL>({ max });
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    return value === NULL ? (null as V) : (value as V | undefined);
  }

  set(key: K, value: V): void {
    this.entries.set(key, value === null ? NULL : (value as NonNullable<V>));
  }

  /** Forgets everything (tests use it to measure uncached work). */
  clear(): void {
    this.entries.clear();
  }
}
