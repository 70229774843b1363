/**
 * PEP 440 versions: parsing (with every permissive spelling the PEP's "Normalization" section
 * allows), normalization and total ordering.
 *
 * Surprises worth knowing:
 * - Trailing zeros of the release do not count: `1.0 == 1.0.0`, yet each prints as written.
 * - A dev release of a final sorts before its pre-releases: `1.0.dev0 < 1.0a0 < 1.0 < 1.0.post0`,
 *   and `1.0.post1.dev1 < 1.0.post1`.
 * - Local versions (`+abc.5`) sort after the same public version; numeric local segments sort
 *   after alphanumeric ones.
 * - Numbers are unbounded in PEP 440; components beyond 2^53 are kept exactly as `bigint`.
 */
import { InvalidVersionError } from './errors';
import { encodeVersionKey } from './version-key';

/** An integer component: a `number` when it is safe, else an exact `bigint`. */
export type Int = number | bigint;

/** A pre-release tag, normalized (`alpha`→`a`, `beta`→`b`, `c`/`pre`/`preview`→`rc`). */
export interface PreRelease {
  readonly kind: 'a' | 'b' | 'rc';
  readonly number: Int;
}

/** One segment of a local version label: lower-cased text, or a number. */
export type LocalSegment = string | Int;

// The PEP 440 pattern as pypa/packaging writes it (VERBOSE + IGNORECASE), without anchors.
const BODY =
  'v?(?:(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)' +
  '([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?' +
  '((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?' +
  '([-_.]?(dev)[-_.]?([0-9]+)?)?)' +
  '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?';
const FULL = new RegExp(`^\\s*${BODY}\\s*$`, 'i');
const PREFIX = new RegExp(`^\\s*${BODY}`, 'i');

const PRE_KIND: Record<string, PreRelease['kind']> = {
  a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc',
};

