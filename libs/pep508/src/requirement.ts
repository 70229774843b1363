/**
 * PEP 508 dependency specifiers ("Grammar"): `name[extra1, extra2] (>=1.0, <2) ; marker` or
 * `name[extras] @ url ; marker`, parsed as pypa/packaging's `_parser.py` does, with its error
 * messages and positions:
 *
 *     requirement         = WS? IDENTIFIER WS? extras WS? requirement_details END
 *     extras              = ('[' WS? (IDENTIFIER (WS? ',' WS? IDENTIFIER)*)? WS? ']')?
 *     requirement_details = '@' WS? URL (WS (';' marker WS?)?)?
 *                         | specifier WS? (';' marker WS?)?
 *     specifier           = '(' WS? version_many WS? ')' | WS? version_many WS?
 *     version_many        = (SPECIFIER (WS? ',' WS? SPECIFIER)*)?
 *
 * Surprises, all packaging's: a URL runs to the next space, so `name @ http://x/; extra == "a"`
 * needs a space before `;`; the parentheses around specifiers are optional and may be empty
 * (`name()`); `name_` is a valid name but `name-` is not; names, URLs and markers are not
 * otherwise validated. The one departure: an empty arbitrary-equality clause (`name===`),
 * which packaging accepts and which can never match, is rejected.
 */
import { Specifier, SpecifierSet } from '@venvfarm/pep440';
import { BoundedCache } from './bounded-cache';
import { InvalidRequirementError } from './errors';
import { Marker, rememberedMarker, rememberMarker } from './marker';
import { parseMarkerNode } from './marker-parser';
import { asProjectName, normalizeName, ProjectName } from './name';
import { PY_SPACE, Token, Tokenizer } from './tokenizer';

/** A parsed dependency specifier. Immutable. */
export class Requirement {
  constructor(
    /** The PEP 503 normalized project name: `foo-bar`. */
    readonly name: ProjectName,
    /** The name as written: `Foo_Bar`. */
    readonly rawName: string,
    /** The requested extras, PEP 685-normalized, without duplicates, sorted. */
    readonly extras: readonly string[],
    /** The same extras as written (first spelling of each), in the order of {@link Requirement.extras}. */
    readonly rawExtras: readonly string[],
    /** The version clauses (empty for "any version", and always for a URL requirement). */
    readonly specifier: SpecifierSet,
    /** The environment marker after `;`, or null. */
    readonly marker: Marker | null,
    /** The direct reference after `@`, as written, or null. */
    readonly url: string | null,
  ) {}

  /**
   * Canonical text that parses back to an equal requirement, packaging's format:
   * `Foo[bar,baz]>=1.0,<2; extra == "x"`. Names and extras print as written, since a normalized
   * extra need not be a valid identifier (`a_` normalizes to `a-`).
   */
  toString(): string {
    let text = this.rawName;
    if (this.rawExtras.length > 0) text += `[${this.rawExtras.join(',')}]`;
    // An arbitrary-equality version runs to the next blank, so it needs one before a comma.
    this.specifier.specifiers.forEach((clause, i) => {
      if (i > 0) text += this.specifier.specifiers[i - 1].operator === '===' ? ' ,' : ',';
      text += clause.toString();
    });
    if (this.url !== null) text += ` @ ${this.url}${this.marker !== null ? ' ' : ''}`;
    if (this.marker !== null) text += `; ${this.marker}`;
    return text;
  }
}

