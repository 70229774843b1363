import fc from 'fast-check';
import { InvalidTagError } from './errors';
import { expandTagSet, formatTag, parseTag } from './tags';

describe('parseTag', () => {
  it.each([
    ['py3-none-any', ['py3-none-any']],
    ['PY3-None-ANY', ['py3-none-any']],
    ['py2.py3-none-any', ['py2-none-any', 'py3-none-any']],
    [
      'cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64',
      ['cp311-cp311-manylinux_2_17_x86_64', 'cp311-cp311-manylinux2014_x86_64'],
    ],
    [
      'cp38.cp39-abi3-win32.win_amd64',
      ['cp38-abi3-win32', 'cp38-abi3-win_amd64', 'cp39-abi3-win32', 'cp39-abi3-win_amd64'],
    ],
    ['py3.py3-none-any', ['py3-none-any']],
  ])('expands %s', (text, expected) => {
    expect(parseTag(text).map(formatTag)).toEqual(expected);
  });

  it.each([
    ['py3-none', 8, 'three parts'],
    ['py3-none-any-x', 12, 'three parts'],
    ['', 0, 'three parts'],
    ['py3--any', 4, 'empty'],
    ['.py3-none-any', 0, 'empty'],
    ['py3-none-any.', 13, 'empty'],
    ['py3-no ne-any', 6, 'unexpected character'],
  ])('rejects %j at %d', (text, position, reason) => {
    try {
      parseTag(text);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidTagError);
      const error = e as InvalidTagError;
      expect(error.position).toBe(position);
      expect(error.reason).toContain(reason);
    }
  });

  it('agrees with expandTagSet on any compressed set', () => {
    const part = fc.uniqueArray(fc.stringMatching(/^[a-z0-9_]{1,6}$/), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(part, part, part, (py, abi, plat) => {
        const text = `${py.join('.')}-${abi.join('.')}-${plat.join('.')}`;
        expect(parseTag(text).map(formatTag)).toEqual(expandTagSet(py, abi, plat));
      }),
    );
  });

  it('parses or throws InvalidTagError, for any string', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseTag(text);
        } catch (e) {
          if (!(e instanceof InvalidTagError)) throw e;
        }
      }),
    );
  });
});