/** Parses a run of decimal digits exactly; leading zeros are dropped as PEP 440 requires. */
export function parseInt440(digits: string): Int {
  if (digits.length <= 15) return Number(digits);
  const big = BigInt(digits);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Three-way comparison of two integers that may mix `number` and `bigint`. */
export function compareInt(a: Int, b: Int): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A parsed, immutable PEP 440 version. */
export class Version {
  /** Release length without trailing zeros, which PEP 440 ignores when comparing. */
  readonly significantLength: number;
  private text?: string;
  private sortKey?: Uint8Array;

  /** Prefer {@link Version.parse}; this constructor trusts already-normalized parts. */
  constructor(
    readonly epoch: Int,
    readonly release: readonly Int[],
    readonly pre: PreRelease | null = null,
    readonly post: Int | null = null,
    readonly dev: Int | null = null,
    readonly local: readonly LocalSegment[] | null = null,
  ) {
    let n = release.length;
    while (n > 0 && release[n - 1] == 0) n--;
    this.significantLength = n;
  }

  /**
   * Parses a version in any spelling PEP 440 accepts and normalizes it.
   * @throws InvalidVersionError with the position of the first character that does not fit.
   */
  static parse(text: string): Version {
    return parseFastRelease(text) ?? parseGeneral(text);
  }

  /** Like {@link Version.parse} but answers `null` for an invalid version. */
  static tryParse(text: string): Version | null {
    const fast = parseFastRelease(text);
    if (fast) return fast;
    const m = FULL.exec(text);
    return m ? fromMatch(m) : null;
  }

  /** True for pre-releases and dev releases (PEP 440 treats both as pre-releases). */
  get isPrerelease(): boolean {
    return this.pre !== null || this.dev !== null;
  }
  get isPostrelease(): boolean {
    return this.post !== null;
  }
  get isDevrelease(): boolean {
    return this.dev !== null;
  }

  /** The version without its local label. */
  get public(): Version {
    return this.local === null ? this : new Version(this.epoch, this.release, this.pre, this.post, this.dev);
  }

  /** Epoch and release only: `1!2.0rc1.post3+x` → `1!2.0`. */
  get baseVersion(): Version {
    return this.pre === null && this.post === null && this.dev === null && this.local === null
      ? this
      : new Version(this.epoch, this.release);
  }

  /** Three-way PEP 440 comparison. */
  compare(other: Version): -1 | 0 | 1 {
    return compareVersions(this, other);
  }

  equals(other: Version): boolean {
    return compareVersions(this, other) === 0;
  }

  /** The normalized form, e.g. `1!2.0rc1.post2.dev3+abc.5`. */
  toString(): string {
    if (this.text === undefined) this.text = formatVersion(this);
    return this.text;
  }

  /** The sortable binary key (byte order = PEP 440 order), computed once; see version-key.ts. */
  key(): Uint8Array {
    if (this.sortKey === undefined) this.sortKey = encodeVersionKey(this);
    return this.sortKey;
  }
}

/** Three-way PEP 440 comparison of two versions. */
export function compareVersions(a: Version, b: Version): -1 | 0 | 1 {
  if (a === b) return 0;
  let c = compareInt(a.epoch, b.epoch);
  if (c !== 0) return c as -1 | 1;
  const n = Math.max(a.significantLength, b.significantLength);
  for (let i = 0; i < n; i++) {
    c = compareInt(i < a.significantLength ? a.release[i] : 0, i < b.significantLength ? b.release[i] : 0);
    if (c !== 0) return c as -1 | 1;
  }
  c = preRank(a) - preRank(b);
  if (c !== 0) return c < 0 ? -1 : 1;
  if (a.pre !== null && b.pre !== null) {
    c = compareInt(a.pre.number, b.pre.number);
    if (c !== 0) return c as -1 | 1;
  }
  c = compareOptional(a.post, b.post, -1);
  if (c !== 0) return c as -1 | 1;
  c = compareOptional(a.dev, b.dev, 1);
  if (c !== 0) return c as -1 | 1;
  return compareLocal(a.local, b.local);
}

/**
 * Rank of the pre-release slot: a dev release of a final (no pre, no post) sorts before every
 * pre-release, a final after them.
 */
export function preRank(v: Version): number {
  if (v.pre === null) return v.post === null && v.dev !== null ? 0 : 4;
  return v.pre.kind === 'a' ? 1 : v.pre.kind === 'b' ? 2 : 3;
}

/** Compares optional numbers where absence sorts as -∞ (`missing = -1`) or +∞ (`missing = 1`). */
function compareOptional(a: Int | null, b: Int | null, missing: -1 | 1): number {
  if (a === null) return b === null ? 0 : missing;
  if (b === null) return -missing;
  return compareInt(a, b);
}

function compareLocal(a: readonly LocalSegment[] | null, b: readonly LocalSegment[] | null): -1 | 0 | 1 {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    const xs = typeof x === 'string';
    const ys = typeof y === 'string';
    if (xs !== ys) return xs ? -1 : 1; // numeric segments sort after alphanumeric ones
    const c = xs ? (x < y ? -1 : x > y ? 1 : 0) : compareInt(x as Int, y as Int);
    if (c !== 0) return c as -1 | 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function formatVersion(v: Version): string {
  let s = v.epoch == 0 ? '' : `${v.epoch}!`;
  s += v.release.join('.');
  if (v.pre !== null) s += `${v.pre.kind}${v.pre.number}`;
  if (v.post !== null) s += `.post${v.post}`;
  if (v.dev !== null) s += `.dev${v.dev}`;
  if (v.local !== null) s += `+${v.local.join('.')}`;
  return s;
}

/** The hot path: plain releases such as `2.31.0` need no regular expression. */
function parseFastRelease(text: string): Version | null {
  const n = text.length;
  if (n === 0 || n > 64) return null;
  const release: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else if (c === 46 && digits > 0) {
      release.push(value);
      value = 0;
      digits = 0;
    } else {
      return null;
    }
    if (digits > 15) return null;
  }
  if (digits === 0) return null;
  release.push(value);
  return new Version(0, release);
}

function parseGeneral(text: string): Version {
  const m = FULL.exec(text);
  if (m) return fromMatch(m);
  throw new InvalidVersionError(`Invalid version: '${text}'`, text, errorPosition(text));
}

/** Where a version stops being valid: just past the longest prefix the pattern accepts. */
function errorPosition(text: string): number {
  const m = PREFIX.exec(text);
  if (m) return m[0].length;
  return /^\s*/.exec(text)![0].length;
}

function fromMatch(m: RegExpExecArray): Version {
  const epoch = m[1] === undefined ? 0 : parseInt440(m[1]);
  const release = m[2].split('.').map(parseInt440);
  const pre = m[4] === undefined ? null : { kind: PRE_KIND[m[4].toLowerCase()], number: m[5] === undefined ? 0 : parseInt440(m[5]) };
  let post: Int | null = null;
  if (m[7] !== undefined) post = parseInt440(m[7]);
  else if (m[8] !== undefined) post = m[9] === undefined ? 0 : parseInt440(m[9]);
  const dev = m[11] === undefined ? null : m[12] === undefined ? 0 : parseInt440(m[12]);
  const local =
    m[13] === undefined
      ? null
      : m[13].split(/[-_.]/).map((part) => (/^[0-9]+$/.test(part) ? parseInt440(part) : part.toLowerCase()));
  return new Version(epoch, release, pre, post, dev, local);
}
