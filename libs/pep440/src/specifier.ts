/**
 * One PEP 440 version specifier clause (`>=1.0`, `==1.*`, `~=2.2`, `!=1.5.*`, `===foo`) and
 * whether a version satisfies it ("Version specifiers", PEP 440).
 *
 * Surprises, all as PEP 440 and pypa/packaging (>= 26, whose reading we follow) define them:
 * - `<V` excludes the pre-releases of V itself unless V is a pre-release: `<1.0` rejects
 *   `1.0a1` and `1.0.dev0`; `<1.0.post1` rejects `1.0.post1.dev0` but admits `1.0a1`.
 * - `>V` excludes V's post-releases and local versions unless V is a post or dev release:
 *   `>1.0` rejects `1.0.post1` and `1.0+local`; `>1.0a1` rejects `1.0a1.post1`, admits `1.0.post1`.
 *   So every clause is one contiguous span of versions (or two, for `!=`).
 * - `==V` and `<=`/`>=` ignore the candidate's local label unless V has one.
 * - `==1.0.*` pads the candidate's release with zeros (`1` matches) and ignores its suffixes.
 * - `===` is a case-insensitive string comparison with the normalized candidate.
 */
import { InvalidSpecifierError } from './errors';
import { compareInt, compareVersions, Int, Version } from './version';

/** A comparison operator of PEP 440. */
export type Operator = '==' | '!=' | '<=' | '>=' | '<' | '>' | '~=' | '===';

const OPERATORS: readonly Operator[] = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'];
const WILDCARD_BASE = /^v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*$/i;

/** Options of a membership test. */
export interface ContainsOptions {
  /**
   * Whether pre-releases may match. Undefined: only when the specifier names one explicitly
   * (packaging's default). `true` gives the raw PEP 440 match.
   */
  prereleases?: boolean;
}

/** One parsed clause. Immutable. */
export class Specifier {
  private constructor(
    /** The operator. */
    readonly operator: Operator,
    /** The version as written (without a trailing `.*`). */
    readonly version: string,
    /** True for the prefix forms `==V.*` and `!=V.*`. */
    readonly wildcard: boolean,
    /** The parsed version; `null` only for an `===` operand that is not a PEP 440 version. */
    readonly parsed: Version | null,
  ) {}

  /**
   * Parses one clause. `offset` is added to error positions so that a caller parsing a larger
   * string (a specifier set, a requirement) reports positions in its own input.
   * @throws InvalidSpecifierError
   */
  static parse(text: string, offset = 0, whole: string = text): Specifier {
    const fail = (reason: string, at: number): never => {
      throw new InvalidSpecifierError(reason, whole, offset + at);
    };
    let i = 0;
    while (i < text.length && /\s/.test(text[i])) i++;
    const operator = OPERATORS.find((op) => text.startsWith(op, i));
    if (operator === undefined) fail(`Expected a version operator (==, !=, <=, >=, <, >, ~=, ===) in '${text.trim()}'`, i);
    const op = operator as Operator;
    i += op.length;
    while (i < text.length && /\s/.test(text[i])) i++;
    const start = i;
    const rest = text.slice(start).trimEnd();
    if (rest.length === 0) fail(`Expected a version after '${op}'`, start);
    if (op === '===') {
      const bad = rest.search(/[\s;)]/);
      if (bad >= 0) fail(`Unexpected character in arbitrary version '${rest}'`, start + bad);
      return new Specifier(op, rest, false, Version.tryParse(rest));
    }
    let wildcard = false;
    let body = rest;
    if (rest.endsWith('.*')) {
      body = rest.slice(0, -2);
      if (op !== '==' && op !== '!=') fail(`The prefix match '.*' is only allowed with == and !=`, start + body.length);
      if (!WILDCARD_BASE.test(body)) fail(`The prefix match '.*' may only follow a release such as 1.2`, start + Math.max(0, firstNonRelease(body)));
      wildcard = true;
    }
    let parsed: Version;
    try {
      parsed = Version.parse(body);
    } catch (e) {
      const at = e instanceof Error && 'position' in e ? (e as { position: number }).position : 0;
      return fail(`Invalid version '${body}' in specifier`, start + at);
    }
    if (parsed.local !== null && op !== '==' && op !== '!=') {
      fail(`A local version label is not allowed with '${op}'`, start + body.indexOf('+'));
    }
    if (op === '~=' && parsed.release.length < 2) {
      fail(`'~=' needs a release of at least two segments, as in ~=1.4`, start);
    }
    return new Specifier(op, body, wildcard, parsed);
  }

  /**
   * True when this clause names a pre-release explicitly, by packaging 26's rule: any operator
   * but `!=` (and the wildcard forms, which cannot name one), so `<2.0b1` counts too.
   */
  get prereleases(): boolean {
    if (this.operator === '!=' || this.wildcard) return false;
    return this.parsed !== null && this.parsed.isPrerelease;
  }

  /** Whether `version` satisfies this clause. */
  contains(version: Version, options: ContainsOptions = {}): boolean {
    const allowPre = options.prereleases ?? this.prereleases;
    if (!allowPre && version.isPrerelease) return false;
    return this.matches(version);
  }

  /** The raw PEP 440 match, pre-release policy aside. */
  matches(v: Version): boolean {
    const spec = this.parsed;
    switch (this.operator) {
      case '===':
        return v.toString().toLowerCase() === this.version.toLowerCase();
      case '==':
        return this.wildcard ? prefixMatch(v, spec!) : equalMatch(v, spec!);
      case '!=':
        return !(this.wildcard ? prefixMatch(v, spec!) : equalMatch(v, spec!));
      case '~=':
        return compareVersions(v.public, spec!) >= 0 && prefixMatch(v, spec!, spec!.release.length - 1);
      case '<=':
        return compareVersions(v.public, spec!) <= 0;
      case '>=':
        return compareVersions(v.public, spec!) >= 0;
      case '<':
        return compareVersions(v, lessThanBound(spec!)) < 0;
      case '>':
        if (compareVersions(v, spec!) <= 0) return false;
        if (spec!.dev !== null || spec!.post !== null) return compareVersions(v, greaterThanBound(spec!)) >= 0;
        return !(sameBase(v, spec!) && samePre(v, spec!));
    }
  }

  /** Normalized text, e.g. `>=1.0`, `==1.0.*`, `===foo`. */
  toString(): string {
    if (this.operator === '===' || this.parsed === null) return `${this.operator}${this.version}`;
    return `${this.operator}${this.parsed.toString()}${this.wildcard ? '.*' : ''}`;
  }
}

