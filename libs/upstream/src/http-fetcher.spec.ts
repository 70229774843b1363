import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttemptEvent, FailureEvent, HttpFetcher, RetryEvent } from './http-fetcher';
import { UpstreamHttpError, UpstreamNetworkError } from './upstream-errors';

/** What an observer heard, in order. */
function recorder() {
  const heard: (['attempt', AttemptEvent] | ['retry', RetryEvent] | ['failure', FailureEvent])[] = [];
  return {
    heard,
    observer: {
      attempt: (e: AttemptEvent) => heard.push(['attempt', e]),
      retry: (e: RetryEvent) => heard.push(['retry', e]),
      failure: (e: FailureEvent) => heard.push(['failure', e]),
    },
    kinds: () => heard.map(([kind, e]) => `${kind}:${'status' in e ? e.status : ''}`),
  };
}

describe('HttpFetcher observer', () => {
  let server: Server;
  let base: string;
  /** Statuses answered in turn, per path; the last one repeats. */
  const script = new Map<string, number[]>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const statuses = script.get(req.url ?? '') ?? [200];
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0];
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const fetcher = (observer: ReturnType<typeof recorder>['observer'], retries = 3) => new HttpFetcher({ observer, retries, baseDelayMs: 1, maxDelayMs: 5 });

  it('hears each attempt of a retried request, each retry, and no failure when it succeeds', async () => {
    script.set('/flaky', [503, 429, 200]);
    const r = recorder();
    const response = await fetcher(r.observer).fetch(`${base}/flaky`);
    expect(response.status).toBe(200);
    expect(r.kinds()).toEqual(['attempt:503', 'retry:503', 'attempt:429', 'retry:429', 'attempt:200']);
    const attempt = r.heard[0][1] as AttemptEvent;
    expect(attempt).toMatchObject({ url: `${base}/flaky`, method: 'GET', error: null });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('hears a 404 as an answer, and a 403 as one attempt and a failure', async () => {
    script.set('/missing', [404]);
    script.set('/denied', [403]);
    const r = recorder();
    expect((await fetcher(r.observer).fetch(`${base}/missing`)).status).toBe(404);
    await expect(fetcher(r.observer).fetch(`${base}/denied`)).rejects.toBeInstanceOf(UpstreamHttpError);
    expect(r.kinds()).toEqual(['attempt:404', 'attempt:403', 'failure:403']);
    expect(r.heard[2][1]).toMatchObject({ attempts: 1, error: null });
  });

  it('hears a failure once retries run out, with the number of attempts', async () => {
    script.set('/down', [502]);
    const r = recorder();
    await expect(fetcher(r.observer, 2).fetch(`${base}/down`)).rejects.toBeInstanceOf(UpstreamHttpError);
    expect(r.kinds()).toEqual(['attempt:502', 'retry:502', 'attempt:502', 'retry:502', 'attempt:502', 'failure:502']);
    expect(r.heard[5][1]).toMatchObject({ attempts: 3 });
  });

  it('hears network errors with their reason and no status', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = recorder();
    await expect(fetcher(r.observer, 1).fetch(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(UpstreamNetworkError);
    expect(r.kinds()).toEqual(['attempt:null', 'retry:null', 'attempt:null', 'failure:null']);
    expect(r.heard[3][1]).toMatchObject({ status: null, error: 'ECONNREFUSED', attempts: 2 });
  });

  it('tells onRetry what it tells the observer', async () => {
    script.set('/once', [500, 200]);
    const r = recorder();
    const retries: RetryEvent[] = [];
    await new HttpFetcher({ observer: r.observer, onRetry: (e) => retries.push(e), baseDelayMs: 1 }).fetch(`${base}/once`);
    expect(retries).toEqual([r.heard[1][1]]);
    expect(retries[0]).toMatchObject({ attempt: 1, status: 500, error: null });
  });
});
