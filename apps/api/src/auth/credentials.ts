import { createHash, timingSafeEqual } from 'node:crypto';

/** Which credential a request showed. */
export type Grant = 'admin' | 'read' | null;

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * The tokens this server accepts, kept as digests and compared in constant time: comparing
 * fixed-length digests with timingSafeEqual reveals neither a token's content nor its length
 * through the time an answer takes.
 */
export class Credentials {
  private readonly admin: Buffer;
  private readonly read: Buffer | null;

  constructor(adminToken: string, readToken: string | null) {
    this.admin = digest(adminToken);
    this.read = readToken === null ? null : digest(readToken);
  }

  /** Whether reads need a token (VENVFARM_READ_TOKEN is set). */
  get readsNeedToken(): boolean {
    return this.read !== null;
  }

  /** What `token` grants: the admin token grants everything, the read token reads. */
  grantOf(token: string): Grant {
    const given = digest(token);
    // Both comparisons always run, so which token matched does not show in the timing either.
    const admin = timingSafeEqual(given, this.admin);
    const read = this.read !== null && timingSafeEqual(given, this.read);
    return admin ? 'admin' : read ? 'read' : null;
  }
}
