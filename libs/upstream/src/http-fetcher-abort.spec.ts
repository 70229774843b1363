import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpFetcher, RetryEvent } from './http-fetcher';

/** A shutdown stops a fetcher at once: mid-request, mid-wait before a retry, or before it starts. */
describe('HttpFetcher with an abort signal', () => {
  let server: Server;
  let base: string;
  let handle: (req: IncomingMessage, res: ServerResponse) => void;
  let received: string[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? '');
      handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    received = [];
  });

  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const reason = new Error('shutting down');

  it('stops waiting for a retry (an upstream asking for a minute) and throws the reason, without retrying', async () => {
    handle = (_req, res) => res.writeHead(503, { 'retry-after': '60' }).end();
    const controller = new AbortController();
    const retries: RetryEvent[] = [];
    const fetcher = new HttpFetcher({
      signal: controller.signal,
      maxDelayMs: 60_000,
      onRetry: (event) => {
        retries.push(event);
        controller.abort(reason);
      },
    });
    await expect(fetcher.fetch(`${base}/busy`)).rejects.toBe(reason);
    expect(retries).toEqual([expect.objectContaining({ status: 503, delayMs: 60_000 })]);
    expect(received).toEqual(['/busy']);
  });

  it('cuts a request under way and throws the reason, without retrying', async () => {
    let arrived!: () => void;
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    handle = () => arrived(); // never answers
    const controller = new AbortController();
    const fetcher = new HttpFetcher({ signal: controller.signal, retries: 6 });
    const fetching = fetcher.fetch(`${base}/slow`);
    await requested;
    controller.abort(reason);
    await expect(fetching).rejects.toBe(reason);
    expect(received).toEqual(['/slow']);
    expect(fetcher.retries).toBe(0);
  });

  it('sends nothing once aborted', async () => {
    handle = (_req, res) => res.end('ok');
    const fetcher = new HttpFetcher({ signal: AbortSignal.abort(reason) });
    await expect(fetcher.fetch(`${base}/never`)).rejects.toBe(reason);
    expect(received).toEqual([]);
  });

  it('fetches as usual while not aborted', async () => {
    handle = (_req, res) => res.end('ok');
    const response = await new HttpFetcher({ signal: new AbortController().signal }).fetch(`${base}/fine`);
    expect(response.body.toString()).toBe('ok');
  });
});
