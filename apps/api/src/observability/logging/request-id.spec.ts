import { incomingRequestId, requestIdOf } from './request-id';

const withId = (id: string) => ({ headers: { 'x-request-id': id } });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('incoming request ids', () => {
  it.each([
    ['a UUID', '0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['a W3C trace id', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['a token with punctuation', 'lb-01:req.42~a+b/c=@x'],
    ['128 characters', 'x'.repeat(128)],
  ])('keeps %s from the caller', (_what, id) => {
    expect(incomingRequestId(withId(id))).toBe(id);
    expect(requestIdOf(withId(id))).toBe(id);
  });

  it.each([
    ['an empty one', ''],
    ['one with spaces', 'two words'],
    ['one with quotes', 'a"b'],
    ['one with a newline', 'a\nb'],
    ['one over 128 characters', 'x'.repeat(129)],
    ['non-ASCII', 'id-é'],
  ])('refuses %s, and makes a new one instead', (_what, id) => {
    expect(incomingRequestId(withId(id))).toBeNull();
    expect(requestIdOf(withId(id))).toMatch(UUID);
  });

  it('refuses a repeated header', () => {
    expect(incomingRequestId({ headers: { 'x-request-id': ['a', 'b'] } })).toBeNull();
    expect(incomingRequestId({ headers: {} })).toBeNull();
  });

  it('makes a different id for each request without one', () => {
    const ids = new Set(Array.from({ length: 100 }, () => requestIdOf({ headers: {} })));
    expect(ids.size).toBe(100);
  });
});