/** Same epoch and release (PEP 440 "base version"), trailing zeros aside. */
export function sameBase(a: Version, b: Version): boolean {
  if (compareInt(a.epoch, b.epoch) !== 0) return false;
  const n = Math.max(a.significantLength, b.significantLength);
  for (let i = 0; i < n; i++) {
    const x = i < a.significantLength ? a.release[i] : 0;
    const y = i < b.significantLength ? b.release[i] : 0;
    if (compareInt(x, y) !== 0) return false;
  }
  return true;
}

/** `<V` means below V's first dev release, unless V is itself a pre-release. */
export function lessThanBound(spec: Version): Version {
  return spec.isPrerelease ? spec.public : new Version(spec.epoch, spec.release, spec.pre, spec.post, 0);
}

/** `>V.devN` starts at V.dev(N+1); `>V.postN` at V.post(N+1).dev0. */
export function greaterThanBound(spec: Version): Version {
  if (spec.dev !== null) return new Version(spec.epoch, spec.release, spec.pre, spec.post, increment(spec.dev));
  return new Version(spec.epoch, spec.release, spec.pre, increment(spec.post!), 0);
}

function increment(n: Int): Int {
  return typeof n === 'bigint' ? n + 1n : n + 1 <= Number.MAX_SAFE_INTEGER ? n + 1 : BigInt(n) + 1n;
}

function samePre(a: Version, b: Version): boolean {
  if (a.pre === null || b.pre === null) return a.pre === b.pre;
  return a.pre.kind === b.pre.kind && compareInt(a.pre.number, b.pre.number) === 0;
}

function equalMatch(v: Version, spec: Version): boolean {
  return compareVersions(spec.local === null ? v.public : v, spec) === 0;
}

/** `==spec.*` on the first `length` release segments, the candidate padded with zeros. */
function prefixMatch(v: Version, spec: Version, length = spec.release.length): boolean {
  if (compareInt(v.epoch, spec.epoch) !== 0) return false;
  for (let i = 0; i < length; i++) {
    const x = i < v.release.length ? v.release[i] : 0;
    if (compareInt(x, spec.release[i]) !== 0) return false;
  }
  return true;
}

function firstNonRelease(body: string): number {
  const m = /^v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*/i.exec(body);
  return m ? m[0].length : 0;
}
