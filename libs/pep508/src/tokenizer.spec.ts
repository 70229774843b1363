import { InvalidRequirementError } from './errors';
import { SPECIFIER_PATTERN, TokenName, Tokenizer } from './tokenizer';

function match(name: TokenName, source: string, at = 0): string | null {
  const t = new Tokenizer(source, (reason, span) => new InvalidRequirementError(reason, source, span));
  t.position = at;
  return t.check(name) ? t.read().text : null;
}

describe('Tokenizer rules (packaging _tokenizer.py)', () => {
  it.each<[TokenName, string, string | null]>([
    ['IDENTIFIER', 'name>=1', 'name'],
    ['IDENTIFIER', 'foo-bar.baz_qux', 'foo-bar.baz_qux'],
    ['IDENTIFIER', 'name-', 'name'],
    ['IDENTIFIER', 'name_', 'name_'],
    ['IDENTIFIER', 'name.-!', 'name'],
    ['IDENTIFIER', 'nämé', null],
    ['IDENTIFIER', 'nam-é', 'nam-'],
    ['IDENTIFIER', '_name', null],
    ['VARIABLE', 'python_version>', 'python_version'],
    ['VARIABLE', 'python_versions', null],
    ['VARIABLE', 'os.name', 'os.name'],
    ['VARIABLE', 'platform.release', null],
    ['VARIABLE', 'extras ', 'extras'],
    ['VARIABLE', 'extraé', null],
    ['BOOLOP', 'and(', 'and'],
    ['BOOLOP', 'andos_name', null],
    ['IN', 'in"x"', 'in'],
    ['NOT', 'not in', 'not'],
    ['QUOTED_STRING', `'a"b' rest`, `'a"b'`],
    ['QUOTED_STRING', `"unterminated`, null],
    ['OP', '===x', '==='],
    ['OP', '~=', '~='],
    ['URL', 'http://x/;y z', 'http://x/;y'],
    ['WS', ' \t x', ' \t '],
    ['WS', '\u3000', null],
    ['VERSION_LOCAL_LABEL_TRAIL', '+abc.1 x', '+abc.1'],
    ['VERSION_LOCAL_LABEL_TRAIL', '+ABC', null],
    ['END', '', ''],
    ['END', '\n', null],
  ])('%s on %j', (name, source, expected) => {
    expect(match(name, source)).toBe(expected);
  });

  it('sees a word boundary before a keyword', () => {
    expect(match('IN', 'xin y', 1)).toBeNull();
    expect(match('IN', "'x'in y", 3)).toBe('in');
    expect(match('IDENTIFIER', 'éname', 1)).toBeNull();
  });

  it.each<[string, string | null]>([
    ['>=1.0', '>=1.0'],
    ['>= 1.0, <2', '>= 1.0'],
    ['==1.0.*', '==1.0.*'],
    ['>=1.0.*', '>=1.0'],
    ['==1.0+local.1', '==1.0+local.1'],
    ['<=1.0+local', '<=1.0'],
    ['~=1', null],
    ['~=1.0', '~=1.0'],
    ['===foo,bar;x', '===foo,bar'],
    ['===', '==='],
    ['==V1.0RC1.POST2.DEV3', '==V1.0RC1.POST2.DEV3'],
    ['>=\x1c1.0', '>=\x1c1.0'],
    ['>=1.0abc', '>=1.0a'],
    ['=>1.0', null],
  ])('SPECIFIER on %j', (source, expected) => {
    SPECIFIER_PATTERN.lastIndex = 0;
    const m = SPECIFIER_PATTERN.exec(source);
    expect(m === null ? null : m[0]).toBe(expected);
  });
});
