import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { BuildClient, BuildFailedError, BuildView } from './build-client';
import { PlainDisplay } from './build-display';

const BUILD: BuildView = {
  id: 7,
  key: 'ab'.repeat(32),
  status: 'queued',
  python: '3.11',
  platform: 'x86_64-manylinux_2_28',
  pins: [{ name: 'six', version: '1.16.0', filename: 'six-1.16.0-py2.py3-none-any.whl', sha256: '0'.repeat(64) }],
  timings: {},
  size: null,
  error: null,
  download: `/v1/envs/${'ab'.repeat(32)}.tar.gz`,
};

/** A server whose log stream breaks off once (no `end` event) and whose build then fails. */
function fakeServer(): Promise<{ server: Server; url: string }> {
  let logs = 0;
  let reads = 0;
  const server = createServer((req, res) => {
    if (req.url === '/v1/builds/7/log') {
      expect(req.headers.accept).toBe('text/event-stream');
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      if (logs++ === 0) res.end('event: log\ndata: staged 1 file\n\n');
      else res.end('event: log\ndata: staged 1 file\ndata: pip failed\n\nevent: end\ndata: failed\n\n');
      return;
    }
    if (req.url === '/v1/builds/7') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reads++ === 0 ? { ...BUILD, status: 'building' } : { ...BUILD, status: 'failed', error: 'pip exited with 1' }));
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('BuildClient.follow', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => ({ server, url } = await fakeServer()));
  afterAll(() => new Promise((done) => server.close(done)));

  it('shows each log line once across a reconnect, and throws the reason of a failed build', async () => {
    const lines: string[] = [];
    const client = new BuildClient(url, new PlainDisplay({ write: (text: string) => lines.push(text) }), {});
    const failure = await client.follow(BUILD).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BuildFailedError);
    expect((failure as Error).message).toBe('build 7 failed: pip exited with 1');
    expect(lines.join('')).toBe(
      [
        'build 7 queued (1 pin, Python 3.11 on x86_64-manylinux_2_28, key abababababab)',
        'build 7 building',
        'build 7 | staged 1 file',
        'build 7 | pip failed',
        'build 7 failed: pip exited with 1',
        '',
      ].join('\n'),
    );
  });
});
