/**
 * Where the admin token comes from: `VENVFARM_ADMIN_TOKEN`, else a file in the data directory
 * that the first start creates (a random 256-bit token, mode 0600) and later starts reuse, so an
 * embedded server has a credential from its first minute without any set-up.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUsableToken, MIN_TOKEN_LENGTH } from '@venvfarm/config';

/** The file name of the generated token in the data directory. */
export const ADMIN_TOKEN_FILE = 'admin-token';

/** The admin token and where it came from. */
export interface AdminToken {
  readonly token: string;
  /** `environment`: VENVFARM_ADMIN_TOKEN; `created`/`reused`: the file at `path`. */
  readonly source: 'environment' | 'created' | 'reused';
  readonly path: string | null;
}

/** A token file that cannot be used; the message says which file and why, never its content. */
export class AdminTokenFileError extends Error {}

/**
 * The configured token, else the one in `dataDir/admin-token`, created when missing.
 * @throws AdminTokenFileError when the file exists but does not hold a usable token
 */
export function adminToken(configured: string | null, dataDir: string): AdminToken {
  if (configured !== null) return { token: configured, source: 'environment', path: null };
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  try {
    // `wx`: of two servers starting on one data directory, one creates and the other reads.
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return { token, source: 'created', path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Kept private even if someone loosened it: the token is the key to every admin operation.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const stored = readFileSync(path, 'utf8').trim();
  if (!isUsableToken(stored)) {
    throw new AdminTokenFileError(`${path} does not hold a usable admin token (at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 -._~+/); delete it to have a new one made`);
  }
  return { token: stored, source: 'reused', path };
}
