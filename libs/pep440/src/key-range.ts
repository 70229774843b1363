/**
 * Specifiers as ranges of sortable version keys (see version-key.ts), so a database can select
 * candidate versions with indexed range predicates: `key >= lo AND key < hi` per range.
 *
 * The ranges of a set are a sorted list of disjoint half-open intervals. They are exact for
 * every operator (PEP 440 as packaging >= 26 reads it makes each clause contiguous) except
 * `===V`, which compares text and so admits every version equal to V (`1.0.0` for `===1.0`).
 * Pre-release policy is never applied here: ranges describe the raw PEP 440 match.
 */
import { greaterThanBound, lessThanBound, type Specifier } from './specifier';
import type { SpecifierSet } from './specifier-set';
import type { Version } from './version';
import { compareKeys, prefixSuccessor, pushReleasePrefix, RELEASE_END, RELEASE_SEGMENT } from './version-key';

/** Keys `k` with `lo <= k < hi`; `null` bounds are unbounded. */
export interface KeyRange {
  readonly lo: Uint8Array | null;
  readonly hi: Uint8Array | null;
}

/** Ranges of a specifier or set, and whether they match exactly (see the module comment). */
export interface KeyRanges {
  readonly ranges: readonly KeyRange[];
  readonly exact: boolean;
}

const EVERYTHING: readonly KeyRange[] = [{ lo: null, hi: null }];

/** The key ranges a specifier set's versions fall in. */
export function keyRangesOf(set: SpecifierSet): KeyRange[] {
  return [...keyRangesOfSet(set).ranges];
}

/** Key ranges of a set, with exactness. */
export function keyRangesOfSet(set: SpecifierSet): KeyRanges {
  let ranges: readonly KeyRange[] = EVERYTHING;
  let exact = true;
  for (const spec of set.specifiers) {
    const r = keyRangesOfSpecifier(spec);
    ranges = intersectRanges(ranges, r.ranges);
    exact &&= r.exact;
  }
  return { ranges, exact };
}

/** Key ranges of one clause, with exactness. */
export function keyRangesOfSpecifier(spec: Specifier): KeyRanges {
  const v = spec.parsed;
  if (v === null) return { ranges: [], exact: true }; // `===` text that no PEP 440 version prints as
  switch (spec.operator) {
    case '===':
      return { ranges: [point(v.key())], exact: false };
    case '==':
      return { ranges: spec.wildcard ? prefixRanges(v, v.release.length) : equalRanges(v), exact: true };
    case '!=':
      return { ranges: complementRanges(spec.wildcard ? prefixRanges(v, v.release.length) : equalRanges(v)), exact: true };
    case '~=':
      return { ranges: intersectRanges([{ lo: v.key(), hi: null }], prefixRanges(v, v.release.length - 1)), exact: true };
    case '>=':
      return { ranges: [{ lo: v.key(), hi: null }], exact: true };
    case '<=':
      return { ranges: [{ lo: null, hi: prefixSuccessor(publicPrefix(v)) }], exact: true };
    case '<':
      return { ranges: [{ lo: null, hi: lessThanBound(v).key() }], exact: true };
    case '>':
      if (v.dev !== null || v.post !== null) return { ranges: [{ lo: greaterThanBound(v).key(), hi: null }], exact: true };
      return { ranges: [{ lo: prefixSuccessor(postFamilyPrefix(v)), hi: null }], exact: true };
  }
}

/** Whether a key falls in any of the ranges. */
export function keyInRanges(key: Uint8Array, ranges: readonly KeyRange[]): boolean {
  for (const r of ranges) {
    if ((r.lo === null || compareKeys(key, r.lo) >= 0) && (r.hi === null || compareKeys(key, r.hi) < 0)) return true;
  }
  return false;
}

/** Intersection of two sorted lists of disjoint ranges. */
export function intersectRanges(a: readonly KeyRange[], b: readonly KeyRange[]): KeyRange[] {
  const out: KeyRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = maxLo(a[i].lo, b[j].lo);
    const hi = minHi(a[i].hi, b[j].hi);
    if (hi === null || lo === null || compareKeys(lo, hi) < 0) out.push({ lo, hi });
    if (compareHi(a[i].hi, b[j].hi) < 0) i++;
    else j++;
  }
  return out;
}

/** Complement of a sorted list of disjoint ranges. */
export function complementRanges(ranges: readonly KeyRange[]): KeyRange[] {
  const out: KeyRange[] = [];
  let lo: Uint8Array | null = null; // -∞ until the first range has been passed
  for (const r of ranges) {
    if (r.lo !== null && (lo === null || compareKeys(lo, r.lo) < 0)) out.push({ lo, hi: r.lo });
    if (r.hi === null) return out;
    lo = r.hi;
  }
  out.push({ lo, hi: null });
  return out;
}

function point(key: Uint8Array): KeyRange {
  return { lo: key, hi: prefixSuccessor(key) };
}

/** Key of V without its final local terminator: the prefix all of V's local variants share. */
function publicPrefix(v: Version): Uint8Array {
  const key = v.public.key();
  return key.subarray(0, key.length - 1);
}

/** `==V` ignores the candidate's local label unless V has one. */
function equalRanges(v: Version): KeyRange[] {
  if (v.local !== null) return [point(v.key())];
  return [{ lo: v.key(), hi: prefixSuccessor(publicPrefix(v)) }];
}

/** Bytes of epoch and the first `length` release segments, trailing zeros dropped. */
function releaseBytes(v: Version, length: number): number[] {
  let n = length;
  while (n > 0 && v.release[n - 1] == 0) n--;
  const out: number[] = [];
  pushReleasePrefix(out, v.epoch, v.release, n);
  return out;
}

/**
 * The prefix that V (a final or pre-release) shares with its post-releases and local versions:
 * release and pre-release slot, which the key lays out before the post slot.
 */
function postFamilyPrefix(v: Version): Uint8Array {
  const key = v.key();
  const releaseLength = releaseBytes(v, v.release.length).length + 1;
  const preLength = v.pre === null ? 1 : 1 + (key[releaseLength + 1] + 1);
  return key.subarray(0, releaseLength + preLength);
}

/**
 * `==P.*` with P = the first `length` release segments of V: the candidate's release, padded
 * with zeros, starts with P. With P = S + k zeros (S without trailing zeros) the matching
 * releases are S itself, and, when k > 0, S followed by k zeros and more segments.
 */
function prefixRanges(v: Version, length: number): KeyRange[] {
  const s = releaseBytes(v, length);
  let significant = length;
  while (significant > 0 && v.release[significant - 1] == 0) significant--;
  const zeros = length - significant;
  if (zeros === 0) return [prefixRange(s)];
  const padded = [...s];
  for (let i = 0; i < zeros; i++) padded.push(RELEASE_SEGMENT, 0);
  return [prefixRange([...s, RELEASE_END]), prefixRange(padded)];
}

function prefixRange(prefix: number[]): KeyRange {
  const lo = Uint8Array.from(prefix);
  return { lo, hi: prefixSuccessor(lo) };
}

function maxLo(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareKeys(a, b) >= 0 ? a : b;
}

function minHi(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareKeys(a, b) <= 0 ? a : b;
}

function compareHi(a: Uint8Array | null, b: Uint8Array | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return compareKeys(a, b);
}
