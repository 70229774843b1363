import { drawSpan, InvalidMarkerError } from './errors';

describe('errors', () => {
  it('draw the input with tildes under the span and a caret at its end', () => {
    expect(drawSpan('name (>= 1.0', { start: 5, end: 12 })).toBe('    name (>= 1.0\n         ~~~~~~~^');
    expect(drawSpan('', { start: 0, end: 0 })).toBe('    \n    ^');
  });

  it('show a window of a long input around the caret', () => {
    const input = 'a'.repeat(500) + '!' + 'b'.repeat(500);
    const drawn = drawSpan(input, { start: 498, end: 500 }).split('\n');
    expect(drawn[0]).toBe(`    …${'a'.repeat(80)}!${'b'.repeat(79)}…`);
    expect(drawn[1]).toBe(`    ${' '.repeat(79)}~~^`);
    expect(drawn[0][drawn[1].indexOf('^')]).toBe('!');
  });

  it('carry input, span, position, reason and their class name', () => {
    const e = new InvalidMarkerError('Expected something', 'abc', { start: 1, end: 2 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('InvalidMarkerError');
    expect(e.reason).toBe('Expected something');
    expect(e.input).toBe('abc');
    expect(e.position).toBe(2);
    expect(e.span).toEqual({ start: 1, end: 2 });
    expect(e.message).toBe('Expected something\n    abc\n     ~^');
  });
});
