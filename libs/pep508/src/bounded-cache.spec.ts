import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('remembers values and nulls, and tells a remembered null from a key never seen', () => {
    const cache = new BoundedCache<string, number | null>(4);
    cache.set('one', 1);
    cache.set('bad', null);
    expect(cache.get('one')).toBe(1);
    expect(cache.get('bad')).toBeNull();
    expect(cache.get('never')).toBeUndefined();
  });

  it('keeps at most max entries, the least recently used going first', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now more recent than b
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
  });
});
