import { authorizationHeader } from './server-auth';

describe('authorizationHeader', () => {
  it('sends the admin token for admin operations and the read token (else the admin token) for reads', () => {
    const env = { VENVFARM_ADMIN_TOKEN: 'admin-token-0123456789', VENVFARM_READ_TOKEN: 'read-token-0123456789' };
    expect(authorizationHeader('admin', env)).toEqual({ Authorization: 'Bearer admin-token-0123456789' });
    expect(authorizationHeader('read', env)).toEqual({ Authorization: 'Bearer read-token-0123456789' });
    expect(authorizationHeader('read', { VENVFARM_ADMIN_TOKEN: 'admin-token-0123456789' })).toEqual({ Authorization: 'Bearer admin-token-0123456789' });
  });

  it('sends nothing when no token is set, and never the read token for an admin operation', () => {
    expect(authorizationHeader('read', {})).toEqual({});
    expect(authorizationHeader('admin', { VENVFARM_READ_TOKEN: 'read-token-0123456789' })).toEqual({});
  });
});
