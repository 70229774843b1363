/**
 * Answers this process served lately, already serialized: a hit then costs a lookup and a
 * write, not a fetch from the shared cache, a JSON parse and a JSON stringify of a body that can
 * run to hundreds of kilobytes. Validity is still the service's business (it trusts an entry only
 * while no project changed since it checked the entry's serials), so an entry here is never
 * served stale. Bounded by the total length of the JSON bodies, least recently used out first
 * (lru-cache, with the length as each entry's size).
 */
import { LRUCache } from 'lru-cache';
import type { CacheEntry } from './resolve-cache.repository';

/** A cached answer with its JSON body (without `cached` and `timings`, which vary per reply). */
export interface HotAnswer<A> extends CacheEntry<A> {
  readonly json: string;
}

export class HotAnswers<A> {
  private readonly entries: LRUCache<string, HotAnswer<A>>;

  /** `maxLength`: the bound of the JSON bodies together, in characters; a longer body is not kept. */
  constructor(maxLength: number) {
    this.entries = new LRUCache<string, HotAnswer<A>>({ maxSize: maxLength, sizeCalculation: (entry) => Math.max(1, entry.json.length) });
  }

  get(key: string): HotAnswer<A> | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: HotAnswer<A>): void {
    // lru-cache keeps the old value when the new one is too large to store; it must go too.
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
