import type { MarkerEnvironment } from './environment';
import { InvalidMarkerError } from './errors';
import { Marker, parseMarker } from './marker';
import { MAX_MARKER_DEPTH } from './marker-parser';

const BASE: MarkerEnvironment = {
  implementation_name: 'cpython',
  implementation_version: '3.11.4',
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_python_implementation: 'CPython',
  platform_release: '5.15.0-1034-azure',
  platform_system: 'Linux',
  platform_version: '#41-Ubuntu SMP',
  python_full_version: '3.11.4',
  python_version: '3.11',
  sys_platform: 'linux',
};
const env = (overrides: Partial<MarkerEnvironment> = {}): MarkerEnvironment => ({ ...BASE, ...overrides });

const VARIABLES = [
  'extra',
  'implementation_name',
  'implementation_version',
  'os_name',
  'platform_machine',
  'platform_release',
  'platform_system',
  'platform_version',
  'python_full_version',
  'python_version',
  'platform_python_implementation',
  'sys_platform',
  'os.name',
  'sys.platform',
  'platform.version',
  'platform.machine',
  'platform.python_implementation',
  'python_implementation',
];
const OPERATORS = ['===', '==', '>=', '<=', '!=', '~=', '>', '<', 'in', 'not in'];
const VALUES = ['1.0', '5.6a0', 'dog', 'freebsd', 'literally any string can go here', 'things @#4 dsfd ((('];

describe('parseMarker: what packaging accepts (test_markers.py)', () => {
  const combos = VARIABLES.flatMap((v) => OPERATORS.flatMap((op) => VALUES.flatMap((val) => [`${v} ${op} '${val}'`, `'${val}' ${op} ${v}`])));
  it(`parses all ${combos.length} variable/operator/value combinations, both ways round`, () => {
    for (const text of combos) expect(() => parseMarker(text)).not.toThrow();
  });

  it.each([
    "this_isnt_a_real_variable >= '1.0'",
    'python_version',
    '(python_version)',
    'python_version >= 1.0 and (python_version)',
    '(python_version == "2.7" and os_name == "linux"',
    '(python_version == "2.7") with random text',
    'python_version >= "3"\n',
    'python_version >= "3"\r',
    'python_version >= "3"\r\n',
    '',
    '()',
    "os_name == 'a' and",
    "os_name == 'a' xor os_name == 'b'",
    "os_name = 'a'",
    "'a' notin os_name",
    "os_name == 'a'and os_name == 'b'".replace('and', 'andd'),
  ])('rejects %j', (text) => {
    expect(() => parseMarker(text)).toThrow(InvalidMarkerError);
  });

  it.each([' ', '\t', ' \t'])('accepts trailing blanks %j', (ws) => {
    expect(String(parseMarker(`python_version >= "3"${ws}`))).toBe('python_version >= "3"');
  });

  it.each<[string, string, number]>([
    ['os_name == "C:\\"', 'Invalid quoted string\n    os_name == "C:\\"\n               ~~~~~^', 16],
    ['os_name == "\\x"', 'Invalid quoted string\n    os_name == "\\x"\n               ~~~~^', 15],
    ['python_version >= "3"\n', 'Expected end of marker expression\n    python_version >= "3"\n\n                         ^', 21],
    ['os_name', 'Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in\n    os_name\n           ^', 7],
  ])('reports %j like packaging', (text, message, position) => {
    try {
      parseMarker(text);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidMarkerError);
      expect((e as InvalidMarkerError).message).toBe(message);
      expect((e as InvalidMarkerError).position).toBe(position);
    }
  });

  it(`refuses more than ${MAX_MARKER_DEPTH} nested parentheses with a typed error, not a stack overflow`, () => {
    const deep = '('.repeat(MAX_MARKER_DEPTH) + "os_name == 'a'" + ')'.repeat(MAX_MARKER_DEPTH);
    expect(String(parseMarker(deep))).toBe('os_name == "a"');
    const tooDeep = '('.repeat(100_000) + "os_name == 'a'";
    expect(() => parseMarker(tooDeep)).toThrow(InvalidMarkerError);
  });
});

