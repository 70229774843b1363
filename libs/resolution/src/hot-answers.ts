/**
 * Answers this process served lately, already serialized: a hit then costs the serial check and
 * a write, not a fetch from the shared cache, a JSON parse and a JSON stringify of a body that
 * can run to hundreds of kilobytes. Validity is still the service's business (it checks the
 * touched serials on every hit), so an entry here is never served stale. Bounded by the total
 * length of the JSON bodies; the least recently used entries go first.
 */
import type { CacheEntry } from './resolve-cache.repository';

/** A cached answer with its JSON body (without `cached` and `timings`, which vary per reply). */
export interface HotAnswer<A> extends CacheEntry<A> {
  readonly json: string;
}

export class HotAnswers<A> {
  private readonly entries = new Map<string, HotAnswer<A>>();
  private length = 0;

  constructor(private readonly maxLength: number) {}

  get(key: string): HotAnswer<A> | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      // Map order is insertion order: re-inserting marks it the most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: HotAnswer<A>): void {
    this.delete(key);
    if (entry.json.length > this.maxLength) return;
    this.entries.set(key, entry);
    this.length += entry.json.length;
    for (const [oldest] of this.entries) {
      if (this.length <= this.maxLength) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.length -= entry.json.length;
  }

  get size(): number {
    return this.entries.size;
  }
}
