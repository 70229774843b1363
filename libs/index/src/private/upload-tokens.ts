/**
 * Upload tokens of private indexes: random, shown once when made, kept only as their sha256.
 * twine sends one as HTTP Basic credentials with the user name `__token__`, as PyPI's API
 * tokens are sent.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The user name twine sends with a token. */
export const TOKEN_USER = '__token__';

/** A new token: `vf-` and 256 random bits, URL-safe, so it travels in any header or config file as is. */
export function newUploadToken(): string {
  return `vf-${randomBytes(32).toString('base64url')}`;
}

/** What is stored of a token. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * The token in an `Authorization` header: `Basic base64(__token__:<token>)` (twine, pip), or
 * `Bearer <token>`. Null when the header carries none.
 */
export function uploadTokenOf(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (value === undefined) return null;
  if (/^bearer$/i.test(scheme)) return value;
  if (!/^basic$/i.test(scheme)) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const password = decoded.slice(colon + 1);
  return password === '' ? null : password;
}