describe('Marker.toString (packaging test_str_repr_eq_hash and more)', () => {
  it.each([
    ["python_version == '2.7'", 'python_version == "2.7"'],
    ['python_version == "2.7"', 'python_version == "2.7"'],
    ['\'a" == os_name or python_version >= "0" or "b\' == os_name', '\'a" == os_name or python_version >= "0" or "b\' == os_name'],
    ['python_version == "2.7" and os_name == "linux"', 'python_version == "2.7" and os_name == "linux"'],
    ['python_version == "2.7" and os_name == "linux" or sys_platform == "win32"', 'python_version == "2.7" and os_name == "linux" or sys_platform == "win32"'],
    ['(python_version == "2.7")', 'python_version == "2.7"'],
    ['(python_version == "2.7" and sys_platform == "win32")', 'python_version == "2.7" and sys_platform == "win32"'],
    [
      'python_version == "2.7" and (sys_platform == "win32" or sys_platform == "linux")',
      'python_version == "2.7" and (sys_platform == "win32" or sys_platform == "linux")',
    ],
    [
      'python_version < "3.10" and ((sys_platform == "linux" or sys_platform == "darwin"))',
      'python_version < "3.10" and (sys_platform == "linux" or sys_platform == "darwin")',
    ],
    ["((os_name=='a') or (os_name=='b')) and os_name=='c'", '(os_name == "a" or os_name == "b") and os_name == "c"'],
    ["(os_name=='a' and os_name=='b') and os_name=='c'", '(os_name == "a" and os_name == "b") and os_name == "c"'],
    ["'S_P__A_M' == extra", '"s-p-a-m" == extra'],
    ["extra == 'S_P__A_M'", 'extra == "s-p-a-m"'],
    ['extra == os_name', 'extra == os_name'],
    ['(extra == "Foo_Bar" or extra == "Baz") and python_version >= "3"', '(extra == "foo-bar" or extra == "baz") and python_version >= "3"'],
    ['"S_P__A_M" in extras', '"s-p-a-m" in extras'],
    ['"Foo_Bar" not in dependency_groups', '"foo-bar" not in dependency_groups'],
    ["os.name=='nt' and sys.platform=='win32'", 'os_name == "nt" and sys_platform == "win32"'],
    ["os_name == 'a\\'b'".replace("\\'", '"'), 'os_name == \'a"b\''],
    ["os_name == '\\x41\\n'", 'os_name == "A\\n"'],
    ["os_name == 'C:\\\\'", 'os_name == "C:\\\\"'],
    ["os_name == '\\x22\\x27'", 'os_name == "\\x22\'"'],
  ])('%j prints as %j and reads back the same', (text, expected) => {
    const marker = parseMarker(text);
    expect(String(marker)).toBe(expected);
    expect(String(parseMarker(expected))).toBe(expected);
    expect(parseMarker(expected).equals(marker)).toBe(true);
  });

  it.each([
    ['python_version == "2.7"', 'python_version == "3.7"'],
    ['python_version == "2.7"', 'python_version == "2.7" and os_name == "linux"'],
    ['python_version == "2.7" and (os_name == "linux" or sys_platform == "win32")', 'python_version == "2.7" and os_name == "linux" or sys_platform == "win32"'],
  ])('%j differs from %j', (a, b) => {
    expect(parseMarker(a).equals(parseMarker(b))).toBe(false);
  });
});

