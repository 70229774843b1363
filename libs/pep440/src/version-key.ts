/**
 * Sortable binary keys: one byte string per version whose byte order (memcmp, PostgreSQL
 * `bytea` ordering) is exactly PEP 440 order, so a mirror can filter and sort versions with an
 * ordinary B-tree index.
 *
 * Layout, each part order-preserving and self-delimiting:
 *   epoch:    uint
 *   release:  0x02 uint per segment, trailing zeros dropped (1.0 == 1.0.0), then 0x01
 *   pre:      0x00 for a dev release of a final | 0x01/0x02/0x03 uint for a/b/rc | 0x04 none
 *   post:     0x00 none | 0x01 uint
 *   dev:      0x01 uint | 0x02 none
 *   local:    per segment 0x01 lower-case text 0x00 | 0x02 uint; then 0x00
 * where uint = one length byte, then the number's big-endian bytes (0 is the single byte 0x00).
 * Equal versions get equal keys, so the key is also an identity for `1.0` and `1.0.0`.
 */
import type { Int, Version } from './version';

/** Release terminator: sorts below the 0x02 that starts another release segment. */
export const RELEASE_END = 0x01;
/** Marks one more release segment. */
export const RELEASE_SEGMENT = 0x02;

/** Appends the order-preserving encoding of a non-negative integer. */
export function pushUint(out: number[], value: Int): void {
  if (typeof value === 'number') {
    if (value === 0) {
      out.push(0);
      return;
    }
    const bytes: number[] = [];
    let v = value;
    while (v > 0) {
      bytes.push(v % 256);
      v = Math.floor(v / 256);
    }
    out.push(bytes.length);
    for (let i = bytes.length - 1; i >= 0; i--) out.push(bytes[i]);
    return;
  }
  const bytes: number[] = [];
  let v = value;
  while (v > 0n) {
    bytes.push(Number(v & 0xffn));
    v >>= 8n;
  }
  out.push(bytes.length);
  for (let i = bytes.length - 1; i >= 0; i--) out.push(bytes[i]);
}

/** Appends epoch and significant release segments: the prefix every version of that release shares. */
export function pushReleasePrefix(out: number[], epoch: Int, release: readonly Int[], length: number): void {
  pushUint(out, epoch);
  for (let i = 0; i < length; i++) {
    out.push(RELEASE_SEGMENT);
    pushUint(out, release[i]);
  }
}

/** Computes the key of a version. Use `version.key()`, which caches it. */
export function encodeVersionKey(v: Version): Uint8Array {
  const out: number[] = [];
  pushReleasePrefix(out, v.epoch, v.release, v.significantLength);
  out.push(RELEASE_END);
  if (v.pre !== null) {
    out.push(v.pre.kind === 'a' ? 1 : v.pre.kind === 'b' ? 2 : 3);
    pushUint(out, v.pre.number);
  } else {
    out.push(v.post === null && v.dev !== null ? 0 : 4);
  }
  if (v.post === null) out.push(0);
  else {
    out.push(1);
    pushUint(out, v.post);
  }
  if (v.dev === null) out.push(2);
  else {
    out.push(1);
    pushUint(out, v.dev);
  }
  if (v.local !== null) {
    for (const segment of v.local) {
      if (typeof segment === 'string') {
        out.push(1);
        for (let i = 0; i < segment.length; i++) out.push(segment.charCodeAt(i));
        out.push(0);
      } else {
        out.push(2);
        pushUint(out, segment);
      }
    }
  }
  out.push(0);
  return Uint8Array.from(out);
}

/** The sortable key of a version (cached on the version). */
export function versionKey(v: Version): Uint8Array {
  return v.key();
}

/** memcmp order of two keys. */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

/**
 * The smallest byte string greater than every string that starts with `prefix`
 * (drop trailing 0xFF bytes, then add one to the last byte); `null` when there is none.
 */
export function prefixSuccessor(prefix: Uint8Array): Uint8Array | null {
  let n = prefix.length;
  while (n > 0 && prefix[n - 1] === 0xff) n--;
  if (n === 0) return null;
  const out = prefix.slice(0, n);
  out[n - 1]++;
  return out;
}

/** Lower-case hex of a key, e.g. for SQL literals and logs. */
export function keyToHex(key: Uint8Array): string {
  let s = '';
  for (const b of key) s += b.toString(16).padStart(2, '0');
  return s;
}
