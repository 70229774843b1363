import { InvalidProjectNameError } from './errors';
import { MAX_PROJECT_NAME_LENGTH, normalizeName, parseProjectName } from './name';

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

describe('parseProjectName (PEP 508 name syntax, PEP 503 form)', () => {
  it.each([
    ['requests', 'requests'],
    ['Zope.Interface', 'zope-interface'],
    ['a', 'a'],
    ['A__b', 'a-b'],
    ['x'.repeat(MAX_PROJECT_NAME_LENGTH), 'x'.repeat(MAX_PROJECT_NAME_LENGTH)],
  ])('%j → %j', (text, expected) => {
    expect(parseProjectName(text)).toBe(expected);
  });

  it.each([
    ['', 0, 'Expected a project name'],
    ['-x', 0, 'may not start with "-"'],
    ['x.', 1, 'may not end with "."'],
    ['foo bar', 3, 'may not contain " "'],
    ['na\u0000me', 2, 'may not contain "\\u0000"'],
    ['caf\u00e9', 3, 'may not end with "é"'],
    ['x'.repeat(MAX_PROJECT_NAME_LENGTH + 1), MAX_PROJECT_NAME_LENGTH, 'at most'],
  ])('rejects %j at position %d', (text, position, reason) => {
    let error: unknown;
    try {
      parseProjectName(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidProjectNameError);
    expect(error).toMatchObject({ input: text, position, reason: expect.stringContaining(reason) });
  });
});