describe('Marker.evaluate (packaging test_markers.py)', () => {
  it.each<[string, Partial<MarkerEnvironment>, string | undefined, boolean]>([
    ["os_name == 'foo'", { os_name: 'foo' }, undefined, true],
    ["os_name == 'foo'", { os_name: 'bar' }, undefined, false],
    ["'2.7' in python_version", { python_version: '2.7.5' }, undefined, true],
    ["'2.7' not in python_version", { python_version: '2.7' }, undefined, false],
    ["os_name == 'foo' and python_version ~= '2.7.0'", { os_name: 'foo', python_version: '2.7.6' }, undefined, true],
    ["python_version ~= '2.7.0' and (os_name == 'foo' or os_name == 'bar')", { os_name: 'foo', python_version: '2.7.4' }, undefined, true],
    ["python_version ~= '2.7.0' and (os_name == 'foo' or os_name == 'bar')", { os_name: 'bar', python_version: '2.7.4' }, undefined, true],
    ["python_version ~= '2.7.0' and (os_name == 'foo' or os_name == 'bar')", { os_name: 'other', python_version: '2.7.4' }, undefined, false],
    ["extra == 'security'", {}, 'quux', false],
    ["extra == 'security'", {}, 'security', true],
    ["extra == 'SECURITY'", {}, 'security', true],
    ["extra == 'security'", {}, 'SECURITY', true],
    ["extra == 'pep-685-norm'", {}, 'PEP_685...norm', true],
    ["extra == 'Different.punctuation..is...equal'", {}, 'different__punctuation_is_EQUAL', true],
    ['extra == "im_valid"', {}, undefined, false],
    ['extra == "im_valid"', {}, '', false],
    ['extra != "im_valid"', {}, undefined, true],
    ['extra == "v2"', {}, 'v2', true],
    ['extra == "v2"', {}, 'v2a3', false],
    ['extra == "v2a3"', {}, 'v2', false],
    ['extra == "v2"', {}, 'v2.0', false],
    ["sys.platform == 'win32'", { sys_platform: 'linux2' }, undefined, false],
    ["platform.version in 'Ubuntu'", { platform_version: '#39' }, undefined, false],
    ["platform.machine=='x86_64'", { platform_machine: 'x86_64' }, undefined, true],
    ["platform.python_implementation=='Jython'", { platform_python_implementation: 'CPython' }, undefined, false],
    ["python_version == '2.5' and platform.python_implementation!= 'Jython'", { python_version: '2.7' }, undefined, false],
    ["python_implementation=='Jython'", { platform_python_implementation: 'CPython' }, undefined, false],
    ['(extra == "Foo_Bar" or extra == "Baz") and python_version >= "3"', { python_version: '3.12' }, 'foo-bar', true],
    ['"2.7.9" < python_full_version', { python_full_version: '2.7.10' }, undefined, true],
    ['"2.7.9" < python_full_version', { python_full_version: '2.7.8' }, undefined, false],
    ['python_full_version > "3.6.2"', { python_full_version: '3.11.0a5' }, undefined, true],
    ["python_full_version < '3.12'", { python_full_version: '3.11.1+' }, undefined, true],
    ["python_full_version == '3.11.1+local'", { python_full_version: '3.11.1+' }, undefined, true],
  ])('%j in %j with extra %j is %s', (text, overrides, extra, expected) => {
    expect(parseMarker(text).evaluate(env(overrides), extra)).toBe(expected);
  });
});