const requirements = new BoundedCache<string, Requirement>(16384);
const clauses = new BoundedCache<string, Specifier>(16384);
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`);

/**
 * Parses a PEP 508 dependency specifier.
 * @throws InvalidRequirementError with the position where parsing stopped.
 */
export function parseRequirement(text: string): Requirement {
  const known = requirements.get(text);
  if (known !== undefined) return known;
  const tokenizer = new Tokenizer(text, (reason, span) => new InvalidRequirementError(reason, text, span));
  const requirement = parse(tokenizer);
  requirements.set(text, requirement);
  return requirement;
}

function parse(t: Tokenizer): Requirement {
  t.consume('WS');
  const rawName = t.expect('IDENTIFIER', 'package name at the start of dependency specifier').text;
  t.consume('WS');
  const extras = parseExtras(t);
  t.consume('WS');

  let url: string | null = null;
  let specifiers: Specifier[] = [];
  let marker: Marker | null = null;
  if (t.check('AT')) {
    t.read();
    t.consume('WS');
    const urlStart = t.position;
    url = t.expect('URL', 'URL after @').text;
    if (!t.check('END', true)) {
      t.expect('WS', 'whitespace after URL');
      if (!t.check('END', true)) marker = parseRequirementMarker(t, urlStart, 'semicolon (after URL and whitespace)');
    }
  } else {
    const specifierStart = t.position;
    specifiers = t.enclosed('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'version specifier', () => {
      t.consume('WS');
      const parsed = parseVersionMany(t);
      t.consume('WS');
      return parsed;
    });
    t.consume('WS');
    if (!t.check('END', true)) {
      const expected =
        specifiers.length > 0
          ? 'comma (within version specifier), semicolon (after version specifier)'
          : 'semicolon (after name with no version specifier)';
      marker = parseRequirementMarker(t, specifierStart, expected);
    }
  }
  t.expect('END', 'end of dependency specifier');

  const byName = new Map<string, string>();
  for (const extra of extras) {
    const normalized = normalizeName(extra);
    if (!byName.has(normalized)) byName.set(normalized, extra);
  }
  const normalizedExtras = [...byName.keys()].sort();
  const rawExtras = normalizedExtras.map((extra) => byName.get(extra)!);
  return new Requirement(
    asProjectName(rawName),
    rawName,
    Object.freeze(normalizedExtras),
    Object.freeze(rawExtras),
    SpecifierSet.of(specifiers),
    marker,
    url,
  );
}

function parseExtras(t: Tokenizer): string[] {
  if (!t.check('LEFT_BRACKET', true)) return [];
  return t.enclosed('LEFT_BRACKET', 'RIGHT_BRACKET', 'extras', () => {
    t.consume('WS');
    const extras: string[] = [];
    if (t.check('IDENTIFIER')) {
      extras.push(t.read().text);
      for (;;) {
        t.consume('WS');
        if (t.check('IDENTIFIER', true)) t.fail('Expected comma between extra names');
        if (!t.check('COMMA')) break;
        t.read();
        t.consume('WS');
        extras.push(t.expect('IDENTIFIER', 'extra name after comma').text);
      }
    }
    t.consume('WS');
    return extras;
  });
}

function parseVersionMany(t: Tokenizer): Specifier[] {
  const specifiers: Specifier[] = [];
  while (t.check('SPECIFIER')) {
    const token = t.read();
    if (t.check('VERSION_PREFIX_TRAIL', true)) {
      const reason =
        token.text.startsWith('==') || token.text.startsWith('!=')
          ? '.* suffix cannot be used after pre-release, post-release, developmental release, or local version labels'
          : '.* suffix can only be used with `==` or `!=` operators';
      t.fail(reason, token.position, t.position + 1);
    }
    if (t.check('VERSION_LOCAL_LABEL_TRAIL', true)) {
      t.fail('Local version label can only be used with `==` or `!=` operators', token.position);
    }
    specifiers.push(toSpecifier(t, token));
    t.consume('WS');
    if (!t.check('COMMA')) break;
    t.read();
    t.consume('WS');
  }
  return specifiers;
}

/** Turns a SPECIFIER token (`>= 1.0`) into a clause, dropping the blank after the operator. */
function toSpecifier(t: Tokenizer, token: Token): Specifier {
  const text = token.text;
  const operator = text.startsWith('===') ? 3 : text[1] === '=' ? 2 : 1;
  const clause = text.slice(0, operator) + text.slice(operator).replace(LEADING_SPACE, '');
  let specifier = clauses.get(clause);
  if (specifier === undefined) {
    try {
      specifier = Specifier.parse(clause);
    } catch (e) {
      const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return t.fail(`Invalid version specifier: ${reason}`, token.position, token.position + text.length);
    }
    clauses.set(clause, specifier);
  }
  return specifier;
}

/** `';' marker WS?`, reusing a marker already parsed from the same text. */
function parseRequirementMarker(t: Tokenizer, spanStart: number, expected: string): Marker {
  if (!t.check('SEMICOLON')) t.fail(`Expected ${expected} or end`, spanStart);
  t.read();
  const text = t.source.slice(t.position);
  const known = rememberedMarker(text);
  if (known !== undefined) {
    t.position = t.source.length;
    return known;
  }
  const root = parseMarkerNode(t);
  t.consume('WS');
  t.expect('END', 'end of dependency specifier');
  const marker = new Marker(root);
  rememberMarker(text, marker);
  return marker;
}
