import { InvalidRequirementError } from './errors';
import { parseMarker } from './marker';
import { parseRequirement } from './requirement';

interface Parts {
  name: string;
  extras?: string[];
  specifier?: string;
  url?: string | null;
  marker?: string | null;
}

function parts(text: string): Required<Parts> {
  const req = parseRequirement(text);
  return {
    name: req.rawName,
    extras: [...req.extras],
    specifier: req.specifier.toString(),
    url: req.url,
    marker: req.marker === null ? null : req.marker.toString(),
  };
}

const p = (x: Parts): Required<Parts> => ({ extras: [], specifier: '', url: null, marker: null, ...x });

describe('parseRequirement: valid specifiers (packaging test_requirements.py and friends)', () => {
  it.each<[string, Parts]>([
    ['A', { name: 'A' }],
    ['aa', { name: 'aa' }],
    ['foo-bar.quux_baz', { name: 'foo-bar.quux_baz' }],
    ['name>=3', { name: 'name', specifier: '>=3' }],
    ['name (==4)', { name: 'name', specifier: '==4' }],
    ['name>=3,<2', { name: 'name', specifier: '>=3,<2' }],
    ['name >=2, <3', { name: 'name', specifier: '>=2,<3' }],
    ['foobar [quux,bar]', { name: 'foobar', extras: ['bar', 'quux'] }],
    ['foo[]', { name: 'foo' }],
    ['name()', { name: 'name' }],
    ['name[quux, strange];python_version<\'2.7\' and platform_version==\'2\'', {
      name: 'name',
      extras: ['quux', 'strange'],
      marker: 'python_version < "2.7" and platform_version == "2"',
    }],
    ["name; os_name=='a' and os_name=='b' or os_name=='c'", {
      name: 'name',
      marker: 'os_name == "a" and os_name == "b" or os_name == "c"',
    }],
    ['name [fred,bar] @ http://foo.com ; python_version==\'2.7\'', {
      name: 'name',
      extras: ['bar', 'fred'],
      url: 'http://foo.com',
      marker: 'python_version == "2.7"',
    }],
    ["foo @ https://example.com/name;v=1.1/?query=foo&bar=baz#blah ; python_version=='3.4'", {
      name: 'foo',
      url: 'https://example.com/name;v=1.1/?query=foo&bar=baz#blah',
      marker: 'python_version == "3.4"',
    }],
    ['name @ file:///absolute/path', { name: 'name', url: 'file:///absolute/path' }],
    ['name @ file://.', { name: 'name', url: 'file://.' }],
    ['name @ gopher:/foo/com', { name: 'name', url: 'gopher:/foo/com' }],
    ['name@http://x', { name: 'name', url: 'http://x' }],
    ['name @ git+https://git.example.com/MyProject.git@v1.0', { name: 'name', url: 'git+https://git.example.com/MyProject.git@v1.0' }],
    ['name @ http://x ', { name: 'name', url: 'http://x' }],
    // The brief's tricky one: extras with blanks, parenthesized clauses, a marker with an extra.
    [`name[extra1, extra2] (>=1.0, <2) ; python_version < "3.8" and extra == 'foo'`, {
      name: 'name',
      extras: ['extra1', 'extra2'],
      specifier: '>=1.0,<2',
      marker: 'python_version < "3.8" and extra == "foo"',
    }],
    ['name ===arbitrary', { name: 'name', specifier: '===arbitrary' }],
    ['name ( === arbitrary )', { name: 'name', specifier: '===arbitrary' }],
    ['name== 1.0.*', { name: 'name', specifier: '==1.0.*' }],
    ['name==1.0-alpha', { name: 'name', specifier: '==1.0a0' }],
    ['name<=1!3.0.0.rc2', { name: 'name', specifier: '<=1!3.0.0rc2' }],
    ['name>=\x1c1.0', { name: 'name', specifier: '>=1.0' }],
    ['name\t>=1\t;\tos_name==\'nt\'', { name: 'name', specifier: '>=1', marker: 'os_name == "nt"' }],
    ['  name  ', { name: 'name' }],
    ['name_', { name: 'name_' }],
    ['name[A,B, a]', { name: 'name', extras: ['a', 'b'] }],
    ['name[Foo_Bar]', { name: 'name', extras: ['foo-bar'] }],
    ["name; '3.8' <= python_version", { name: 'name', marker: '"3.8" <= python_version' }],
    ["name; os.name == 'nt'", { name: 'name', marker: 'os_name == "nt"' }],
    ["name; python_implementation == 'CPython'", { name: 'name', marker: 'platform_python_implementation == "CPython"' }],
    ['mariadb>=1.0.1; extra == "mariadb_connector"', { name: 'mariadb', specifier: '>=1.0.1', marker: 'extra == "mariadb-connector"' }],
  ])('%j', (text, expected) => {
    expect(parts(text)).toEqual(p(expected));
  });

  it('normalizes the name and keeps it as written', () => {
    const req = parseRequirement('Foo.Bar__baz>=1');
    expect(req.name).toBe('foo-bar-baz');
    expect(req.rawName).toBe('Foo.Bar__baz');
  });

  it.each(['package', 'pAcKaGe', 'foo-bar.quux_bAz', 'android12'])('accepts %s with every kind of blank between the parts', (name) => {
    for (const ws of ['', ' ', '\t']) {
      const text = [name, '[', `a${ws},${ws}b`, ']', `(${ws}>${ws}2.2${ws},${ws}<${ws}3${ws})`, ';', `python_version${ws}>=${ws}'3.3'`].join(ws);
      expect(parts(text)).toEqual(p({ name, extras: ['a', 'b'], specifier: '>2.2,<3', marker: 'python_version >= "3.3"' }));
    }
  });
});

