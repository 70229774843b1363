/**
 * Robustness properties: whatever the input, parsing either succeeds or throws the typed error
 * with a span inside the input; it never throws anything else, never hangs, and what it accepts
 * prints back to something that parses to the same thing.
 */
import fc from 'fast-check';
import type { MarkerEnvironment } from './environment';
import { InvalidMarkerError, InvalidRequirementError, Pep508Error } from './errors';
import { parseMarker } from './marker';
import { parseRequirement } from './requirement';

const PIECES = [
  ' ', '\t', '[', ']', '(', ')', ',', ';', '@', '<', '>', '=', '==', '!=', '~=', '===', '>=', '*', '.*', '.', '+', '-',
  '_', "'", '"', '\\', '\n', '\r', '\0', 'a', 'Z', '0', '1', '9', 'rc1', '.post1', '.dev0', '!', 'and', 'or', 'not',
  'in', ' and ', ' or ', ' not in ', 'extra', 'extras', 'python_version', 'os.name', "'3.8'", '"linux"', 'é', '\u3000',
  '\x1c', '#', '/', ':', 'v', '1!', '\u{1F600}', '\uD800', 'http://x', '\\x41', '\\N{DASH}',
];

const noise = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 40 }), noise);

const name = fc.constantFrom('requests', 'Foo_Bar', 'a', 'zope.interface', 'x-y-z', 'pkg9');
const extras = fc.array(fc.constantFrom('security', 'Tests', 'a_b', 'c.d'), { maxLength: 3 });
const clause = fc.constantFrom('>=1.0', '<2', '==1.*', '!=1.5', '~=2.2', '===foo', '== 1.0+local', '>1.0a1', '<=3!1.0.post2.dev3');
const markerText = fc.constantFrom(
  'python_version < "3.8"',
  "extra == 'Foo'",
  "(os_name == 'nt' or sys_platform == 'darwin') and platform_machine != 'arm64'",
  '"linux" in sys_platform',
  "python_full_version >= '3.8.1' and implementation_name == 'cpython'",
  "'3.9' <= python_version or platform_release >= '5'",
);
const validRequirement = fc
  .record({
    name,
    extras,
    // `===foo` swallows a comma glued to it, so arbitrary equality goes last
    clauses: fc.array(clause, { maxLength: 3 }).map((cs) => [...cs.filter((c) => !c.startsWith('===')), ...cs.filter((c) => c.startsWith('===')).slice(0, 1)]),
    parens: fc.boolean(),
    url: fc.option(fc.constantFrom('https://example.com/p.whl', 'git+ssh://git@github.com/a/b.git@v1', 'file:///tmp/x'), { freq: 4 }),
    marker: fc.option(markerText, { freq: 2 }),
    ws: fc.constantFrom('', ' ', '\t', '  '),
  })
  .map(({ name, extras, clauses, parens, url, marker, ws }) => {
    let text = name + ws;
    if (extras.length > 0) text += `[${extras.join(`${ws},${ws}`)}]${ws}`;
    if (url !== null) text += `@${ws || ' '}${url}${marker !== null ? ' ' : ''}`;
    else if (clauses.length > 0) text += parens ? `(${clauses.join(`${ws},`)})` : clauses.join(`,${ws}`);
    if (marker !== null) text += `${ws};${ws}${marker}`;
    return text;
  });

type Edit = { at: number; remove: number; insert: string };
const edits = fc.array(
  fc.record({ at: fc.nat(), remove: fc.nat({ max: 4 }), insert: fc.oneof(fc.constantFrom(...PIECES), fc.constant('')) }),
  { minLength: 1, maxLength: 4 },
);

function mutate(text: string, changes: Edit[]): string {
  let out = text;
  for (const { at, remove, insert } of changes) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + remove);
  }
  return out;
}

/** Parses, and checks that a failure is the typed error with a sane span. */
function parsesOrFailsCleanly(parse: (text: string) => unknown, errorType: typeof Pep508Error, text: string): void {
  try {
    parse(text);
  } catch (e) {
    if (!(e instanceof errorType)) throw e;
    const { span, position, input } = e as Pep508Error;
    expect(input).toBe(text);
    expect(position).toBe(span.end);
    expect(span.start).toBeGreaterThanOrEqual(0);
    expect(span.start).toBeLessThanOrEqual(span.end);
    expect(span.end).toBeLessThanOrEqual(text.length);
    expect((e as Error).message).toContain('^');
  }
}