describe('Marker.evaluate: comparison rules of the contract', () => {
  it.each<[string, Partial<MarkerEnvironment>, boolean]>([
    // PEP 440 when both sides are versions, pre-releases allowed.
    ['python_version >= "3.8"', { python_version: '3.10' }, true],
    ['python_version < "3.8"', { python_version: '3.10' }, false],
    ['python_version == "3.10.0"', { python_version: '3.10' }, true],
    ['python_version == "3.1*"', { python_version: '3.10' }, false],
    ['python_version == "3.*"', { python_version: '3.10' }, true],
    ['python_version != "3.10.*"', { python_version: '3.10' }, false],
    // PEP 440 surprise: a release candidate is neither >= 3.13 nor < 3.13 (`<V` excludes V's pre-releases)
    ['python_full_version >= "3.13"', { python_full_version: '3.13.0rc1' }, false],
    ['python_full_version < "3.13"', { python_full_version: '3.13.0rc1' }, false],
    ['python_full_version >= "3.13.0rc1"', { python_full_version: '3.13.0rc1' }, true],
    ['python_full_version > "3.12"', { python_full_version: '3.13.0rc1' }, true],
    ['python_version === "3.10"', { python_version: '3.10' }, true],
    // reversed operands: the specifier is built from the environment's value
    ['"3.8" <= python_version', { python_version: '3.10' }, true],
    ['"3.8" > python_version', { python_version: '3.10' }, false],
    ['"3.10.0" == python_version', { python_version: '3.10' }, true],
    ['"3.9" ~= python_version', { python_version: '3.9' }, true],
    // Python string comparison otherwise
    ['python_version >= "dog"', { python_version: '3.10' }, false],
    ['"dog" > python_version', { python_version: '3.10' }, true],
    ['platform_release >= "5.0"', { platform_release: '5.15.0-1034-azure' }, true],
    ['platform_release >= "6"', { platform_release: '5.15.0-1034-azure' }, false],
    ['platform_machine > "B"', {}, true],
    ['platform_machine ~= "x86"', {}, false],
    ['platform_machine === "x86_64"', {}, true],
    ['"\u{1F600}" > platform_machine', { platform_machine: '\uFB01' }, true],
    // substring tests
    ['"linux" in sys_platform', { sys_platform: 'linux2' }, true],
    ['python_version in "3.10 3.11"', { python_version: '3.10' }, true],
    ['python_version not in "3.10 3.11"', { python_version: '3.1' }, false],
    // literals and variables on both sides
    ['"a" == "a"', {}, true],
    ['"b" < "a"', {}, false],
    ['"3.10" > "3.9"', {}, true],
    ['os_name == os_name', {}, true],
    ['python_version < python_full_version', {}, true],
  ])('%j in %j is %s', (text, overrides, expected) => {
    expect(parseMarker(text).evaluate(env(overrides))).toBe(expected);
  });

  it('gives and precedence over or, as Python does', () => {
    const marker = parseMarker("os_name == 'a' or os_name == 'posix' and sys_platform == 'x'");
    expect(marker.evaluate(env({ os_name: 'a', sys_platform: 'linux' }))).toBe(true);
    expect(marker.evaluate(env({ os_name: 'posix', sys_platform: 'linux' }))).toBe(false);
    const grouped = parseMarker("(os_name == 'a' or os_name == 'posix') and sys_platform == 'x'");
    expect(grouped.evaluate(env({ os_name: 'a', sys_platform: 'linux' }))).toBe(false);
  });

  it.each<[string, string | undefined, boolean]>([
    ['"test" in extras', 'Test', true],
    ['"test" in extras', undefined, false],
    ['"test" not in extras', 'docs', true],
    ['extra in extras', 'docs', true],
    ['"test" in dependency_groups', 'test', false],
    ['extras == "test"', 'test', false],
    ['extras != "test"', 'test', true],
  ])('treats %j with extra %j as lock-file set membership: %s', (text, extra, expected) => {
    expect(parseMarker(text).evaluate(env(), extra)).toBe(expected);
  });
});

describe('Marker helpers', () => {
  it('lists the extras a marker mentions', () => {
    expect(parseMarker("extra == 'Test' or ('Docs' == extra and python_version < '3') or extra != 'x'").extraNames).toEqual(['test', 'docs']);
  });

  it('combines markers with and/or, keeping each side grouped', () => {
    const a = parseMarker('python_version >= "3.6" and os_name == "posix"');
    const b = parseMarker('platform_system == "Linux" or platform_system == "Darwin"');
    expect(String(a.and(b))).toBe('(python_version >= "3.6" and os_name == "posix") and (platform_system == "Linux" or platform_system == "Darwin")');
    expect(String(a.or(b))).toBe('(python_version >= "3.6" and os_name == "posix") or (platform_system == "Linux" or platform_system == "Darwin")');
    expect(a.and(b).evaluate(env({ python_version: '3.8', platform_system: 'Darwin' }))).toBe(true);
    const single = parseMarker('python_version >= "3.6"').and(parseMarker('os_name == "posix"'));
    expect(String(single)).toBe('python_version >= "3.6" and os_name == "posix"');
  });

  it('builds a marker from a tree', () => {
    const marker = new Marker({ kind: 'compare', lhs: { kind: 'variable', name: 'os_name' }, op: '==', rhs: { kind: 'value', value: 'nt' } });
    expect(String(marker)).toBe('os_name == "nt"');
    expect(marker.evaluate(env({ os_name: 'nt' }))).toBe(true);
  });

  it('memoizes parsed markers by text, blanks around them aside', () => {
    expect(parseMarker('os_name == "posix"')).toBe(parseMarker('  os_name == "posix"\t'));
  });
});
