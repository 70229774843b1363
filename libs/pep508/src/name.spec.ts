import { normalizeName } from './name';

describe('normalizeName (PEP 503)', () => {
  it.each([
    ['requests', 'requests'],
    ['Foo.Bar__baz', 'foo-bar-baz'],
    ['FOO_BAR.BAZ', 'foo-bar-baz'],
    ['foo---bar', 'foo-bar'],
    ['zope.interface', 'zope-interface'],
    ['a-_.b', 'a-b'],
    ['PEP_685...norm', 'pep-685-norm'],
    ['-x-', '-x-'],
    ['', ''],
  ])('%j → %j', (name, expected) => {
    expect(normalizeName(name)).toBe(expected);
  });
});
