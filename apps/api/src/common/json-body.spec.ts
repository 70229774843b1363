import fc from 'fast-check';
import { excessiveDepthAt, InvalidJsonError, readJsonBody } from './json-body';

const parseJsonBody = (bytes: Buffer) => readJsonBody(bytes)?.value;
import { LIMITS } from './limits';

/** The nesting of a parsed JSON value. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('excessiveDepthAt', () => {
  it('agrees with the depth of the parsed value on any JSON, brackets in strings included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 12 }), (value, max) => {
        const text = Buffer.from(JSON.stringify(value));
        expect(excessiveDepthAt(text, max) >= 0).toBe(depthOf(value) > max);
      }),
      { numRuns: 500 },
    );
  });

  it('points at the bracket that opens one level too many, and ignores escaped quotes', () => {
    expect(excessiveDepthAt(Buffer.from('{"a":[[1]]}'), 2)).toBe(6);
    expect(excessiveDepthAt(Buffer.from('{"a\\"[[[":"]]]["}'), 1)).toBe(-1);
  });
});

describe('parseJsonBody', () => {
  it('reads JSON, and an empty body as no body', () => {
    expect(parseJsonBody(Buffer.from('{"a":[1,"x"]}'))).toEqual({ a: [1, 'x'] });
    expect(parseJsonBody(Buffer.alloc(0))).toBeUndefined();
  });

  it('refuses deep nesting before parsing, and broken JSON with the position', () => {
    const deep = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
    expect(() => parseJsonBody(deep)).toThrow(new InvalidJsonError(`the body nests arrays and objects more than ${LIMITS.jsonDepth} levels deep`, LIMITS.jsonDepth));
    let error: unknown;
    try {
      parseJsonBody(Buffer.from('{"a" 1}'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidJsonError);
    expect(error).toMatchObject({ position: 5 });
    expect((error as Error).message).toMatch(/^the body is not valid JSON: /);
  });
});
