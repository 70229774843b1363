/**
 * The context-sensitive tokenizer of PEP 508 dependency specifiers, after pypa/packaging's
 * `_tokenizer.py`: the parser asks "is the next token an X?" at the current position, so the
 * same character can be part of a URL, a version or an identifier depending on where it is.
 *
 * Each rule reproduces packaging's regular expression, including Python's notion of a word
 * character (`\b` is Unicode-aware in Python) and of whitespace (`\s` includes U+001C..U+001F
 * and U+0085). Every rule runs in time linear in what it examines, so no input can make the
 * tokenizer backtrack catastrophically.
 */
import { Pep508Error, Span } from './errors';

/** Names of the tokens, as packaging spells them (they appear in error messages). */
export type TokenName =
  | 'LEFT_PARENTHESIS'
  | 'RIGHT_PARENTHESIS'
  | 'LEFT_BRACKET'
  | 'RIGHT_BRACKET'
  | 'SEMICOLON'
  | 'COMMA'
  | 'QUOTED_STRING'
  | 'OP'
  | 'BOOLOP'
  | 'IN'
  | 'NOT'
  | 'VARIABLE'
  | 'SPECIFIER'
  | 'AT'
  | 'URL'
  | 'IDENTIFIER'
  | 'VERSION_PREFIX_TRAIL'
  | 'VERSION_LOCAL_LABEL_TRAIL'
  | 'WS'
  | 'END';

/** A token read from the source. */
export interface Token {
  readonly name: TokenName;
  readonly text: string;
  readonly position: number;
}

/** Builds the typed error a parse failure turns into (requirement or marker). */
export type ErrorFactory = (reason: string, span: Span) => Pep508Error;

/** Answers the length of the token starting at `at`, or -1 when the rule does not match. */
type Rule = (source: string, at: number) => number;

/** Python's `\s` for str patterns, as a character class body. */
export const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/**
 * Marker variable spellings packaging accepts: PEP 508 names, PEP 345 dotted names,
 * setuptools' `python_implementation`, and the set-valued `extras` and `dependency_groups` of
 * PEP 751 lock files.
 */
export const VARIABLE_SPELLINGS: readonly string[] = [
  'python_version',
  'python_full_version',
  'os_name',
  'os.name',
  'sys_platform',
  'sys.platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform.version',
  'platform_machine',
  'platform.machine',
  'platform_python_implementation',
  'platform.python_implementation',
  'python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
  'extras',
  'dependency_groups',
];

const WORD = /[\p{L}\p{N}_]/u;

/** Python's `\w` (Unicode letters, numbers, underscore) for the code point starting at `i`. */
function isWordAt(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 128) return isAsciiWord(c);
  return WORD.test(String.fromCodePoint(s.codePointAt(i)!));
}

/** Python's `\w` for the code point ending just before `i`. */
function isWordBefore(s: string, i: number): boolean {
  if (i <= 0) return false;
  const c = s.charCodeAt(i - 1);
  if (c < 128) return isAsciiWord(c);
  let start = i - 1;
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const high = s.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) start = i - 2;
  }
  return WORD.test(String.fromCodePoint(s.codePointAt(start)!));
}

function isAsciiWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function char(ch: string): Rule {
  return (s, at) => (s[at] === ch ? 1 : -1);
}

/** `\b(word1|word2|…)\b` for words made of word characters. */
function keyword(words: readonly string[]): Rule {
  return (s, at) => {
    if (isWordBefore(s, at)) return -1;
    for (const w of words) {
      if (s.startsWith(w, at) && !isWordAt(s, at + w.length)) return w.length;
    }
    return -1;
  };
}

/** A sticky regular expression, anchored at the position. */
function pattern(re: RegExp): Rule {
  return (s, at) => {
    re.lastIndex = at;
    const m = re.exec(s);
    return m === null ? -1 : m[0].length;
  };
}

/** `'[^']*'|"[^"]*"`: no escapes of the quote itself; backslashes are decoded later. */
const quotedString: Rule = (s, at) => {
  const q = s[at];
  if (q !== "'" && q !== '"') return -1;
  const end = s.indexOf(q, at + 1);
  return end < 0 ? -1 : end - at + 1;
};

const OPERATORS = ['===', '==', '~=', '!=', '<=', '>=', '<', '>'];

const op: Rule = (s, at) => {
  for (const o of OPERATORS) if (s.startsWith(o, at)) return o.length;
  return -1;
};

/** `[^ \t]+`: a URL runs to the next space or tab, semicolons included. */
const url: Rule = (s, at) => {
  let i = at;
  while (i < s.length && s[i] !== ' ' && s[i] !== '\t') i++;
  return i > at ? i - at : -1;
};

