import { HotAnswers } from './hot-answers';

const entry = (json: string) => ({ answer: json, touched: [], json });

describe('HotAnswers', () => {
  it('keeps the most recently used answers within the length bound', () => {
    const hot = new HotAnswers<string>(10);
    hot.set('a', entry('aaaa'));
    hot.set('b', entry('bbbb'));
    expect(hot.get('a')?.json).toBe('aaaa'); // a is now the most recent
    hot.set('c', entry('cccc')); // 12 > 10: b, the least recently used, goes
    expect(hot.get('b')).toBeUndefined();
    expect(hot.get('a')?.json).toBe('aaaa');
    expect(hot.get('c')?.json).toBe('cccc');
    expect(hot.size).toBe(2);
  });

  it('replaces an entry, drops one on request, and never keeps one larger than the bound', () => {
    const hot = new HotAnswers<string>(10);
    hot.set('a', entry('aaaa'));
    hot.set('a', entry('aaaaaaaa'));
    hot.set('b', entry('bb'));
    expect([hot.get('a')?.json, hot.get('b')?.json]).toEqual(['aaaaaaaa', 'bb']);
    hot.delete('a');
    expect(hot.get('a')).toBeUndefined();
    hot.set('huge', entry('x'.repeat(11)));
    expect(hot.get('huge')).toBeUndefined();
    expect(hot.get('b')?.json).toBe('bb');
  });
});