const ENV: MarkerEnvironment = {
  implementation_name: 'cpython',
  implementation_version: '3.11.4',
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_python_implementation: 'CPython',
  platform_release: '6.1.0',
  platform_system: 'Linux',
  platform_version: '#1 SMP',
  python_full_version: '3.11.4',
  python_version: '3.11',
  sys_platform: 'linux',
};

const RUNS = { numRuns: 3000 };

describe('fuzzing', () => {
  it('random text: parseRequirement succeeds or throws InvalidRequirementError inside the input', () => {
    fc.assert(fc.property(anyText, (text) => parsesOrFailsCleanly(parseRequirement, InvalidRequirementError, text)), RUNS);
  });

  it('random text: parseMarker succeeds or throws InvalidMarkerError inside the input', () => {
    fc.assert(fc.property(anyText, (text) => parsesOrFailsCleanly(parseMarker, InvalidMarkerError, text)), RUNS);
  });

  it('mutated valid requirements parse or fail cleanly, and what parses round-trips and evaluates', () => {
    fc.assert(
      fc.property(validRequirement, edits, fc.constantFrom(undefined, 'foo', 'tests'), (valid, changes, extra) => {
        const text = mutate(valid, changes);
        parsesOrFailsCleanly(parseRequirement, InvalidRequirementError, text);
        let req;
        try {
          req = parseRequirement(text);
        } catch {
          return;
        }
        const printed = String(req);
        const again = parseRequirement(printed);
        expect(String(again)).toBe(printed);
        expect(again.name).toBe(req.name);
        if (req.marker !== null) expect(again.marker!.evaluate(ENV, extra)).toBe(req.marker.evaluate(ENV, extra));
      }),
      RUNS,
    );
  });

  it('mutated markers parse or fail cleanly', () => {
    fc.assert(
      fc.property(markerText, edits, (valid, changes) => parsesOrFailsCleanly(parseMarker, InvalidMarkerError, mutate(valid, changes))),
      RUNS,
    );
  });

  it('valid requirements parse into their parts', () => {
    fc.assert(
      fc.property(validRequirement, (text) => {
        const req = parseRequirement(text);
        expect(String(parseRequirement(String(req)))).toBe(String(req));
        if (req.url === null) expect(req.specifier.specifiers.length).toBeLessThanOrEqual(3);
      }),
      RUNS,
    );
  });
});

describe('no catastrophic backtracking or deep recursion', () => {
  const big = 200_000;
  it.each<[string, string, (text: string) => unknown]>([
    ['a long release in a specifier', `name==${'1.'.repeat(big)}x`, parseRequirement],
    ['a long run of digits before a missing epoch mark', `name>=${'9'.repeat(big)}!`, parseRequirement],
    ['a long name ending in separators', `${'a-'.repeat(big)}-!`, parseRequirement],
    ['a long URL', `name @ http://x/${'y'.repeat(big)}`, parseRequirement],
    ['many extras', `name[${'a,'.repeat(big)}]`, parseRequirement],
    ['many clauses', `name ${'>=1,'.repeat(big / 4)}`, parseRequirement],
    ['an unterminated string', `os_name == '${'x'.repeat(big)}`, parseMarker],
    ['a long arbitrary-equality clause', `name===${'a'.repeat(big)} ;`, parseRequirement],
    ['a long and-chain', `${"os_name == 'a' and ".repeat(big / 20)}os_name == 'b'`, parseMarker],
    ['deep parentheses', `${'('.repeat(big)}os_name == 'a'${')'.repeat(big)}`, parseMarker],
    ['blanks galore', `name${' '.repeat(big)}>=1${'\t'.repeat(big)};${' '.repeat(big)}os_name == 'a'${' '.repeat(big)}`, parseRequirement],
  ])('%s', (_, text, parse) => {
    // Either parses or fails with the typed error; a blow-up would hang until Jest's timeout.
    try {
      parse(text);
    } catch (e) {
      expect(e).toBeInstanceOf(Pep508Error);
    }
  });
});
