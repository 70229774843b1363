/**
 * Validation of the names the store turns into paths and object keys: a sha256 is 64 lower-case
 * hex digits (upper case is accepted and folded), and a namespace, key or staged filename is one
 * path segment of a conservative alphabet, so no name can climb out of its folder (`..`, `/`,
 * `\`, NUL) on a filesystem or collide with the store's own layout.
 */
import { Readable } from 'node:stream';
import { InvalidArtifactNameError, RangeNotSatisfiableError } from './artifact-errors';

const HEX64 = /^[0-9a-f]{64}$/;
/** Namespaces and keys: `envs`, `<build key>.tar.gz`. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;

/** The sha256 as stored (lower-case hex). @throws InvalidArtifactNameError */
export function checkSha256(value: string): string {
  const hex = value.toLowerCase();
  if (!HEX64.test(hex)) throw new InvalidArtifactNameError('sha256', value, 'not 64 hexadecimal digits');
  return hex;
}

/** A namespace or key of a named object, checked. @throws InvalidArtifactNameError */
export function checkSegment(kind: 'namespace' | 'key', value: string): string {
  if (!SEGMENT.test(value)) {
    throw new InvalidArtifactNameError(kind, value, 'use 1-200 letters, digits, ".", "_", "+" or "-", starting with a letter or digit');
  }
  return value;
}

/**
 * A distribution's filename as it will be written into a staging folder. Wheel and sdist names
 * are looser than keys (PEP 427 and 625 allow any project name spelling), so only what is
 * unsafe in a path is refused.
 * @throws InvalidArtifactNameError
 */
export function checkFilename(value: string): string {
  if (value === '' || value === '.' || value === '..' || /[/\\\0]/.test(value) || value.length > 255) {
    throw new InvalidArtifactNameError('filename', value, 'not a plain file name');
  }
  return value;
}

/** Bytes `start` to `end`, both included (as in HTTP `Range` and `fs.createReadStream`); no `end` reads to the end. */
export interface ByteRange {
  readonly start: number;
  readonly end?: number;
}

/**
 * The range clamped to an object of `size` bytes, as HTTP does (RFC 9110 §14.1.2: a last
 * position past the end means the end).
 * @throws RangeNotSatisfiableError when it starts past the end, is reversed or not made of whole numbers.
 */
export function resolveRange(artifact: string, range: ByteRange, size: number): { start: number; end: number } {
  const { start, end } = range;
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!whole(start) || (end !== undefined && (!whole(end) || end < start)) || start >= size) {
    throw new RangeNotSatisfiableError(artifact, range, size);
  }
  return { start, end: end === undefined ? size - 1 : Math.min(end, size - 1) };
}

/** Runs a name check; when it throws, the source a put was given is destroyed (it will never be read). */
export function checkedOrDestroy<T>(source: Readable, check: () => T): T {
  try {
    return check();
  } catch (error) {
    source.destroy();
    throw error;
  }
}
