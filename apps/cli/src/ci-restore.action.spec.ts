import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ciRestore } from './ci-restore.action';
import { CI_RESTORE_EXIT } from './ci-restore.command';
import { CommandFailure } from './command-failure';

/** The bytes of a tarball answer, of which the server sends only the head. */
const TARBALL = gzipSync(randomBytes(256 * 1024));

/** A port nothing listens on: one the system gave, then closed. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * What `ci restore` makes of servers that fail in the ways a network does, with the real HTTP
 * client (what undici reports is what the exit code is decided on): the server's failures that
 * end in exit code 3, and a refusal that does not.
 */
describe('ciRestore against failing servers', () => {
  let work: string;
  let server: Server;
  let url: string;
  let requirements: string;
  let stderr: jest.SpyInstance;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'venvfarm-ci-restore-spec-'));
    requirements = join(work, 'requirements.txt');
    writeFileSync(requirements, 'six\n');
    server = createServer((req, res) => {
      // The token names the failure to act out.
      req.resume();
      if (req.headers.authorization === 'Bearer queue-down') {
        res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '10' });
        res.end(JSON.stringify({ error: 'queue_unavailable', detail: 'the job queue is needed for this request and could not answer: connect ECONNREFUSED' }));
      } else if (req.headers.authorization === 'Bearer gateway') {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
      } else if (req.headers.authorization === 'Bearer cut') {
        // A sound head of a gzip stream, then the connection drops.
        res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': String(TARBALL.length), ETag: `"${'ab'.repeat(32)}"` });
        res.write(TARBALL.subarray(0, 4096), () => res.socket!.destroy());
      } else {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'forbidden', detail: 'the token is not valid for this server' }));
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The progress lines of the display are not this test's business.
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterAll(async () => {
    stderr.mockRestore();
    await new Promise((done) => server.close(done));
    rmSync(work, { recursive: true, force: true });
  });

  afterEach(() => {
    delete process.env.VENVFARM_ADMIN_TOKEN;
  });

  async function restore(server: string, token: string): Promise<CommandFailure> {
    process.env.VENVFARM_ADMIN_TOKEN = token;
    const into = join(work, `env-${token}`);
    const failure = await ciRestore({ requirement: requirements, python: '3.11', into, wait: 0, server }, { serverDefaulted: false }).then(
      () => new Error('restored'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CommandFailure);
    // Nothing is left behind, not even a staging directory.
    expect(readdirSync(work).filter((name) => name.includes(`env-${token}`))).toEqual([]);
    return failure as CommandFailure;
  }

  it('a refused connection: 3, with the fallback', async () => {
    const port = await refusingPort();
    const failure = await restore(`http://127.0.0.1:${port}`, 'any');
    expect(failure.exitCode).toBe(CI_RESTORE_EXIT.unreachable);
    expect(failure.message).toMatch(new RegExp(`^could not restore .*: cannot reach the venvfarm server at http://127\\.0\\.0\\.1:${port} \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)\n`));
    expect(failure.message).toContain(`pip install -i http://127.0.0.1:${port}/simple/ -r ${requirements}`);
  });

  it("venvfarm's 503 (its job queue is down): 3", async () => {
    const failure = await restore(url, 'queue-down');
    expect(failure.exitCode).toBe(CI_RESTORE_EXIT.unreachable);
    expect(failure.message).toMatch(/cannot serve the environment now: queue_unavailable: the job queue is needed/);
  });

  it("a gateway's 502 page: 3", async () => {
    const failure = await restore(url, 'gateway');
    expect(failure.exitCode).toBe(CI_RESTORE_EXIT.unreachable);
    expect(failure.message).toMatch(/cannot serve the environment now: HTTP 502: <html>/);
  });

  it('a connection that drops mid-download: 3, and no half-unpacked directory', async () => {
    const failure = await restore(url, 'cut');
    expect(failure.exitCode).toBe(CI_RESTORE_EXIT.unreachable);
    expect(failure.message).toMatch(/^could not restore .*: the connection to the venvfarm server at http:\/\/127\.0\.0\.1:\d+ broke \(terminated: other side closed\)\n {2}exit code 3 /);
  });

  it('a refused credential: 1', async () => {
    const failure = await restore(url, 'wrong');
    expect(failure.exitCode).toBe(CI_RESTORE_EXIT.failed);
    expect(failure.message).toMatch(/the server refused the credential: forbidden: the token is not valid for this server\n {2}ci restore asks the server to build/);
  });
});