describe('parseRequirement: errors carry packaging message, span and caret', () => {
  it.each<[string, string, number]>([
    ['', 'Expected package name at the start of dependency specifier\n    \n    ^', 0],
    ['==0.0', 'Expected package name at the start of dependency specifier\n    ==0.0\n    ^', 0],
    ['name[bar baz]', 'Expected comma between extra names\n    name[bar baz]\n             ^', 9],
    ['name[bar, baz,]', 'Expected extra name after comma\n    name[bar, baz,]\n                  ^', 14],
    [
      'name (>= 1.0',
      'Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier\n    name (>= 1.0\n         ~~~~~~~^',
      12,
    ],
    [
      "black (>=20.*) ; extra == 'format'",
      ".* suffix can only be used with `==` or `!=` operators\n    black (>=20.*) ; extra == 'format'\n           ~~~~~^",
      12,
    ],
    [
      'name==1.0a1.*',
      '.* suffix cannot be used after pre-release, post-release, developmental release, or local version labels\n    name==1.0a1.*\n        ~~~~~~~~^',
      12,
    ],
    [
      'name >= 1.0+local.version.label',
      'Local version label can only be used with `==` or `!=` operators\n    name >= 1.0+local.version.label\n         ~~~~~~^',
      11,
    ],
    [
      'name ~= 1.0+local.version.label',
      'Local version label can only be used with `==` or `!=` operators\n    name ~= 1.0+local.version.label\n         ~~~~~~^',
      11,
    ],
    [
      'name[bar, baz >= 1.0',
      'Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras\n    name[bar, baz >= 1.0\n        ~~~~~~~~~~^',
      14,
    ],
    ['name[bar, baz', 'Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras\n    name[bar, baz\n        ~~~~~~~~~^', 13],
    [
      "name @ https://example.com/; extra == 'example'",
      "Expected semicolon (after URL and whitespace) or end\n    name @ https://example.com/; extra == 'example'\n           ~~~~~~~~~~~~~~~~~~~~~~^",
      29,
    ],
    [
      "name; (extra == 'example'",
      "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker expression\n    name; (extra == 'example'\n          ~~~~~~~~~~~~~~~~~~~^",
      25,
    ],
    ['name @ ', 'Expected URL after @\n    name @ \n           ^', 7],
    ['name; invalid_name', 'Expected a marker variable or quoted string\n    name; invalid_name\n          ^', 6],
    ["name; '3.7' <= invalid_name", "Expected a marker variable or quoted string\n    name; '3.7' <= invalid_name\n                   ^", 15],
    [
      "name; '3.7' notin python_version",
      "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in\n    name; '3.7' notin python_version\n                ^",
      12,
    ],
    [
      "name; '3.6'inpython_version",
      "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in\n    name; '3.6'inpython_version\n               ^",
      11,
    ],
    ["name; '3.7' not python_version", "Expected 'in' after 'not'\n    name; '3.7' not python_version\n                    ^", 16],
    [
      "name; '3.7' ~ python_version",
      "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in\n    name; '3.7' ~ python_version\n                ^",
      12,
    ],
    [
      'name==1.0.org1',
      'Expected comma (within version specifier), semicolon (after version specifier) or end\n    name==1.0.org1\n        ~~~~~^',
      9,
    ],
    ['name==', 'Expected semicolon (after name with no version specifier) or end\n    name==\n        ^', 4],
    ['name 1.0', 'Expected semicolon (after name with no version specifier) or end\n    name 1.0\n         ^', 5],
    [
      'name >= 1.0 #',
      'Expected comma (within version specifier), semicolon (after version specifier) or end\n    name >= 1.0 #\n         ~~~~~~~^',
      12,
    ],
    [
      'name >= 1.0 <= 2.0',
      'Expected comma (within version specifier), semicolon (after version specifier) or end\n    name >= 1.0 <= 2.0\n         ~~~~~~~^',
      12,
    ],
    ['foo!', 'Expected semicolon (after name with no version specifier) or end\n    foo!\n       ^', 3],
    ['name-', 'Expected semicolon (after name with no version specifier) or end\n    name-\n        ^', 4],
    ['name\n', 'Expected semicolon (after name with no version specifier) or end\n    name\n\n        ^', 4],
    ['name; os_name == "C:\\"', 'Invalid quoted string\n    name; os_name == "C:\\"\n                     ~~~~~^', 22],
    ["name; os_name == 'a' ; os_name == 'b'", "Expected end of dependency specifier\n    name; os_name == 'a' ; os_name == 'b'\n                         ^", 21],
    ['name (>=1) @ http://x', 'Expected comma (within version specifier), semicolon (after version specifier) or end\n    name (>=1) @ http://x\n         ~~~~~~^', 11],
  ])('%j', (text, message, position) => {
    let error: unknown;
    try {
      parseRequirement(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRequirementError);
    const e = error as InvalidRequirementError;
    expect(e.message).toBe(message);
    expect(e.position).toBe(position);
    expect(e.input).toBe(text);
    expect(e.name).toBe('InvalidRequirementError');
  });

  it('reports the clause pep440 cannot accept', () => {
    expect(() => parseRequirement('name===')).toThrow(InvalidRequirementError);
  });
});

describe('Requirement.toString', () => {
  it.each(
    ['', ' @ https://url ', '!=2.0', '==2.*'].flatMap((urlOrSpecifier) =>
      ['', '[a]', '[a,b]', '[a1,b1,b2]'].flatMap((extras) =>
        ['', '; python_version == "3.11"', '; "3." not in python_version'].map((marker) => `name${extras}${urlOrSpecifier}${marker}`),
      ),
    ),
  )('prints %j as written', (text) => {
    expect(String(parseRequirement(text))).toBe(text.trim());
  });

  it.each([
    ['packaging>20.1', 'packaging>20.1'],
    ['requests[security, tests]>=2.8.1,==2.8.*;python_version<"2.7"', 'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"'],
    ['importlib-metadata; python_version<"3.8"', "importlib-metadata; python_version<'3.8'"],
    ['appdirs>=1.4.4,<2; os_name=="posix" and extra=="testing"', "appdirs>=1.4.4,<2; os_name == 'posix' and extra == 'testing'"],
  ])('prints equal requirements equally: %j', (a, b) => {
    expect(String(parseRequirement(a))).toBe(String(parseRequirement(b)));
  });

  it('normalizes versions and markers, keeps names and extras as written', () => {
    const req = parseRequirement('Foo_Bar [Test_X, docs, test.x] (>= 1.0.0-alpha) ; extra == "Test_X"');
    expect(String(req)).toBe('Foo_Bar[docs,Test_X]>=1.0.0a0; extra == "test-x"');
    expect(req.extras).toEqual(['docs', 'test-x']);
    expect(req.rawExtras).toEqual(['docs', 'Test_X']);
  });

  it('prints extras that normalize to invalid names readably', () => {
    expect(String(parseRequirement('name[a_]'))).toBe('name[a_]');
  });

  it('keeps a blank between an arbitrary-equality clause and the next comma', () => {
    const req = parseRequirement('name ===foo , >=1.0');
    expect(String(req)).toBe('name===foo ,>=1.0');
    expect(String(parseRequirement(String(req)))).toBe('name===foo ,>=1.0');
  });
});

describe('memoization', () => {
  it('answers the same object for the same text', () => {
    expect(parseRequirement('requests>=2.0')).toBe(parseRequirement('requests>=2.0'));
  });

  it('shares markers between requirements and parseMarker', () => {
    const marker = parseMarker('python_version < "3.8"');
    expect(parseRequirement('a; python_version < "3.8"').marker).toBe(marker);
    expect(parseRequirement('b >= 1 ; python_version < "3.8"').marker).toBe(marker);
  });

  it('still reports errors in the requirement when the marker text is known', () => {
    parseMarker('os_name == "nt"');
    expect(() => parseRequirement('a; os_name == "nt"; more')).toThrow(InvalidRequirementError);
    expect(() => parseRequirement('a @ http://x; os_name == "nt"')).toThrow('Expected semicolon (after URL and whitespace) or end');
  });
});
