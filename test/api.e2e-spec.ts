import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The built API as users start it: `venvfarm serve --port 0 --data-dir DIR` with no
 * DATABASE_URL starts an embedded PostgreSQL in DIR, prints the ready line, answers, and stops
 * on SIGTERM.
 */
describe('venvfarm serve (built CLI)', () => {
  it('prints the ready line with a free port and answers /health, the mirror status and /docs', async () => {
    const cli = resolve(__dirname, '../bin/venvfarm.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'venvfarm-serve-'));
    const env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.VENVFARM_ADMIN_TOKEN;
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    try {
      let out = '';
      const url = await new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ready line; output: ${out}`)), 60000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /venvfarm listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
          if (m) {
            clearTimeout(timer);
            done(m[1]);
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          fail(new Error(`exited with ${code}: ${out}`));
        });
      });
      expect(Number(new URL(url).port)).toBeGreaterThan(0);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', version: expect.any(String) });
      const status = await fetch(`${url}/v1/mirror/status`);
      expect(await status.json()).toMatchObject({ serial: 0, counts: { projects: 0, releases: 0, files: 0 }, last_sync: null });
      const tooBig = await fetch(`${url}/v1/mirror/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ include: Array(30000).fill('django>=4') }),
      });
      expect(tooBig.status).toBe(413);
      expect(await tooBig.json()).toMatchObject({ error: 'payload_too_large' });
      const broken = await fetch(`${url}/v1/mirror/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"incremental": tru' });
      expect(broken.status).toBe(400);
      // No VENVFARM_ADMIN_TOKEN: the server made one in the data dir, said where (not what), and wants it.
      const tokenFile = join(dataDir, 'admin-token');
      expect(out).toContain(`venvfarm admin token created in ${tokenFile}`);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(out).not.toContain(readFileSync(tokenFile, 'utf8').trim());
      const anonymous = await fetch(`${url}/v1/mirror/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(anonymous.status).toBe(401);
      // The built bundle serves its OpenAPI description and Swagger UI.
      const docs = await fetch(`${url}/docs-json`);
      expect(Object.keys(((await docs.json()) as { paths: object }).paths)).toContain('/v1/resolve');
      expect((await fetch(`${url}/docs`)).status).toBe(200);
      // SIGTERM stops it cleanly: exit status 0.
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90000);
});
