import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN_FILE, adminToken, AdminTokenFileError } from './admin-token';
import { Credentials } from './credentials';

describe('adminToken', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'venvfarm-token-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses VENVFARM_ADMIN_TOKEN when set, and writes nothing', () => {
    expect(adminToken('configured-token-0123456789', join(dir, 'data'))).toEqual({ token: 'configured-token-0123456789', source: 'environment', path: null });
    expect(() => statSync(join(dir, 'data'))).toThrow();
  });

  it('creates a random token at first start (mode 0600) and reuses it on the next', () => {
    const data = join(dir, 'data');
    const first = adminToken(null, data);
    const path = join(data, ADMIN_TOKEN_FILE);
    expect(first).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), source: 'created', path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(`${first.token}\n`);
    expect(adminToken(null, data)).toEqual({ token: first.token, source: 'reused', path });
    expect(adminToken(null, join(dir, 'other')).token).not.toBe(first.token);
  });

  it('makes a loosened file private again, and refuses one without a usable token', () => {
    const path = join(dir, ADMIN_TOKEN_FILE);
    writeFileSync(path, 'a-token-of-enough-length-1234\n');
    chmodSync(path, 0o644);
    expect(adminToken(null, dir).token).toBe('a-token-of-enough-length-1234');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, 'short\n');
    expect(() => adminToken(null, dir)).toThrow(AdminTokenFileError);
    expect(() => adminToken(null, dir)).not.toThrow(/short/);
  });
});

describe('Credentials', () => {
  it('grants admin to the admin token, read to the read token, nothing to anything else', () => {
    const credentials = new Credentials('admin-token-0123456789', 'read-token-0123456789');
    expect(credentials.readsNeedToken).toBe(true);
    expect(credentials.grantOf('admin-token-0123456789')).toBe('admin');
    expect(credentials.grantOf('read-token-0123456789')).toBe('read');
    for (const other of ['', 'admin-token-012345678', 'admin-token-01234567890', 'ADMIN-TOKEN-0123456789']) expect(credentials.grantOf(other)).toBeNull();
    expect(new Credentials('admin-token-0123456789', null).readsNeedToken).toBe(false);
  });
});
