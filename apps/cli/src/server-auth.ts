/**
 * The credential client commands send to a venvfarm server: admin operations send
 * VENVFARM_ADMIN_TOKEN; reads send VENVFARM_READ_TOKEN (else the admin token, which also reads),
 * which a server needs only when it sets a read token itself.
 */
export function authorizationHeader(access: 'read' | 'admin', env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = access === 'admin' ? env.VENVFARM_ADMIN_TOKEN : env.VENVFARM_READ_TOKEN || env.VENVFARM_ADMIN_TOKEN;
  return token ? { Authorization: `Bearer ${token}` } : {};
}