/**
 * `\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b`: the greedy run, then back off until a word boundary, so a
 * name never ends in `.` or `-` before another non-word character (but may end in `_`).
 */
const identifier: Rule = (s, at) => {
  if (at >= s.length || !isAsciiAlnum(s.charCodeAt(at)) || isWordBefore(s, at)) return -1;
  let end = at + 1;
  while (end < s.length) {
    const c = s.charCodeAt(end);
    if (!(isAsciiAlnum(c) || c === 46 || c === 95 || c === 45)) break;
    end++;
  }
  for (let k = end; k > at; k--) {
    if (isWordBefore(s, k) !== isWordAt(s, k)) return k - at;
  }
  return -1;
};

const ws: Rule = (s, at) => {
  let i = at;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i > at ? i - at : -1;
};

// packaging's Specifier._specifier_regex_str (IGNORECASE), with Python's whitespace class.
const S = `[${PY_SPACE}]*`;
const PRE = '(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?';
const POST = '(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?';
const DEV = '(?:[-_.]?dev[-_.]?[0-9]*)?';
const LOCAL = '(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?';
const EPOCH_RELEASE = 'v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*';
/** One specifier clause as the tokenizer sees it; exported for tests and the requirement parser. */
export const SPECIFIER_PATTERN = new RegExp(
  [
    `===${S}[^${PY_SPACE};)]*`,
    `(?:==|!=)${S}${EPOCH_RELEASE}(?:\\.\\*|${PRE}${POST}${DEV}${LOCAL})?`,
    `~=${S}v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV}`,
    `(?:<=|>=|<|>)${S}${EPOCH_RELEASE}${PRE}${POST}${DEV}`,
  ].join('|'),
  'iy',
);

const RULES: Record<TokenName, Rule> = {
  LEFT_PARENTHESIS: char('('),
  RIGHT_PARENTHESIS: char(')'),
  LEFT_BRACKET: char('['),
  RIGHT_BRACKET: char(']'),
  SEMICOLON: char(';'),
  COMMA: char(','),
  QUOTED_STRING: quotedString,
  OP: op,
  BOOLOP: keyword(['or', 'and']),
  IN: keyword(['in']),
  NOT: keyword(['not']),
  VARIABLE: keyword(VARIABLE_SPELLINGS),
  SPECIFIER: pattern(SPECIFIER_PATTERN),
  AT: char('@'),
  URL: url,
  IDENTIFIER: identifier,
  VERSION_PREFIX_TRAIL: (s, at) => (s.startsWith('.*', at) ? 2 : -1),
  VERSION_LOCAL_LABEL_TRAIL: pattern(/\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/y),
  WS: ws,
  END: (s, at) => (at === s.length ? 0 : -1),
};

/**
 * A cursor over the source that answers whether a given token comes next. Same protocol as
 * packaging: `check` (and remember), `read`, `consume` (optional token), `expect` (mandatory).
 */
export class Tokenizer {
  /** Offset of the next unread character. */
  position = 0;
  private next: Token | null = null;

  constructor(
    readonly source: string,
    private readonly error: ErrorFactory,
  ) {}

  /** Whether the next token is `name`; unless `peek`, the token is then ready to `read`. */
  check(name: TokenName, peek = false): boolean {
    const length = RULES[name](this.source, this.position);
    if (length < 0) return false;
    if (!peek) this.next = { name, text: this.source.slice(this.position, this.position + length), position: this.position };
    return true;
  }

  /** Reads the token found by the last successful `check`. */
  read(): Token {
    const token = this.next!;
    this.position += token.text.length;
    this.next = null;
    return token;
  }

  /** Skips a `name` token if there is one. */
  consume(name: TokenName): void {
    if (this.check(name)) this.read();
  }

  /** Reads a `name` token or fails with "Expected {expected}". */
  expect(name: TokenName, expected: string): Token {
    if (!this.check(name)) this.fail(`Expected ${expected}`);
    return this.read();
  }

  /** Throws the typed error for the span `[start, end)`, both defaulting to the position. */
  fail(reason: string, start = this.position, end = this.position): never {
    throw this.error(reason, { start, end });
  }

  /**
   * Runs `body` between an optional `open` token and its matching `close` token; when `open`
   * was present and `close` is missing, fails with the span from the opening token.
   */
  enclosed<T>(open: TokenName, close: TokenName, around: string, body: () => T): T {
    let openedAt = -1;
    if (this.check(open)) {
      openedAt = this.position;
      this.read();
    }
    const result = body();
    if (openedAt >= 0) {
      if (!this.check(close)) this.fail(`Expected matching ${close} for ${open}, after ${around}`, openedAt);
      this.read();
    }
    return result;
  }
}
