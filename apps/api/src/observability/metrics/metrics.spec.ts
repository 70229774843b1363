import { Logger } from '@nestjs/common';
import { Metrics, upstreamOutcome } from './metrics';
import { UpstreamTelemetry } from './upstream-telemetry';

/** The value of one sample line (`name{labels} value`) of the exposition, or undefined. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('upstreamOutcome', () => {
  it.each([
    [200, null, 'ok'],
    [204, null, 'ok'],
    [404, null, 'not_found'],
    [429, null, 'rate_limited'],
    [503, null, 'server_error'],
    [403, null, 'client_error'],
    [null, 'timeout', 'timeout'],
    [null, 'ECONNREFUSED', 'network_error'],
  ])('%s %s is %s', (status, error, outcome) => {
    expect(upstreamOutcome(status, error)).toBe(outcome);
  });
});

describe('Metrics', () => {
  it('reads the pool and the job counts when rendered, and each app has its own registry', async () => {
    let usage = { total: 3, idle: 2, waiting: 0 };
    const a = new Metrics({ pool: { poolUsage: () => usage }, jobs: { counts: async () => ({ 'mirror-sync': { waiting: 2, active: 1 } }) } });
    const b = new Metrics();
    a.resolveCacheLookup(true);
    a.resolveCacheLookup(false);
    a.resolveCacheLookup(true);
    let text = await a.render();
    expect(value(text, 'venvfarm_resolve_cache_hits_total')).toBe(2);
    expect(value(text, 'venvfarm_resolve_cache_misses_total')).toBe(1);
    expect(value(text, 'venvfarm_db_pool_connections')).toBe(3);
    expect(value(text, 'venvfarm_db_pool_idle_connections')).toBe(2);
    expect(value(text, 'venvfarm_queue_jobs{queue="mirror-sync",state="waiting"}')).toBe(2);
    expect(value(text, 'venvfarm_queue_jobs{queue="mirror-sync",state="active"}')).toBe(1);
    usage = { total: 8, idle: 0, waiting: 5 };
    text = await a.render();
    expect(value(text, 'venvfarm_db_pool_waiting_clients')).toBe(5);
    // The second app counts nothing of the first, and has no sources to read.
    const other = await b.render();
    expect(value(other, 'venvfarm_resolve_cache_hits_total')).toBe(0);
    expect(other).not.toContain('venvfarm_db_pool_connections');
    expect(other).toContain('process_cpu_user_seconds_total');
  });

  it('leaves the job gauge out of a scrape whose source fails, and says so', async () => {
    const failures: string[] = [];
    const metrics = new Metrics({
      jobs: { counts: () => Promise.reject(new Error('connection refused')) },
      onCollectFailure: (what, error) => failures.push(`${what}: ${(error as Error).message}`),
    });
    const text = await metrics.render();
    expect(text).toContain('# TYPE venvfarm_queue_jobs gauge');
    expect(text).not.toMatch(/^venvfarm_queue_jobs\{/m);
    expect(failures).toEqual(['queue job counts: connection refused']);
  });
});

describe('UpstreamTelemetry', () => {
  beforeAll(() => {
    // Its debug lines (one per attempt) are read in the end-to-end suite; here they are noise.
    Logger.overrideLogger(false);
  });

  it('counts attempts, retries and failures by host and outcome (the fetcher says when: http-fetcher.spec.ts)', async () => {
    const metrics = new Metrics();
    const telemetry = new UpstreamTelemetry(metrics);
    const url = 'http://mirror.example:8080/simple/six/';
    const base = { url, method: 'GET', durationMs: 3 };
    telemetry.attempt({ ...base, status: 503, error: null });
    telemetry.retry({ url, project: 'six', attempt: 1, status: 503, error: null, delayMs: 10 });
    telemetry.attempt({ ...base, status: 200, error: null });
    telemetry.attempt({ ...base, status: null, error: 'timeout' });
    telemetry.retry({ url, project: 'six', attempt: 1, status: null, error: 'timeout', delayMs: 10 });
    telemetry.attempt({ ...base, status: null, error: 'ECONNRESET' });
    telemetry.failure({ url, method: 'GET', status: null, error: 'ECONNRESET', attempts: 2 });
    telemetry.attempt({ ...base, url: 'not a url', status: 404, error: null });
    const text = await metrics.render();
    const host = 'mirror.example:8080';
    expect(value(text, `venvfarm_upstream_requests_total{host="${host}",outcome="server_error"}`)).toBe(1);
    expect(value(text, `venvfarm_upstream_requests_total{host="${host}",outcome="ok"}`)).toBe(1);
    expect(value(text, `venvfarm_upstream_requests_total{host="${host}",outcome="timeout"}`)).toBe(1);
    expect(value(text, `venvfarm_upstream_requests_total{host="${host}",outcome="network_error"}`)).toBe(1);
    expect(value(text, 'venvfarm_upstream_requests_total{host="invalid",outcome="not_found"}')).toBe(1);
    expect(value(text, `venvfarm_upstream_retries_total{host="${host}",reason="server_error"}`)).toBe(1);
    expect(value(text, `venvfarm_upstream_retries_total{host="${host}",reason="timeout"}`)).toBe(1);
    expect(value(text, `venvfarm_upstream_failures_total{host="${host}",reason="network_error"}`)).toBe(1);
  });
});
