import { LineSplitter } from './line-splitter';

describe('LineSplitter', () => {
  it('splits chunks into lines across chunk and UTF-8 boundaries, and keeps the last 40 for errors', () => {
    const seen: string[] = [];
    const lines = new LineSplitter((line) => seen.push(line));
    const text = Buffer.from('é first\r\nsecond\rthird\n' + Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n'));
    for (let i = 0; i < text.length; i += 3) lines.push(text.subarray(i, i + 3));
    lines.end();
    expect(seen.slice(0, 3)).toEqual(['é first', 'second', 'third']);
    expect(seen).toHaveLength(53);
    expect(lines.tail().split('\n')).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i + 10}`));
  });
});
