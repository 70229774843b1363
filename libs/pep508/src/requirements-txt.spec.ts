import { InvalidRequirementsTxtError, logicalLines, parseRequirementsTxt } from './requirements-txt';

describe('parseRequirementsTxt', () => {
  it('reads requirements with comments, continuations, hashes and markers, keeping line numbers', () => {
    const parsed = parseRequirementsTxt(
      ['# a comment', '', 'Django>=4,<5  # inline', 'requests[socks] \\', '  >=2.7 ; python_version >= "3.8"', 'six==1.16.0 --hash=sha256:abc --hash=sha256:def'].join('\n'),
    );
    expect(parsed.requirements.map((r) => [r.line, r.requirement.name, r.requirement.specifier.toString()])).toEqual([
      [3, 'django', '>=4,<5'],
      [4, 'requests', '>=2.7'],
      [6, 'six', '==1.16.0'],
    ]);
    expect(parsed.requirements[1].requirement.extras).toEqual(['socks']);
    expect(parsed.requirements[1].requirement.marker?.toString()).toBe('python_version >= "3.8"');
  });

  it('honours --pre, --only-binary and --no-binary and reports index options as ignored', () => {
    const parsed = parseRequirementsTxt('--pre\n--only-binary=:all:\n--no-binary Foo_Bar,baz\n-i http://127.0.0.1/simple\n--extra-index-url http://127.0.0.1/x\nflask');
    expect(parsed).toMatchObject({ pre: true, onlyBinary: [':all:'], noBinary: ['foo-bar', 'baz'] });
    expect(parsed.ignored.map((l) => l.line)).toEqual([4, 5]);
    expect(parseRequirementsTxt('--only-binary :all:\n--only-binary :none:\n--only-binary numpy').onlyBinary).toEqual(['numpy']);
  });

  it.each([
    ['-r other.txt', 1, 'references another file', 0],
    ['flask\n-c constraints.txt', 2, 'constraints file', 0],
    ['-e .', 1, 'editable', 0],
    ['--frobnicate', 1, 'unknown option --frobnicate', 0],
    ['--only-binary', 1, '--only-binary needs a value', 13],
    ['flask --install-option=x', 1, 'per-requirement option --install-option', 6],
    ['ok\n\ndjango>=4,<<5', 3, 'line 3', 10],
  ])('rejects %j at line %i naming %s', (text, line, reason, position) => {
    let error: unknown;
    try {
      parseRequirementsTxt(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRequirementsTxtError);
    const e = error as InvalidRequirementsTxtError;
    expect(e.line).toBe(line);
    expect(e.message).toContain(reason);
    expect(e.position).toBe(position);
  });

  it('splits logical lines like pip: a # inside a token is not a comment', () => {
    expect(logicalLines('a#b\nc # d\n  \\\ne')).toEqual([
      { line: 1, text: 'a#b' },
      { line: 2, text: 'c' },
      { line: 3, text: 'e' },
    ]);
  });
});
